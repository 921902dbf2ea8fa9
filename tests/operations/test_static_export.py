"""``manage.py export_site``: the public site as static files, served by a plain file server."""

import re
import threading
import xml.etree.ElementTree as ET
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from comparisons.models import Comparison, Role
from harness_cms.core.visibility import Status
from harness_cms.operations.static_export import SECURITY_HEADERS
from harness_cms.seo import sitemaps
from pages.models import Page
from tests.demo import load_demo
from tests.factories import make_image, make_page, make_role

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# A fingerprint collectstatic adds to a file name: site.css → site.0123456789ab.css
FINGERPRINT = re.compile(r"\.[0-9a-f]{12}\.")


@pytest.fixture
def demo():
    load_demo()


def export(directory, *args):
    out, err = StringIO(), StringIO()
    call_command("export_site", str(directory), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """Serves a directory as ``python -m http.server`` does; yields a function giving its URL."""
    servers = []

    def start(directory):
        handler = partial(QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def status(url):
    try:
        with urlopen(url) as response:  # noqa: S310 (a local test server)
            response.read()
            return response.status
    except HTTPError as error:
        return error.code


def internal_links(directory):
    """Every internal address on every exported page and in every sitemap, with a page linking
    to it: ``href``, ``src`` and form actions in HTML, links in the feed, ``<loc>`` in sitemaps,
    absolute ones mapped to paths."""
    links = {}
    for page in directory.rglob("*.html"):
        base = "/" + str(page.relative_to(directory).parent).removeprefix(".") + "/"
        text = page.read_text()
        if text.startswith("<?xml"):  # the Atom feed at /feed/
            urls = [tag.get("href") for tag in ET.fromstring(text).iter() if tag.get("href")]
        else:
            soup = BeautifulSoup(text, "html.parser")
            urls = [tag["href"] for tag in soup.find_all(href=True)]
            urls += [tag["src"] for tag in soup.find_all(src=True)]
            urls += [tag["action"] for tag in soup.find_all("form", action=True)]
            urls += [tag["content"] for tag in soup.find_all("meta", property="og:image")]
            for tag in soup.find_all(srcset=True):
                urls += [entry.strip().split(" ")[0] for entry in tag["srcset"].split(",")]
        for url in urls:
            url = urljoin(base, url).removeprefix(SITE)
            if url.startswith("/") and not url.startswith("//"):
                links.setdefault(url.split("#")[0], page)
    for sitemap in directory.glob("sitemap*.xml"):
        for loc in ET.parse(sitemap).getroot().iter(f"{NS}loc"):
            assert loc.text.startswith(SITE + "/")
            links.setdefault(loc.text.removeprefix(SITE), sitemap)
    return links


def test_the_exported_demo_site_passes_a_link_check(demo, tmp_path, serve):
    """Every page, sitemap entry and static file linked from the export answers 200 from a
    plain static file server; drafts are not there."""
    draft = make_page("Unreleased guide", status=Status.DRAFT)
    out, err = export(tmp_path, "--progress-every", "10")
    assert re.search(r"^  10/\d+ addresses", out, re.MULTILINE)  # done / known so far
    assert re.search(r"Exported \d+ pages and files, 0 redirects", out)
    assert err == ""

    for name in ["index.html", "404.html", "robots.txt", "sitemap.xml", "llms.txt"]:
        assert (tmp_path / name).is_file(), name
    assert (tmp_path / "feed" / "index.html").read_text().startswith("<?xml")
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    assert not (tmp_path / "static" / "admin").exists()

    links = internal_links(tmp_path)
    kinds = {urlsplit(link).path.split("/")[1] for link in links}
    assert {"roles", "compare", "faq", "tags", "static", "feed", "search"} <= kinds
    assert any(FINGERPRINT.search(link) for link in links if link.startswith("/static/"))
    origin = serve(tmp_path)
    broken = {link: str(page) for link, page in links.items() if status(origin + link) != 200}
    assert broken == {}
    assert status(origin + draft.path) == 404
    assert draft.path not in links
    assert draft.title not in (tmp_path / "sitemap.xml").read_text()


def test_the_export_holds_every_picture_and_link_preview_card(demo, tmp_path, serve, settings):
    """Drawn cards (named only in og:image) and the library's renditions (in srcset) are files
    of the export, and the served pages find them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    role = Role.objects.get(slug="harness-engineer")
    role.lead_image = make_image("Layers")
    role.save()
    export(tmp_path / "site")
    site = tmp_path / "site"
    cards = list((site / "social").glob("*.png"))
    assert len(cards) >= Role.objects.count() + Comparison.objects.count()
    assert len(list((site / "media" / "images").rglob("*.webp"))) >= 3
    links = internal_links(site)
    pictures = [link for link in links if link.startswith(("/social/", "/media/"))]
    assert pictures
    origin = serve(site)
    assert {link: status(origin + link) for link in pictures} == dict.fromkeys(pictures, 200)


def test_exported_pages_are_the_live_pages(demo, tmp_path, client):
    """The files hold what the live site answers, static file fingerprints aside."""
    export(tmp_path, "--quiet")
    role = Role.objects.get(slug="harness-engineer")
    paths = ["/", "/faq/", "/tags/", role.path, "/sitemap.xml", "/robots.txt", "/llms.txt"]
    paths += [Comparison.objects.published().first().path, Page.objects.published().last().path]
    paths += [reverse("topics:tag", kwargs={"slug": role.tags.first().slug})]
    for path in paths:
        live = client.get(path)
        assert live.status_code == 200, path
        name = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        exported = (tmp_path / name).read_text()
        assert FINGERPRINT.sub(".", exported) == live.content.decode(), path


def test_a_non_empty_directory_is_refused_unless_forced(tmp_path):
    directory = tmp_path / "site"
    directory.mkdir()
    (directory / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        export(directory)
    assert (directory / "keep.txt").read_text() == "mine"


def test_force_replaces_an_earlier_export_and_follows_no_link(tmp_path):
    make_role("Harness Engineer")
    directory = tmp_path / "site"
    export(directory, "--quiet")
    (directory / "stale.html").write_text("from an older export")
    outside = tmp_path / "outside.txt"
    outside.write_text("not the export's")
    (directory / "link").symlink_to(outside)
    export(directory, "--force", "--quiet")
    assert not (directory / "stale.html").exists()
    assert not (directory / "link").exists()
    assert outside.read_text() == "not the export's"
    assert (directory / "index.html").is_file()


@pytest.mark.parametrize("folder", ["docs", "backups", ".venv", "elsewhere"])
def test_force_never_empties_a_directory_that_holds_no_earlier_export(tmp_path, settings, folder):
    """``export_site docs --force`` emptied the project's docs/ (or backups/, .venv/)."""
    project = tmp_path / "project"
    settings.BASE_DIR = project
    directory = project / folder if folder != "elsewhere" else tmp_path / folder
    directory.mkdir(parents=True)
    (directory / "precious.md").write_text("keep me")
    with pytest.raises(CommandError, match="holds no earlier export"):
        export(directory, "--force", "--quiet")
    assert (directory / "precious.md").read_text() == "keep me"
    assert sorted(p.name for p in directory.iterdir()) == ["precious.md"]


@pytest.mark.parametrize("where", ["project", "parent", "root"])
def test_force_never_empties_the_project_or_what_holds_it(tmp_path, settings, where):
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / ".harness-export").write_text("forged")
    settings.BASE_DIR = project
    directory = {"project": project, "parent": tmp_path, "root": tmp_path.anchor}[where]
    with pytest.raises(CommandError, match=r"holds the project|no earlier export"):
        export(directory, "--force", "--quiet")
    assert (project / "docs").is_dir()


@pytest.mark.parametrize(
    "old_path", ["/llms.txt/", "/robots.txt/", "/sitemap.xml/", "/404.html/", "/static/x/",
                 "/_headers/", "/sitemap-items.xml/"],
)  # fmt: skip
def test_a_redirect_at_an_address_the_export_writes_is_refused_before_anything(tmp_path, old_path):
    """Such a redirect crashed the export after it had written every page."""
    from harness_cms.core.models import Redirect

    role = make_role("Harness Engineer")
    Redirect.objects.create(old_path=old_path, target=role, reason="manual")
    directory = tmp_path / "site"
    with pytest.raises(CommandError, match=re.escape(old_path)):
        export(directory, "--quiet")
    assert not directory.exists()


def test_the_export_ships_the_live_sites_security_headers_for_static_hosts(tmp_path, client):
    make_role("Harness Engineer")
    export(tmp_path, "--quiet")
    # As the export's visitors will reach it: HSTS only when SITE_URL is https.
    live = client.get("/robots.txt", secure=settings.SITE_URL.startswith("https://"))
    headers = (tmp_path / "_headers").read_text()
    nginx = (tmp_path / "nginx-headers.conf").read_text()
    assert headers.startswith("/*\n")
    sent = [name for name in SECURITY_HEADERS if live.has_header(name)]
    assert "Content-Security-Policy" in sent and "X-Frame-Options" in sent
    for name in sent:
        assert f"  {name}: {live[name]}\n" in headers, name
        assert f'add_header {name} "{live[name]}" always;\n' in nginx, name
    assert headers.count("\n  ") == len(sent)
    assert "script-src 'self'" in headers


def script_in(page):
    """What in an HTML page could run script: a script that is neither JSON-LD data nor one of
    the site's files, an event handler, a javascript: or vbscript: address (read by an HTML
    parser, independently of the export's own check)."""
    found = []
    for tag in BeautifulSoup(page, "html.parser").find_all(True):
        data = tag.get("type") == "application/ld+json"
        if tag.name == "script" and not data and not tag.get("src", "").startswith("/static/"):
            found.append(str(tag)[:80])
        for name, value in tag.attrs.items():
            address = str(value).strip().lower() if name in {"href", "src", "action"} else ""
            if name.lower().startswith("on") or address.startswith(("javascript:", "vbscript:")):
                found.append(f"{tag.name} {name}={value}")
    return found


def test_nothing_in_the_exported_demo_site_can_run_script(demo, tmp_path):
    export(tmp_path, "--quiet")
    found = {
        str(page.relative_to(tmp_path)): script
        for page in tmp_path.rglob("*.html")
        if not page.read_text().startswith("<?xml") and (script := script_in(page.read_text()))
    }
    assert found == {}


def test_a_page_that_could_run_script_is_not_exported_and_the_export_fails(tmp_path):
    """A card stored without the admin's checks (as the importer once allowed) with a
    ``javascript:`` address fired in the static export, which has no CSP of its own."""
    from harness_cms.core.models import RelatedLink

    role = make_role("Harness Engineer")
    RelatedLink.objects.create(
        source=role, external_url="javascript:alert(document.domain)", title="Click", position=0
    )
    with pytest.raises(CommandError, match="could run script"):
        export(tmp_path, "--quiet")
    assert not (tmp_path / "roles" / "harness-engineer" / "index.html").exists()


def test_a_file_in_the_way_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="not a directory"):
        export(tmp_path / "file")


def test_quiet_prints_nothing(tmp_path):
    make_role("Harness Engineer")
    assert export(tmp_path, "--quiet") == ("", "")


def test_search_explains_itself_or_goes_to_a_live_site(tmp_path):
    make_role("Harness Engineer")
    export(tmp_path / "plain", "--quiet")
    page = (tmp_path / "plain" / "search" / "index.html").read_text()
    assert "Search is not available here" in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'href="/roles/harness-engineer/"' in page

    live = "https://cms.example.com/search/"
    export(tmp_path / "live", "--quiet", "--search-url", live)
    assert not (tmp_path / "live" / "search").exists()
    for name in ["index.html", "404.html"]:
        html = (tmp_path / "live" / name).read_text()
        assert 'action="/search/"' not in html
        assert f'action="{live}"' in html


def test_an_earlier_address_leads_to_the_page(tmp_path):
    role = make_role("Harness Engineer")
    role.slug = "harness-engineer-role"
    role.save()
    export(tmp_path, "--quiet")
    moved = (tmp_path / "roles" / "harness-engineer" / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/roles/harness-engineer-role/">' in moved
    assert f'<link rel="canonical" href="{SITE}/roles/harness-engineer-role/">' in moved


def test_past_the_limit_every_sitemap_part_is_a_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 2)
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", 2)
    roles = [make_role(f"Role {i}") for i in range(5)]
    export(tmp_path, "--quiet")
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{NS}sitemapindex"
    parts = sorted(tmp_path.glob("sitemap-*.xml"))
    # Item parts are ranges of keys (decision 0140): their numbers need not follow each other.
    assert [part.name for part in parts] == sorted(
        loc.text.removeprefix(SITE + "/") for loc in index.iter(f"{NS}loc")
    )
    kinds = [part.name.split("-")[1].removesuffix(".xml") for part in parts]
    assert kinds.count("items") >= 3 and kinds.count("pages") == 3
    listed = [loc.text for part in parts for loc in ET.parse(part).getroot().iter(f"{NS}loc")]
    assert sorted(listed) == sorted(
        [SITE + r.path for r in roles]
        + [SITE + path for path in ("/", "/roles/", "/compare/", "/faq/", "/tags/")]
    )


def test_an_export_in_several_processes_writes_the_same_files_as_one(tmp_path):
    """``--jobs 2`` forks workers that render their share of the addresses against the same
    database (a file or a server, as an operator runs it); the result is byte for byte the
    export that one process writes."""
    from tests.operations.drill import Databases, manage

    dbs = Databases(tmp_path)
    site = dbs.url("export")
    try:
        manage(site, "migrate", "--no-input")
        manage(site, "load_demo")
        one = manage(site, "export_site", str(tmp_path / "one"), "--jobs", "1")
        two = manage(site, "export_site", str(tmp_path / "two"), "--jobs", "2")
    finally:
        dbs.drop_all()
    assert "processes" not in one
    assert re.search(r"rendering [\d,]+ addresses in 2 processes", two)
    pages = re.search(r"Exported ([\d,]+) pages", one)[1]
    assert int(pages.replace(",", "")) > 40
    assert f"Exported {pages} pages" in two
    files = sorted(path.relative_to(tmp_path / "one") for path in (tmp_path / "one").rglob("*"))
    assert files == sorted(
        path.relative_to(tmp_path / "two") for path in (tmp_path / "two").rglob("*")
    )
    for name in files:
        first = tmp_path / "one" / name
        if first.is_file():
            assert first.read_bytes() == (tmp_path / "two" / name).read_bytes(), name
