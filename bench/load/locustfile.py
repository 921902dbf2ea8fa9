"""Readers and editors on a production-mode Harness CMS (see bench/load/run.py).

Readers browse the public pages found from the home page; editors log in to the admin, open
a role, comparison or page change form and save it as it is. Editor accounts and their
password come from the environment (LOAD_EDITORS, LOAD_EDITOR_PASSWORD).
"""

import itertools
import os
import random
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from locust import HttpUser, between, task

EDITORS = os.environ.get("LOAD_EDITORS", "").split(",")
PASSWORD = os.environ.get("LOAD_EDITOR_PASSWORD", "")
CHANGE_LISTS = ["/admin/comparisons/role/", "/admin/comparisons/comparison/", "/admin/pages/page/"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def local_links(html):
    parser = _Links()
    parser.feed(html)
    paths = {urlsplit(link).path for link in parser.links if not urlsplit(link).netloc}
    return sorted(p for p in paths if p.startswith("/") and not p.startswith(("/admin", "/static")))


class _Form(HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class Reader(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        home = self.client.get("/", name="home")
        self.pages = local_links(home.text) or ["/"]

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(10)
    def read_a_page(self):
        path = random.choice(self.pages)
        self.client.get(path, name=_kind(path))

    @task(1)
    def faq(self):
        self.client.get("/faq/", name="faq")


class Editor(HttpUser):
    # A fixed number of editors at work (LOAD_EDITOR_USERS); every other user reads.
    fixed_count = int(os.environ.get("LOAD_EDITOR_USERS", "4"))
    wait_time = between(2, 5)
    # Each editor works on a share of the items of its own: two editors saving the same item
    # at the same moment get the edit-conflict refusal, which is right but not what this
    # measures. Any refused save is then a failure worth reading.
    _numbers = itertools.count()

    def on_start(self):
        self.number = next(self._numbers)
        username = random.choice(EDITORS)
        login = self.client.get("/admin/login/", name="admin login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        with self.client.post(
            "/admin/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            },
            name="admin login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")
        self.change_urls = []
        for changelist in CHANGE_LISTS:
            html = self.client.get(changelist, name="admin list").text
            self.change_urls += sorted(
                set(re.findall(r'href="(/admin/\w+/\w+/\d+/change/)"', html))
            )
        self.change_urls = self.change_urls[self.number % self.fixed_count :: self.fixed_count]

    @task
    def open_and_save(self):
        url = random.choice(self.change_urls)
        form = _Form()
        form.feed(self.client.get(url, name="admin change form").text)
        form.data["_save"] = "Save"
        with self.client.post(
            url, form.data, name="admin save", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                errors = re.findall(
                    r'class="errornote">\s*([^<]+)|<ul class="errorlist[^>]*"><li>([^<]+)',
                    response.text,
                )
                said = "; ".join(" ".join(" ".join(e).split()) for e in errors[:3])
                response.failure(f"save refused ({response.status_code}) {url}: {said}")


def _kind(path):
    """Group URLs by page kind in the statistics."""
    for prefix, name in [("/compare/", "comparison"), ("/faq/", "faq"), ("/guides/", "guide")]:
        if path.startswith(prefix):
            return name
    if path.startswith("/roles/"):
        return "role" if path.count("/") == 3 else "cluster page"
    return "other page" if path != "/" else "home"
