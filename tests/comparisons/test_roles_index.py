"""The roles index at /roles/: every public role, in pages; the hub shows the first ones and
leads there."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import override_settings

from comparisons import views
from comparisons.models import Role
from harness_cms.core.visibility import Status
from tests.factories import make_page, make_role

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def card_titles(soup):
    return [title.text.strip() for title in soup.select(".card-title")]


def test_the_index_lists_every_public_role_in_the_hubs_order(client):
    make_role("Harness Engineer", summary="Owns the runtime around the model.", position=1)
    make_role("AI Engineer", position=2)
    make_role("Unreleased Engineer", status=Status.DRAFT)
    soup = soup_of(client.get("/roles/"))
    assert soup.h1.text == "Roles"
    assert card_titles(soup) == ["Harness Engineer", "AI Engineer"]
    assert soup.select_one(".card a")["href"] == "/roles/harness-engineer/"
    assert "Owns the runtime around the model." in soup.select_one(".card").text
    assert "All 2 roles" in soup.select_one('meta[name="description"]')["content"]
    assert [a.text for a in soup.select(".breadcrumbs a, .breadcrumbs [aria-current]")] == [
        "Home",
        "Roles",
    ]
    assert not soup.select(".pagination")
    assert soup.h2.text == "All 2 roles"


@override_settings(SITE_URL="https://www.example.com")
def test_past_a_hundred_roles_the_index_has_pages_at_their_own_addresses(client, monkeypatch):
    monkeypatch.setattr(views, "ROLES_PER_PAGE", 2)
    for number in range(5):
        make_role(f"Role {number}", position=number)
    first, second, third = (
        soup_of(client.get(path)) for path in ["/roles/", "/roles/page/2/", "/roles/page/3/"]
    )
    assert card_titles(first) == ["Role 0", "Role 1"]
    assert card_titles(second) == ["Role 2", "Role 3"]
    assert card_titles(third) == ["Role 4"]
    assert second.h2.text == "Roles 3–4 of 5"
    assert second.select_one('link[rel="canonical"]')["href"] == (
        "https://www.example.com/roles/page/2/"
    )
    assert second.select_one('link[rel="prev"]')["href"] == "/roles/"
    assert second.select_one('link[rel="next"]')["href"] == "/roles/page/3/"
    assert not third.select_one('link[rel="next"]')
    assert "page 2 of 3" in second.title.text
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/roles/page/2/"


@pytest.mark.parametrize("path", ["/roles/page/1/", "/roles/page/4/", "/roles/page/0/"])
def test_a_page_the_index_does_not_have_is_404(client, monkeypatch, path):
    monkeypatch.setattr(views, "ROLES_PER_PAGE", 2)
    for number in range(5):
        make_role(f"Role {number}")
    assert client.get(path).status_code == 404


def test_no_role_may_take_the_slug_of_the_index_pages():
    role = Role(title="Page", slug="page", status=Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "kept for the pages of the roles index" in str(error.value.message_dict["slug"])


def test_the_hub_shows_the_first_roles_and_leads_to_the_index(client, hub_limits):
    hub_limits(HUB_ROLES=2)
    make_page("Hub", page_kind="hub", is_home=True)
    for number in range(2):
        make_role(f"Role {number}", position=number)
    assert b"All roles</a> are on the roles index" not in client.get("/").content
    make_role("Role 2", position=2)
    soup = soup_of(client.get("/"))
    assert [a.text for a in soup.select(".role-card-title a")] == ["Role 0", "Role 1"]
    assert soup.select_one("#roles .section-intro a")["href"] == "/roles/"


def test_the_main_navigation_and_the_sitemap_lead_to_the_index(client):
    make_role("Harness Engineer")
    soup = soup_of(client.get("/roles/"))
    assert soup.select_one('.site-nav a[aria-current="page"]')["href"] == "/roles/"
    assert "/roles/</loc>" in client.get("/sitemap.xml").content.decode()
