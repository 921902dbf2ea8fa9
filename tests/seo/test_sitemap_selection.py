"""What the sitemap lists: every indexable page (tag pages and every page of the paged lists
included), minus what editors keep out per item; and its parts keep the sitemaps.org limits."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from taggit.models import Tag

from comparisons import views as comparison_views
from faq import models as faq_models
from harness_cms.core.models import ContentItem
from harness_cms.core.visibility import Status
from harness_cms.seo import sitemaps
from harness_cms.topics import views as topic_views
from tests.admin_forms import submit
from tests.factories import make_comparison, make_faq, make_page, make_role
from tests.seo.conftest import soup_of

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024  # 52,428,800 bytes, uncompressed


def listed(client):
    """Every address the sitemap lists, following its index if it has one."""
    root = ET.fromstring(client.get("/sitemap.xml").content)
    if root.tag == f"{NS}sitemapindex":
        locs = []
        for loc in root.iter(f"{NS}loc"):
            part = ET.fromstring(client.get(loc.text.removeprefix(SITE)).content)
            locs += [node.text for node in part.iter(f"{NS}loc")]
        return locs
    return [node.text for node in root.iter(f"{NS}loc")]


def paths(client):
    return {loc.removeprefix(SITE) for loc in listed(client)}


def test_tag_pages_in_use_are_listed_and_tags_only_drafts_carry_are_not(client):
    make_role("Harness Engineer").tags.add("memory")
    make_faq("What is compaction?").tags.add("compaction")
    make_role("Secret role", status=Status.DRAFT).tags.add("secret")
    listed_paths = paths(client)
    assert {"/tags/", "/tags/memory/", "/tags/compaction/"} <= listed_paths
    assert "/tags/secret/" not in listed_paths
    assert client.get("/tags/secret/").status_code == 404


def test_every_page_of_every_paged_list_is_listed_and_answers(client, monkeypatch):
    monkeypatch.setattr(comparison_views, "ROLES_PER_PAGE", 2)
    monkeypatch.setattr(comparison_views, "COMPARISON_ENTRIES_PER_PAGE", 2)
    monkeypatch.setattr(faq_models, "FAQS_PER_PAGE", 2)
    monkeypatch.setattr(topic_views, "TAG_ENTRIES_PER_PAGE", 2)
    roles = [make_role(f"Role {i}") for i in range(5)]
    for other in roles[1:]:
        make_comparison(roles[0], other)
    for i in range(3):
        make_faq(f"Question {i}?")
    for role in roles:
        role.tags.add("grown")
    listed_paths = paths(client)
    expected = {
        "/roles/page/2/",
        "/roles/page/3/",
        "/compare/page/2/",
        "/compare/page/4/",
        "/faq/page/2/",
        "/tags/grown/page/2/",
        "/tags/grown/page/3/",
    }
    assert expected <= listed_paths
    assert not {"/roles/page/4/", "/compare/page/5/", "/faq/page/3/"} & listed_paths
    for path in listed_paths:
        assert client.get(path).status_code == 200, path


def test_a_noindex_item_says_so_and_leaves_the_sitemap(client):
    hidden = make_role("Harness Engineer", noindex=True)
    shown = make_role("AI Engineer")
    soup = soup_of(client.get(hidden.path))
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup_of(client.get(shown.path)).find("meta", attrs={"name": "robots"}) is None
    listed_paths = paths(client)
    assert hidden.path not in listed_paths and shown.path in listed_paths


def test_an_item_left_out_of_the_sitemap_stays_indexable(client):
    role = make_role("Harness Engineer", exclude_from_sitemap=True)
    soup = soup_of(client.get(role.path))
    assert soup.find("meta", attrs={"name": "robots"}) is None
    assert soup.find("link", rel="canonical")["href"] == SITE + role.path
    assert role.path not in paths(client)


@pytest.mark.parametrize(
    "override, canonical",
    [
        ("/roles/ai-engineer/", f"{SITE}/roles/ai-engineer/"),
        ("https://example.org/original/", "https://example.org/original/"),
    ],
)
def test_a_canonical_override_is_the_pages_canonical_and_leaves_the_sitemap(
    client, override, canonical
):
    make_role("AI Engineer")
    copy = make_page("Syndicated guide", canonical_url=override)
    soup = soup_of(client.get(copy.path))
    assert soup.find("link", rel="canonical")["href"] == canonical
    assert soup.find("meta", property="og:url")["content"] == canonical
    assert copy.path not in paths(client)


def test_a_canonical_equal_to_the_pages_own_address_keeps_it_listed(client):
    page = make_page("Guide")
    ContentItem.objects.filter(pk=page.pk).update(canonical_url=page.path)
    assert page.path in paths(client)


def test_editors_set_the_three_in_the_admin(editor_client, client):
    role = make_role("Harness Engineer")
    response = submit(
        editor_client,
        role.admin_url(),
        {"noindex": "on", "exclude_from_sitemap": "on", "canonical_url": "/roles/"},
        button="_publish",
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.noindex, role.exclude_from_sitemap, role.canonical_url) == (True, True, "/roles/")


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "//evil.example/", "/a page/", "/page/?x=1", "ftp://x.example/", "x"],
)
def test_a_bad_canonical_address_is_a_form_error_and_saves_nothing(editor_client, value):
    role = make_role("Harness Engineer")
    response = submit(editor_client, role.admin_url(), {"canonical_url": value, "title": "New"})
    assert response.status_code == 200
    assert "canonical_url" in response.context["adminform"].form.errors
    role.refresh_from_db()
    assert (role.title, role.canonical_url) == ("Harness Engineer", "")


# -- the sitemaps.org rules ---------------------------------------------------------------------

W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def url_lines(body):
    return re.findall(rb"<url>.*?</url>\n?", body, flags=re.S)


def test_every_part_keeps_the_sitemaps_org_limits_at_the_longest_addresses(client):
    """Each part holds at most its section's ``limit`` URLs, and ``limit`` URLs as long as
    the fields allow still fit in 50 MB: measured on the longest addresses the site can make
    (an item path of the path field's full length; a topic slug of 100 four-byte letters,
    percent-encoded, on a page with a nine-digit number)."""
    role = make_role("R" * 10, slug="r" * 120)
    make_page("P", role=role, slug="p" * 120)
    path_max = ContentItem._meta.get_field("path").max_length
    tag = Tag.objects.create(name="𝔸" * 100, slug="𝔸" * 100)
    role.tags.add(tag)
    for section, cls in sitemaps.SITEMAPS.items():
        assert cls.limit <= MAX_URLS, section
        body = client.get(f"/sitemap-{section}.xml").content
        lines = url_lines(body)
        assert lines, section
        longest = max(len(line) for line in lines)
        if section == "items":
            # The longest item line here, grown to a path of the field's full length.
            longest += path_max - max(
                len(p) for p in ContentItem.objects.values_list("path", flat=True)
            )
        else:
            longest += len("page/999999999/")
        worst = len(body) - sum(len(line) for line in lines) + cls.limit * longest
        assert worst <= MAX_BYTES, (section, worst)


def test_every_part_is_within_its_limit_and_dates_are_w3c(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 3)
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", 3)
    for i in range(7):
        make_role(f"Role {i}").tags.add(f"topic {i}")
    root = ET.fromstring(client.get("/sitemap.xml").content)
    assert root.tag == f"{NS}sitemapindex"
    for loc in root.iter(f"{NS}loc"):
        response = client.get(loc.text.removeprefix(SITE))
        assert len(response.content) <= MAX_BYTES
        part = ET.fromstring(response.content)
        assert part.tag == f"{NS}urlset"
        assert 1 <= len(list(part.iter(f"{NS}url"))) <= 3
        for url in part.iter(f"{NS}url"):
            assert url.find(f"{NS}loc").text.startswith(SITE + "/")
            lastmod = url.find(f"{NS}lastmod")
            assert lastmod is None or W3C_DATETIME.match(lastmod.text), lastmod.text
    assert len(set(listed(client))) == len(listed(client))
