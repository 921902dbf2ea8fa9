"""Home hub and cluster pages."""

import pytest
from bs4 import BeautifulSoup

from harness_cms.core.visibility import Status
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_home_lists_roles_with_their_clusters_and_comparisons(client):
    make_page("Harness Engineering", page_kind="hub", is_home=True, lead="Start here.")
    role = make_role("Harness Engineer")
    make_page("Workflow", role=role)
    make_comparison(role, make_role("AI Engineer"))
    make_role("Secret role", status=Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.text == "Harness Engineering"
    links = {a["href"] for a in soup.find_all("a")}
    assert {
        "/roles/harness-engineer/",
        "/roles/harness-engineer/workflow/",
        "/compare/harness-engineer-vs-ai-engineer/",
    } <= links
    assert "Secret role" not in soup.get_text()


def test_home_without_a_hub_page_still_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert soup_of(response).h1.text


def test_cluster_page_has_contents_and_previous_next(client):
    role = make_role("Harness Engineer")
    first = make_page("Job description", role=role, position=1)
    second = make_page(
        "Architecture",
        role=role,
        position=2,
        body="## Context layers\n\nx\n\n## Memory layers\n\ny",
    )
    third = make_page("Workflow", role=role, position=3)
    soup = soup_of(client.get(second.get_absolute_url()))
    toc = soup.find("nav", class_="toc")
    assert [a["href"] for a in toc.find_all("a")] == ["#context-layers", "#memory-layers"]
    assert soup.find("a", rel="prev")["href"] == first.path
    assert soup.find("a", rel="next")["href"] == third.path


def test_a_page_is_only_found_under_its_own_role(client):
    page = make_page("Architecture", role=make_role("Harness Engineer"))
    make_role("AI Engineer")
    assert client.get(page.path).status_code == 200
    assert client.get("/roles/ai-engineer/architecture/").status_code == 404


def test_a_draft_page_is_404(client):
    page = make_page("Plan", role=make_role(), status=Status.DRAFT)
    assert client.get(page.path).status_code == 404


def test_stand_alone_guide_is_served(client):
    guide = make_page("Reading list", body="Books.")
    assert client.get(guide.path).status_code == 200
    assert client.get("/guides/nothing-here/").status_code == 404


def test_the_home_hub_is_not_served_again_as_a_guide(client):
    make_page("Home", slug="home", page_kind="hub", is_home=True)
    assert client.get("/guides/home/").status_code == 404


def test_unknown_address_uses_the_sites_404_template(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in soup_of(response).title.text


def test_the_hub_shows_the_first_comparisons_and_says_where_the_rest_are(client, hub_limits):
    hub_limits(HUB_COMPARISONS=2)
    role = make_role("Harness Engineer")
    make_comparison(role, make_role("AI Engineer"))
    make_comparison(role, make_role("Prompt Engineer"))
    assert b"These are the first" not in client.get("/").content  # all of them shown
    make_comparison(role, make_role("Data Engineer"))
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert len(soup.select("#comparisons .card")) == 2
    assert "These are the first 2 comparisons." in soup.select_one("#comparisons p").get_text()
    assert soup.select_one("#comparisons p a")["href"] == "/compare/"


def test_the_hub_bounds_cluster_pages_and_guides(client, hub_limits):
    hub_limits(HUB_CLUSTER_PAGES=1, HUB_GUIDES=1)
    role = make_role("Harness Engineer")
    make_page("Architecture", role=role, position=1)
    make_page("Workflow", role=role, position=2)
    make_page("Getting started", position=1)
    make_page("Going further", position=2)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a.text for a in soup.select(".role-card-pages a")] == [
        "Architecture",
        "All Harness Engineer guides",
    ]
    assert soup.select(".role-card-pages a")[-1]["href"] == f"{role.path}#guides"
    assert [h.text for h in soup.select("#guides .card-title")] == ["Getting started"]
    assert soup.select_one("#guides p a")


def test_a_page_whose_end_time_passes_between_the_two_queries_still_renders(client, monkeypatch):
    """The page is read, then its siblings; if its unpublish time passes in between it is no
    longer among them. ``next(...)`` over the siblings raised StopIteration there (a 500)."""
    from pages.models import Page

    role = make_role("Harness Engineer")
    first = make_page("Architecture", role=role, position=0)
    make_page("Workflow", role=role, position=1)
    published = Page.objects.published

    def ended_meanwhile(*args, **kwargs):
        # The view has read the page already (its own query): from here on it has ended.
        return published(*args, **kwargs).exclude(pk=first.pk)

    monkeypatch.setattr(Page.objects, "published", ended_meanwhile)
    response = client.get(first.path)
    assert response.status_code == 200
    assert response.context["next_page"].title == "Workflow"
