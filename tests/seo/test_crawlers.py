"""sitemap.xml (and its index past 50,000 URLs), robots.txt, the Atom feed and llms.txt."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harness_cms.core.visibility import Status
from harness_cms.seo import sitemaps
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response):
    root = ET.fromstring(response.content)
    return root.tag, [loc.text for loc in root.iter(f"{NS}loc")]


def test_the_sitemap_lists_exactly_the_public_pages_with_lastmod(client):
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    hidden_role = make_role("Secret role", status=Status.DRAFT)
    page = make_page("Workflow", role=harness)
    make_page("Plan", role=hidden_role)  # public itself, but its role is not
    comparison = make_comparison(harness, ai)
    make_comparison(harness, hidden_role)
    make_page("Draft guide", status=Status.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tag, locs = locations(response)
    assert tag == f"{NS}urlset"
    assert sorted(locs) == sorted(
        SITE + path
        for path in [
            "/",
            "/roles/",
            "/compare/",
            "/faq/",
            "/tags/",
            harness.path,
            ai.path,
            page.path,
            comparison.path,
        ]
    )
    root = ET.fromstring(response.content)
    lastmods = {
        url.find(f"{NS}loc").text: url.find(f"{NS}lastmod") for url in root.iter(f"{NS}url")
    }
    assert lastmods[SITE + harness.path].text.startswith(str(harness.updated_at.date()))
    assert all(lastmods[SITE + p] is not None for p in (ai.path, page.path, comparison.path))


def test_the_home_hub_item_is_listed_once(client):
    make_page("Home", slug="home", page_kind="hub", is_home=True)
    _, locs = locations(client.get("/sitemap.xml"))
    assert locs.count(SITE + "/") == 1


def test_past_the_limit_the_sitemap_becomes_an_index(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 2)
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", 2)
    roles = [make_role(f"Role {i}") for i in range(5)]
    tag, locs = locations(client.get("/sitemap.xml"))
    assert tag == f"{NS}sitemapindex"
    # An items' part lists a range of two keys: its number follows from the keys it holds.
    parts = sorted({role.pk // 2 + 1 for role in roles})
    assert locs == [
        *(
            f"{SITE}/sitemap-items.xml" if part == 1 else f"{SITE}/sitemap-items-{part}.xml"
            for part in parts
        ),
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-pages-2.xml",
        f"{SITE}/sitemap-pages-3.xml",
    ]
    listed = []
    for loc in locs:
        response = client.get(loc.removeprefix(SITE))
        assert response.status_code == 200
        listed += locations(response)[1]
    indexes = [SITE + path for path in ("/", "/roles/", "/compare/", "/faq/", "/tags/")]
    assert sorted(listed) == sorted([SITE + r.path for r in roles] + indexes)
    assert client.get(f"/sitemap-items-{max(parts) + 1}.xml").status_code == 404
    assert client.get("/sitemap-items-1.xml").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


# W3C datetime as sitemaps take it: a date and a time with seconds and a zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def test_every_date_of_the_sitemap_index_and_its_parts_is_a_w3c_datetime(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 2)
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", 2)
    for i in range(5):
        make_role(f"Role {i}")
    index = client.get("/sitemap.xml")
    root = ET.fromstring(index.content)
    assert root.tag == f"{NS}sitemapindex"
    stamps = [node.text for node in root.iter(f"{NS}lastmod")]
    assert len(stamps) >= 3  # each part of the items, whose dates are known
    for loc in [node.text for node in root.iter(f"{NS}loc")]:
        part = ET.fromstring(client.get(loc.removeprefix(SITE)).content)
        stamps += [node.text for node in part.iter(f"{NS}lastmod")]
    assert len(stamps) > 5
    assert [stamp for stamp in stamps if not W3C_DATETIME.match(stamp)] == []


def test_a_page_number_on_the_single_sitemap_is_a_404(client):
    assert client.get("/sitemap.xml?p=2").status_code == 404
    assert client.get("/sitemap.xml?p=x").status_code == 404


def test_the_sitemap_reads_a_fixed_number_of_queries(client):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/sitemap.xml").status_code == 200
        return len(context)

    make_role("Role")
    queries()  # the first request also caches the site settings
    few = queries()
    for i in range(30):
        make_comparison(make_role(f"Role {i}"), make_role(f"Other {i}"))
        make_role(f"Tagged {i}").tags.add(f"topic {i}")
    queries()  # the topics in use are cached until the content changes
    assert queries() == few


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_the_feed_lists_new_and_updated_public_content(client):
    old = make_role("Harness Engineer", seo_description="The role that owns the harness layer.")
    make_role("Secret", status=Status.DRAFT)
    new = make_page("Workflow", role=old)
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == [new.title, old.title]
    assert entries[1].find(f"{atom}link").get("href") == SITE + old.path
    assert entries[1].find(f"{atom}summary").text == old.seo_description
    assert entries[0].find(f"{atom}updated").text


def test_every_page_announces_the_feed(client):
    role = make_role("Harness Engineer")
    html = client.get(role.path).content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/feed/"' in html


def test_llms_txt_maps_the_cluster(client, demo):
    response = client.get("/llms.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Harness Engineering Guide\n\n> ")
    assert "## Harness Engineer" in text and "## Comparisons" in text
    assert f"({SITE}/compare/harness-engineer-vs-ai-engineer/)" in text
    assert f"({SITE}/roles/harness-engineer/workflow/)" in text


def test_llms_txt_leaves_out_what_is_not_public(client):
    make_role("Harness Engineer")
    make_role("Secret role", status=Status.DRAFT)
    text = client.get("/llms.txt").content.decode()
    assert "Harness Engineer" in text and "Secret role" not in text
