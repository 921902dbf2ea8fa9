"""/compare/: every public comparison under each of its roles, the roles × roles matrix, paged
at its own addresses, with an ItemList of what the page lists."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from comparisons import views
from harness_cms.core.visibility import Status
from tests.factories import make_comparison, make_role
from tests.seo.conftest import graph_of

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def cluster():
    harness, ai, prompt = (
        make_role(t) for t in ("Harness Engineer", "AI Engineer", "Prompt Engineer")
    )
    draft_role = make_role("Secret Engineer", status=Status.DRAFT)
    return {
        "roles": (harness, ai, prompt),
        "live": [make_comparison(harness, ai), make_comparison(harness, prompt)],
        "hidden": [
            make_comparison(ai, prompt, status=Status.DRAFT),
            make_comparison(harness, draft_role),
        ],
    }


def test_every_public_comparison_is_listed_under_each_of_its_roles(client, cluster):
    response = client.get("/compare/")
    assert response.status_code == 200
    soup = soup_of(response)
    groups = {
        section.h2.a.get_text(): [a["href"] for a in section.select(".comparison-links a")]
        for section in soup.select(".comparison-group")
    }
    harness_vs_ai, harness_vs_prompt = cluster["live"]
    assert groups == {
        "Harness Engineer": [
            c.path for c in sorted([harness_vs_ai, harness_vs_prompt], key=lambda c: c.title)
        ],
        "AI Engineer": [harness_vs_ai.path],
        "Prompt Engineer": [harness_vs_prompt.path],
    }
    html = response.content.decode()
    for hidden in cluster["hidden"]:
        assert hidden.path not in html
    assert "2 side-by-side comparisons of the roles" in soup.select_one(".lead").get_text()


def test_the_matrix_links_each_pair_or_says_it_is_missing(client, cluster):
    soup = soup_of(client.get("/compare/"))
    matrix = soup.select_one("table.matrix")
    assert [th.get_text() for th in matrix.select("thead th")] == [
        "Harness Engineer",
        "AI Engineer",
        "Prompt Engineer",
    ]
    rows = matrix.select("tbody tr")
    harness_vs_ai, harness_vs_prompt = cluster["live"]
    harness_row = rows[0].find_all("td")
    assert "matrix-same" in harness_row[0]["class"]
    assert harness_row[1].a["href"] == harness_vs_ai.path
    assert harness_row[2].a["href"] == harness_vs_prompt.path
    # AI Engineer vs Prompt Engineer is only a draft: missing, in both of its cells.
    assert "not compared yet" in rows[1].find_all("td")[2].get_text()
    assert "not compared yet" in rows[2].find_all("td")[1].get_text()


def test_the_page_carries_an_itemlist_of_the_comparisons_it_lists(client, cluster):
    graph = graph_of(client.get("/compare/"))
    (item_list,) = graph["ItemList"]
    urls = [entry["url"] for entry in item_list["itemListElement"]]
    assert sorted(urls) == sorted(settings.SITE_URL + c.path for c in cluster["live"])
    assert [entry["position"] for entry in item_list["itemListElement"]] == [1, 2]
    assert graph["CollectionPage"]


def test_past_a_page_the_index_is_paged_at_its_own_addresses(client, monkeypatch):
    monkeypatch.setattr(views, "COMPARISON_ENTRIES_PER_PAGE", 4)
    hub = make_role("Hub Engineer", position=1)
    others = [make_role(f"Role {i}", position=10 + i) for i in range(3)]
    comparisons = [make_comparison(hub, other) for other in others]
    # Six lines: three under Hub Engineer, one under each other role.
    first = soup_of(client.get("/compare/"))
    second_response = client.get("/compare/page/2/")
    assert second_response.status_code == 200
    second = soup_of(second_response)
    assert first.select_one('link[rel="next"]')["href"] == "/compare/page/2/"
    assert second.select_one('link[rel="prev"]')["href"] == "/compare/"
    assert second.select_one('link[rel="canonical"]')["href"].endswith("/compare/page/2/")
    assert second.select_one("table.matrix") is None
    listed = [a["href"] for s in (first, second) for a in s.select(".comparison-links a")]
    assert sorted(listed) == sorted(c.path for c in comparisons for _ in range(2))
    assert client.get("/compare/page/3/").status_code == 404
    assert client.get("/compare/page/1/").status_code == 404


def test_a_role_split_across_pages_says_it_continues(client, monkeypatch):
    monkeypatch.setattr(views, "COMPARISON_ENTRIES_PER_PAGE", 2)
    hub = make_role("Hub Engineer", position=1)
    for i in range(3):
        make_comparison(hub, make_role(f"Role {i}", position=10 + i))
    second = soup_of(client.get("/compare/page/2/"))
    first_group = second.select_one(".comparison-group h2")
    assert first_group.a.get_text() == "Hub Engineer"
    assert "(continued)" in first_group.get_text()
    third = soup_of(client.get("/compare/page/3/"))
    assert "(continued)" not in third.select_one(".comparison-group h2").get_text()


def test_the_navigation_and_the_home_page_link_to_the_index(client, cluster):
    home = soup_of(client.get("/"))
    nav = home.select_one('nav[aria-label="Main"]')
    assert "/compare/" in [a["href"] for a in nav.find_all("a")]
    assert home.select_one('#comparisons a[href="/compare/"]') is not None
    index = soup_of(client.get("/compare/"))
    current = index.select_one('nav[aria-label="Main"] a[aria-current="page"]')
    assert current["href"] == "/compare/"


def test_with_nothing_published_the_index_says_so(client):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert "No comparisons are published yet." in response.content.decode()
