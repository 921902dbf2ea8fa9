"""Every page of the site, found rather than listed: the public pages by crawling from the
URL patterns, the admin pages from the admin's registry and its URL patterns.

New models, admin views, page kinds and URLs are picked up without touching this file.
"""

import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib import admin
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

ADMIN_PREFIX = "/admin/"
# Admin views that are not HTML pages or need more than a GET.
ADMIN_NOT_PAGES = {"logout", "autocomplete", "jsi18n", "view_on_site"}
# Endpoints that only answer a POST from a change form (a GET is a 404 or 405 by design).
ADMIN_POST_ONLY_SUFFIXES = ("_preview_add", "_markdown_preview")
NOT_FOUND_PATH = "/no-such-page-exists/"


@dataclass(frozen=True)
class Route:
    path: str  # the route as Django writes it, e.g. "roles/<slug:slug>/"
    name: str  # the namespaced URL name, e.g. "comparisons:role"

    @property
    def literal(self):
        return "<" not in self.path and not re.search(r"[\^$()\\[\]?*+]", self.path)


def routes(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the project, flattened."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            ns = ":".join(part for part in (namespace, inner) if part)
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            name = pattern.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield Route(prefix + str(pattern.pattern), full)


def public_routes():
    return [route for route in routes() if not ("/" + route.path).startswith(ADMIN_PREFIX)]


def route_name(path):
    """The namespaced URL name that serves ``path`` ("" when none does)."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return ""
    return match.view_name


def _same_site(url):
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    hosts = {"", "testserver", urlsplit(settings.SITE_URL).netloc}
    return parts.netloc in hosts


def _local_path(base, url):
    parts = urlsplit(urljoin(base, url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def get_forms(path, response):
    """The GET forms (search boxes) of a page: ``[(action, [field names])]``."""
    if "text/html" not in response.get("Content-Type", ""):
        return []
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (
            form.get("action") or path,
            [field["name"] for field in form.find_all(attrs={"name": True})],
        )
        for form in soup.find_all("form")
        if (form.get("method") or "get").lower() == "get"
    ]


def form_urls(forms, value):
    """Each GET form submitted with ``value`` in every field."""
    return [f"{action}?{urlencode(dict.fromkeys(names, value))}" for action, names in forms]


def _links(path, response, form_value):
    content_type = response.get("Content-Type", "")
    if "xml" in content_type:  # sitemaps and feeds
        return re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", response.content.decode())
    if "text/html" not in content_type:
        return []
    soup = BeautifulSoup(response.content, "html.parser")
    found = [tag["href"] for tag in soup.find_all(["a", "link"], href=True)]
    # Link-preview pictures (drawn cards) are fetched by other sites' crawlers.
    found += [tag["content"] for tag in soup.find_all("meta", property="og:image")]
    return found + form_urls(get_forms(path, response), form_value)


def crawl(client, *, start=(), limit=400, form_value="harness"):
    """GET every public page reachable from the literal URL patterns and ``start``.

    Returns ``{path: response}``, including one unknown path (the 404 page kind). Stays off
    the admin and static files; follows links, sitemap entries and GET forms (submitted with
    ``form_value`` in every field).
    """
    seeds = ["/" + route.path for route in public_routes() if route.literal]
    queue = deque(dict.fromkeys([*seeds, *start, NOT_FOUND_PATH]))
    seen = set(queue)
    pages = {}
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        pages[path] = response
        if response.status_code in (301, 302) and _same_site(response["Location"]):
            targets = [response["Location"]]
        elif response.status_code == 200:
            targets = _links(path, response, form_value)
        else:
            targets = []
        for url in targets:
            if not _same_site(url):
                continue
            local = _local_path(path, url)
            if local.startswith((ADMIN_PREFIX, settings.STATIC_URL)) or local in seen:
                continue
            seen.add(local)
            queue.append(local)
    return pages


def admin_paths():
    """One URL for every admin page: each app, each model's list, add, change, history and
    delete pages (on its first object), and the admin's own pages."""
    registry = {
        (model._meta.app_label, model._meta.model_name): model for model in admin.site._registry
    }
    paths = []
    for route in routes():
        url = "/" + route.path
        view = route.name.removeprefix("admin:")
        if not url.startswith(ADMIN_PREFIX) or view in ADMIN_NOT_PAGES:
            continue
        if view.endswith(ADMIN_POST_ONLY_SUFFIXES):
            continue
        if route.literal:
            paths.append(url)
            continue
        if "(?P<app_label>" in route.path:
            paths += [f"{ADMIN_PREFIX}{label}/" for label in sorted({app for app, _ in registry})]
            continue
        match = re.match(r"admin/(\w+)/(\w+)/", route.path)
        model = registry.get(match.groups()) if match else None
        obj = model._default_manager.order_by("pk").first() if model else None
        if obj is not None:
            url = url.replace("<path:object_id>", str(obj.pk))
            if "<int:version_id>" in url:
                from reversion.models import Version

                version = Version.objects.get_for_object(obj).first()
                if version is None:
                    continue
                url = url.replace("<int:version_id>", str(version.pk))
            paths.append(url)
    return [path for path in dict.fromkeys(paths) if not re.search(r"<[^>]+>", path)]
