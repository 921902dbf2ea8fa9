"""FAQ staff see the content items their work needs (the pages an FAQ may appear on) and no
more: not through the other pickers, not through "view on site", not in a list filter."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import Tag

from tests.factories import make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def search(client, app_label, model_name, field_name, term="Secret"):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


@pytest.fixture
def secret_draft():
    return make_page("Secret launch plan", role=make_role("Harness Engineer"), status="draft")


def test_faq_staff_find_draft_pages_to_place_an_faq(faq_staff_client, secret_draft):
    response = search(faq_staff_client, "faq", "faqplacement", "item")
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Cluster page: Secret launch plan"]


@pytest.mark.parametrize(
    "source",
    [
        ("pages", "relatedlink", "target"),
        ("pages", "relatedlink", "source"),
        ("harness_cms", "redirect", "target"),
        ("comparisons", "comparison", "role_a"),
    ],
)
def test_no_other_picker_lists_items_to_faq_staff(faq_staff_client, secret_draft, source):
    response = search(faq_staff_client, *source)
    assert response.status_code == 403
    assert b"Secret" not in response.content


def test_editors_keep_every_picker(editor_client, secret_draft):
    for source in [("pages", "relatedlink", "target"), ("harness_cms", "redirect", "target")]:
        response = search(editor_client, *source)
        assert [r["text"] for r in response.json()["results"]] == [
            "Cluster page: Secret launch plan"
        ]


def view_on_site(client, obj):
    ct = ContentType.objects.get_for_model(obj)
    return client.get(reverse("admin:view_on_site", args=[ct.pk, obj.pk]))


def test_view_on_site_does_not_give_faq_staff_a_drafts_address(faq_staff_client, secret_draft):
    response = view_on_site(faq_staff_client, secret_draft)
    assert response.status_code == 404
    assert "secret" not in response.get("Location", "")


def test_view_on_site_still_works_for_what_faq_staff_may_see(faq_staff_client):
    role = make_role("Harness Engineer")
    faq = make_faq("Draft?", status="draft")
    assert view_on_site(faq_staff_client, role)["Location"].endswith(role.path)
    assert view_on_site(faq_staff_client, faq).status_code == 302


def test_editors_view_drafts_on_site(editor_client, secret_draft):
    assert view_on_site(editor_client, secret_draft)["Location"].endswith(secret_draft.path)


def test_the_faq_lists_tag_filter_offers_only_tags_on_faqs(faq_staff_client, secret_draft):
    secret_draft.tags.add("unannounced product")
    make_faq("Public?").tags.add("sessions")
    make_faq("Draft?", status="draft").tags.add("memory")
    page = faq_staff_client.get(reverse("admin:faq_faq_changelist")).content.decode()
    assert "sessions" in page and "memory" in page
    assert "unannounced product" not in page
    sessions = Tag.objects.get(name="sessions")
    url = reverse("admin:faq_faq_changelist")
    listed = faq_staff_client.get(url, {"tag": sessions.pk}).context["cl"].result_list
    assert [faq.question for faq in listed] == ["Public?"]
    assert faq_staff_client.get(url, {"tag": "nonsense"}).status_code == 200


def test_the_faq_lists_tag_filter_counts_its_facets(faq_staff_client):
    """With facets shown, Django hands the filter each tag id as a number, not as text (was
    a 500)."""
    make_faq("Public?").tags.add("sessions")
    make_faq("Also public?").tags.add("sessions")
    url = reverse("admin:faq_faq_changelist")
    response = faq_staff_client.get(url, {"_facets": ""})
    assert response.status_code == 200
    assert "sessions (2)" in response.content.decode()
