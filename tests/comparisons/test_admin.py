"""The comparison form: the title defaults to "Role A vs Role B" and the address follows the
roles; on every change form the content and its rows come before publishing and SEO."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comparisons.models import Comparison
from tests.admin_forms import form_fields
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def test_a_comparison_saved_without_a_title_is_named_after_its_roles(editor_client):
    role_a, role_b = make_role("Harness Engineer"), make_role("AI Engineer")
    url = reverse("admin:comparisons_comparison_add")
    data = form_fields(editor_client.get(url))
    data.update(role_a=role_a.pk, role_b=role_b.pk, title="", status="draft")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    comparison = Comparison.objects.get()
    assert comparison.title == "Harness Engineer vs AI Engineer"
    assert comparison.slug == f"{role_a.slug}-vs-{role_b.slug}"


def test_a_typed_title_is_kept_and_missing_roles_are_the_error(editor_client):
    role_a, role_b = make_role("Harness Engineer"), make_role("AI Engineer")
    url = reverse("admin:comparisons_comparison_add")
    data = form_fields(editor_client.get(url))
    data.update(role_a=role_a.pk, role_b=role_b.pk, title="Which one to hire", status="draft")
    assert editor_client.post(url, data).status_code == 302
    assert Comparison.objects.get().title == "Which one to hire"
    data = form_fields(editor_client.get(url))
    data.update(role_a=role_a.pk, title="", status="draft")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"role_b"}
    assert Comparison.objects.count() == 1


def order_of(response, markers):
    """The position in the page of the first element matching each CSS selector."""
    html = response.content.decode()
    page = BeautifulSoup(html, "html.parser")
    elements = list(page.find_all(True))
    return {name: elements.index(page.select_one(selector)) for name, selector in markers.items()}


@pytest.mark.parametrize("kind", ["comparison", "role", "page", "faq"])
def test_content_and_rows_come_before_publishing_and_seo(editor_client, kind):
    if kind == "comparison":
        obj, url_name = make_comparison(rows=1), "admin:comparisons_comparison_change"
    elif kind == "role":
        obj, url_name = make_role("Ordered role"), "admin:comparisons_role_change"
    elif kind == "page":
        obj, url_name = make_page("Ordered page"), "admin:pages_page_change"
    else:
        obj, url_name = make_faq("Ordered question?"), "admin:faq_faq_change"
    response = editor_client.get(reverse(url_name, args=[obj.pk]))
    markers = {"rows": ".inline-group", "publishing": "#id_status", "body": "form .field-slug"}
    if kind != "faq":
        markers["seo"] = "#id_seo_title"
    found = order_of(response, markers)
    assert found["body"] < found["rows"] < found["publishing"]
    if kind != "faq":
        assert found["rows"] < found["seo"]
