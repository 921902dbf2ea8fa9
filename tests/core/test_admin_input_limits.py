"""Input the database cannot hold is a form error in the admin, on SQLite as on PostgreSQL,
and a list filter no date can match is an error page of the admin's own, never a 500."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from taggit.models import Tag

from tests.admin_forms import submit
from tests.factories import make_faq, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    return client


@pytest.mark.parametrize(
    "tags", ["x" * 101, "fine, " + "é" * 101, ", ".join(["ok"] * 2) + ", " + "y" * 500]
)
def test_faq_staff_get_a_form_error_for_a_topic_over_100_characters(faq_staff_client, tags):
    """A 500 on PostgreSQL (varchar(100)), silently stored on SQLite."""
    faq = make_faq("Tagged?", status="draft")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    response = submit(faq_staff_client, url, {"tags": tags, "question": "Changed?"})
    assert response.status_code == 200
    assert "at most 100 characters" in str(response.context["adminform"].form.errors["tags"])
    faq.refresh_from_db()
    assert faq.question == "Tagged?" and not Tag.objects.exists()


def test_editors_get_the_same_form_error(editor_client):
    role = make_role("Harness Engineer")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(editor_client, url, {"tags": "z" * 101})
    assert response.status_code == 200
    assert "tags" in response.context["adminform"].form.errors
    assert not Tag.objects.exists()


def test_a_topic_of_exactly_100_characters_is_kept(editor_client):
    role = make_role("Harness Engineer")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    assert submit(editor_client, url, {"tags": "w" * 100}, button="_publish").status_code == 302
    assert list(role.tags.names()) == ["w" * 100]


def test_more_than_fifty_topics_on_one_item_is_a_form_error(editor_client):
    role = make_role("Harness Engineer")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(editor_client, url, {"tags": ", ".join(f"t{n}" for n in range(51))})
    assert response.status_code == 200
    assert "at most 50 topics" in str(response.context["adminform"].form.errors["tags"])


DATED_LISTS = [
    (model, model_admin.date_hierarchy)
    for model, model_admin in admin.site._registry.items()
    if model_admin.date_hierarchy
]


@pytest.mark.parametrize(("model", "field"), DATED_LISTS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("year", ["99999999999", "-99999999999", "10000", "0", "1e9"])
def test_a_year_no_date_can_have_is_an_admin_error_not_a_500(superuser_client, model, field, year):
    """``?updated_at__year=99999999999`` raised OverflowError in the date hierarchy."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for params in (
        {f"{field}__year": year},
        {f"{field}__year": "2024", f"{field}__month": year},
        {f"{field}__year": "2024", f"{field}__month": "1", f"{field}__day": year},
    ):
        response = superuser_client.get(url, params)
        assert response.status_code in (200, 302), (params, response.status_code)
