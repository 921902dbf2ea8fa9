"""Every page kind — each public page reachable on the demo site, each admin page — carries
the Content Security Policy and the other security headers, and loads nothing from elsewhere."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client

from comparisons import views as comparison_views
from faq.models import FAQS_PER_PAGE
from harness_cms.topics import views as topic_views
from tests.factories import make_faq
from tests.security.conftest import published_paths, report
from tests.security.inspect import executable_problems, header_problems, parse_csp
from tests.security.site_map import NOT_FOUND_PATH, admin_paths, crawl, public_routes, route_name

pytestmark = pytest.mark.django_db

# Named public URLs the crawl cannot reach by following links, and why.
NOT_CRAWLED = {
    "healthz": "JSON for load balancers; its headers are checked below",
    "seo:sitemap-section": "sections exist only past 50,000 URLs; the sitemap tests cover them",
    "seo:sitemap-section-page": "the same, from a section's second page on",
    "favicon": "/favicon.ico is asked for by browsers, never linked (pages link the SVG)",
    "images:media": "files of the image library: the demo has none (tests/images/ checks them)",
    "images:icon": "the mark at 192 and 512 pixels, named only by the JSON-LD logo",
    "notifications:indexnow-key": "the IndexNow key file: fetched by IndexNow, linked from nowhere "
    "(tests/notifications/ checks it)",
}


def test_every_public_page_kind_has_the_security_headers(client, demo, monkeypatch):
    for _ in range(FAQS_PER_PAGE):  # a second page of the FAQ index
        make_faq()
    monkeypatch.setattr(comparison_views, "ROLES_PER_PAGE", 1)  # pages of the roles index
    monkeypatch.setattr(comparison_views, "COMPARISON_ENTRIES_PER_PAGE", 2)  # and of /compare/
    monkeypatch.setattr(topic_views, "TAG_ENTRIES_PER_PAGE", 2)  # pages of a topic
    pages = crawl(client, start=published_paths())
    problems = {
        path: found for path, response in pages.items() if (found := header_problems(response))
    }
    assert problems == {}
    kinds = {route_name(path) for path, response in pages.items() if response.status_code == 200}
    names = {route.name for route in public_routes() if route.name}
    assert names - kinds - set(NOT_CRAWLED) == set(), "URL names the crawl never reached"
    assert pages[NOT_FOUND_PATH].status_code == 404
    report(f"headers: {len(pages)} public URLs, {len(kinds)} page kinds, all with CSP")


def test_public_pages_load_nothing_from_other_hosts_and_run_no_inline_code(client, demo):
    pages = crawl(client, start=published_paths())
    problems = {
        path: found
        for path, response in pages.items()
        if "text/html" in response.get("Content-Type", "")
        and (found := executable_problems(response.content))
    }
    assert problems == {}


def test_every_admin_page_has_the_security_headers(superuser_client, demo):
    paths = admin_paths()
    problems = {}
    served = set()
    for path in paths:
        response = superuser_client.get(path)
        if response.status_code == 200:
            served.add(path)
        # A POST-only endpoint (a form's heartbeat) answers a GET with 405 and says so.
        post_only = response.status_code == 405 and response.get("Allow") == "POST"
        assert response.status_code in (200, 302, 403) or post_only, (path, response.status_code)
        found = header_problems(response)
        if "text/html" in response.get("Content-Type", ""):
            found += executable_problems(response.content, public=False)
        if found:
            problems[path] = found
    assert problems == {}
    # Every registered model's list and first object were served.
    for model in admin.site._registry:
        opts = model._meta
        assert f"/admin/{opts.app_label}/{opts.model_name}/" in served, opts.label
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            assert f"/admin/{opts.app_label}/{opts.model_name}/{first.pk}/change/" in served
    report(f"headers: {len(paths)} admin pages, all with CSP")


def test_the_login_page_and_the_lockout_page_have_the_headers(db):
    client = Client()
    response = client.get("/admin/login/")
    assert header_problems(response) == []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 429
    assert header_problems(response) == []
    assert executable_problems(response.content, public=False) == []


def test_health_check_has_the_headers(client, db):
    assert header_problems(client.get("/healthz")) == []


def test_the_policy_is_exactly_what_the_settings_say(client, db):
    """A reviewer reads one place: settings.SECURE_CSP."""
    directives = parse_csp(client.get("/faq/")["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert set(directives) == set(settings.SECURE_CSP)


def test_https_responses_carry_hsts_for_a_year_with_subdomains(client, db):
    response = client.get("/faq/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/faq/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/faq/"


def test_behind_a_tls_proxy_the_forwarded_scheme_counts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/faq/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(db):
    client = Client()
    response = client.get("/admin/login/")
    assert response.cookies["csrftoken"]["secure"]
    user_model = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
    user_model.objects.create_user("bob", password="pw-long-enough", is_staff=True)
    response = client.post("/admin/login/", {"username": "bob", "password": "pw-long-enough"})
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]
