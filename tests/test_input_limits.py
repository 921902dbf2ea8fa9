"""Input is taken whole or refused with the rule: lowercase slugs, limits said and never cut
silently, a title in another script told what to do for its address (issue point 10)."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from comparisons.models import Role
from tests.admin_forms import form_fields, submit
from tests.factories import make_role

pytestmark = pytest.mark.django_db


def errors_of(response):
    return response.context["adminform"].form.errors


def test_an_upper_case_slug_is_a_form_error_and_a_model_error(editor_client):
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_add"),
        {"title": "Upper", "slug": "UPPER-Case", "status": "draft"},
    )
    assert response.status_code == 200
    assert "lowercase" in str(errors_of(response)["slug"])
    assert not Role.objects.exists()
    with pytest.raises(ValidationError) as refused:
        Role(title="Upper", slug="UPPER-Case").full_clean()
    assert "slug" in refused.value.message_dict


def test_no_text_box_cuts_what_is_pasted_into_it(editor_client):
    role = make_role("Harness Engineer")
    page = editor_client.get(reverse("admin:comparisons_role_change", args=[role.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select("input[maxlength], textarea[maxlength]") == []


def test_an_over_long_seo_title_is_an_error_that_says_the_limit(editor_client):
    role = make_role("Harness Engineer")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(editor_client, url, {"seo_title": "x" * 94, "title": "t" * 10_000})
    assert response.status_code == 200
    errors = errors_of(response)
    assert "at most 70 characters (it has 94)" in str(errors["seo_title"])
    assert "at most 200 characters (it has 10000)" in str(errors["title"])
    again = form_fields(response)
    assert len(again["seo_title"]) == 94 and len(again["title"]) == 10_000
    role.refresh_from_db()
    assert role.seo_title == "" and role.title == "Harness Engineer"


def test_a_title_without_latin_letters_is_told_how_to_give_the_address(editor_client):
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_add"),
        {"title": "データ エンジニア 🚀", "slug": "", "status": "draft"},
    )
    assert response.status_code == 200
    message = str(errors_of(response)["slug"])
    assert "lowercase Latin letters" in message and "type it here" in message
    assert form_fields(response)["title"] == "データ エンジニア 🚀"
