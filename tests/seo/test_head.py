"""Every page's <head>: description, canonical, robots, Open Graph and Twitter tags."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from harness_cms.core.models import SiteSettings
from harness_cms.core.visibility import Status
from tests.factories import make_comparison, make_page, make_role
from tests.seo.conftest import soup_of

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


def meta(soup, key):
    tag = soup.find("meta", attrs={"name": key}) or soup.find("meta", property=key)
    return tag["content"] if tag else None


def test_an_item_page_has_every_head_tag(client):
    role = make_role(
        "Harness Engineer",
        seo_title="What Is a Harness Engineer? Role Definition",
        seo_description="What a Harness Engineer is and owns, and how the role ties into agents "
        "and memory.",
    )
    soup = soup_of(client.get(role.path))
    assert soup.html["lang"] == "en"
    assert soup.title.string == "What Is a Harness Engineer? Role Definition"
    assert meta(soup, "description") == role.seo_description
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/roles/harness-engineer/"
    assert meta(soup, "og:title") == role.seo_title
    assert meta(soup, "og:description") == role.seo_description
    assert meta(soup, "og:url") == f"{SITE}/roles/harness-engineer/"
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:title") == role.seo_title
    # Without a chosen image, the site's drawn card: the role's name, 1200 by 630.
    assert meta(soup, "og:image").startswith(f"{SITE}/social/item-{role.pk}-")
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == "Role — Harness Engineer"
    assert meta(soup, "twitter:image") == meta(soup, "og:image")
    assert meta(soup, "robots") is None
    assert len(soup.find_all("h1")) == 1


def test_the_description_falls_back_to_the_lead(client):
    role = make_role("AI Engineer", lead="Integrates models into products and **ships** them.")
    soup = soup_of(client.get(role.path))
    assert meta(soup, "description") == "Integrates models into products and ships them."


def test_the_canonical_never_carries_the_query_string(client):
    page = make_page("Reading list")
    soup = soup_of(client.get(page.path + "?utm_source=x&page=2"))
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}{page.path}"


def test_pages_that_are_not_items_get_their_own_canonical(client):
    soup = soup_of(client.get("/faq/"))
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/faq/"
    assert meta(soup, "og:type") == "website"
    assert meta(soup, "og:title") == "FAQ"


def test_the_home_hub_is_canonical_at_the_root(client):
    make_page("Harness Engineering", slug="home", page_kind="hub", is_home=True)
    soup = soup_of(client.get("/"))
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/"
    assert meta(soup, "og:type") == "website"


def test_a_404_page_is_noindex_and_has_no_canonical(client):
    response = client.get("/roles/nobody/")
    assert response.status_code == 404
    soup = soup_of(response)
    assert meta(soup, "robots") == "noindex"
    assert soup.find("link", rel="canonical") is None
    assert soup.find("script", type="application/ld+json") is None


def render_head(**context):
    request = RequestFactory().get("/search/?q=memory")
    template = Template('{% include "includes/head_meta.html" %}')

    return soup_of_html(
        template.render(Context({"request": request, "site": SiteSettings.load(), **context}))
    )


def soup_of_html(html):

    return BeautifulSoup(html, "html.parser")


def test_noindex_in_the_context_adds_the_robots_tag():
    """Search results and previews set noindex=True; the head says so."""
    soup = render_head(noindex=True, meta_description="Search results for memory.")
    assert meta(soup, "robots") == "noindex"
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/search/"


def test_a_view_may_name_its_canonical_path():
    soup = render_head(canonical_path="/tags/memory/")
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/tags/memory/"


def test_a_draft_comparison_role_keeps_the_comparison_off_the_site(client):
    comparison = make_comparison(make_role(), make_role(status=Status.DRAFT))
    assert client.get(comparison.path).status_code == 404
