"""The favicon and the error pages every address can end on."""

import pytest
from django.test import RequestFactory
from django.urls import path
from django.views.defaults import server_error

from tests.html import assert_site_page, soup_of


def test_favicon_ico_leads_to_the_svg_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_404_page_offers_search_and_the_way_home(client, db):
    response = client.get("/no-such-page/?q=<script>")
    assert response.status_code == 404
    soup = soup_of(response)
    assert_site_page(soup, h1="Page not found")
    assert soup.find("form", role="search", action="/search/")
    assert soup.find("a", href="/")
    assert "<script>" not in response.content.decode()


def test_the_500_page_renders_without_the_database():
    """No database fixture: any query here would fail the test."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    soup = soup_of(response)
    assert soup.h1.get_text() == "Something went wrong"
    assert soup.find("link", rel="stylesheet")["href"].endswith("site.css")
    assert soup.find("a", href="/")


def broken_view(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_is_served_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
