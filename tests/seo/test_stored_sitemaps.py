"""Sitemaps as stored bytes: each part is made once and answered as stored until what it lists
changes; a change to an item remakes its own part only; what is answered keeps the rules of
sitemaps.org, gzipped or not."""

import gzip
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from harness_cms.core import dependencies
from harness_cms.core.visibility import Status
from harness_cms.seo import sitemaps
from tests.factories import make_comparison, make_role

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PER_PART = 2


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of two keys, and blocks of two keys for the changes they depend on."""
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", PER_PART)
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", PER_PART)
    monkeypatch.setattr(dependencies, "ROW_BLOCK", PER_PART)


def part_of(item):
    page = item.pk // PER_PART + 1
    return "/sitemap-items.xml" if page == 1 else f"/sitemap-items-{page}.xml"


def locs(response):
    return [node.text for node in ET.fromstring(response.content).iter(f"{NS}loc")]


def test_a_changed_item_remakes_its_part_and_the_others_stay_stored(
    client, small_parts, django_assert_num_queries
):
    roles = [make_role(f"Role {i}") for i in range(6)]
    first, last = roles[0], roles[-1]
    assert part_of(first) != part_of(last)
    index = locs(client.get("/sitemap.xml"))
    assert SITE + part_of(first) in index and SITE + part_of(last) in index
    assert SITE + first.path in locs(client.get(part_of(first)))
    assert SITE + last.path in locs(client.get(part_of(last)))

    first.slug = "renamed-role"
    first.save()

    assert SITE + "/roles/renamed-role/" in locs(client.get(part_of(first)))
    # The other part is answered as stored: no query at all.
    with django_assert_num_queries(0):
        answer = client.get(part_of(last))
    assert SITE + last.path in locs(answer)


def test_an_unpublished_item_leaves_its_part_at_once(client, small_parts):
    role = make_role("Leaving")
    make_role("Staying")
    assert SITE + role.path in locs(client.get(part_of(role)))
    role.status = Status.DRAFT
    role.save()
    response = client.get(part_of(role))
    listed = [] if response.status_code == 404 else locs(response)
    assert SITE + role.path not in listed


def test_a_role_going_offline_takes_its_comparisons_out_of_their_parts(client, small_parts):
    """Their stored windows change by a bulk update, without their own save: the parts that
    hold them are still made again."""
    role, other = make_role("Offline soon"), make_role("Other")
    comparisons = [make_comparison(role, other)]
    comparisons += [make_comparison(make_role(), make_role()) for _ in range(3)]
    comparison = comparisons[0]
    assert SITE + comparison.path in locs(client.get(part_of(comparison)))
    role.status = Status.DRAFT
    role.save()
    response = client.get(part_of(comparison))
    listed = [] if response.status_code == 404 else locs(response)
    assert SITE + comparison.path not in listed


def test_a_new_item_reaches_the_one_file_sitemap(client):
    make_role("First")
    assert SITE + "/roles/first/" in locs(client.get("/sitemap.xml"))
    make_role("Second")
    assert SITE + "/roles/second/" in locs(client.get("/sitemap.xml"))


def test_gzipped_when_asked_and_the_same_bytes(client, small_parts):
    for i in range(5):
        make_role(f"Role {i}")
    for path in [
        "/sitemap.xml",
        *(loc.removeprefix(SITE) for loc in locs(client.get("/sitemap.xml"))),
    ]:
        plain = client.get(path)
        packed = client.get(path, headers={"accept-encoding": "br, gzip;q=0.8"})
        refused = client.get(path, headers={"accept-encoding": "gzip;q=0, identity"})
        assert packed["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.content) == plain.content, path
        assert "Content-Encoding" not in plain and "Content-Encoding" not in refused
        assert refused.content == plain.content
        assert packed["ETag"] != plain["ETag"]
        assert "Accept-Encoding" in plain["Vary"]
        assert plain["X-Robots-Tag"].startswith("noindex")


def test_a_stored_part_answers_304_to_its_etag(client):
    make_role("Role")
    first = client.get("/sitemap.xml")
    again = client.get("/sitemap.xml", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("page", [9, 10**9 + 1, 10**30])
def test_parts_without_items_and_absurd_numbers_are_404(client, small_parts, page):
    make_role("Only")
    assert client.get(f"/sitemap-items-{page}.xml").status_code == 404
