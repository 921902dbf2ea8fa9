"""Duplicate as a new draft: the copy takes the rows, shared points, cards, FAQ placements and
topics, gets a free address ("-copy", "-copy-2"), is never public, leaves no redirect, and is in
the history and the audit log; a taken address is a form error that copies nothing."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comparisons.models import Comparison, Role
from faq.models import FAQ, FAQPlacement
from harness_cms.core.models import ContentItem, Redirect
from harness_cms.core.visibility import Status
from harness_cms.editorial.models import AuditEntry
from pages.models import Page
from tests.factories import (
    make_comparison,
    make_faq,
    make_link,
    make_page,
    make_role,
    make_shared_point,
)

pytestmark = pytest.mark.django_db


def duplicate_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_duplicate", args=[obj.pk])


def errors_of(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(node.get_text(" ") for node in page.select(".errornote, .errorlist"))


@pytest.fixture
def guide():
    page = make_page("Context guide", slug="context-guide", lead="Kept lead.")
    page.tags.add("memory", "sessions")
    make_faq("Placed on the guide?", on=[page])
    FAQPlacement.objects.filter(item=page).update(is_home=True)
    make_link(page, make_page("Card target"))
    return Page.objects.get(pk=page.pk)


def test_duplicating_a_page_copies_everything_as_a_new_draft(editor_client, client, guide):
    redirects = Redirect.objects.count()
    form = editor_client.get(duplicate_url(guide))
    assert form.status_code == 200
    page = BeautifulSoup(form.content, "html.parser")
    assert page.select_one("#id_slug")["value"] == "context-guide-copy"
    response = editor_client.post(
        duplicate_url(guide), {"title": "Context guide (copy)", "slug": "context-guide-copy"}
    )
    copy = Page.objects.get(slug="context-guide-copy")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:pages_page_change", args=[copy.pk])
    assert copy.pk != guide.pk and copy.status == Status.DRAFT and copy.publish_at is None
    assert copy.lead == "Kept lead." and copy.updated_by.username == "editor"
    assert sorted(copy.tags.names()) == ["memory", "sessions"]
    placement = copy.faq_placements.get()
    assert placement.faq.question == "Placed on the guide?" and not placement.is_home
    assert copy.links.get().target.title == "Card target"
    # The original keeps its own rows; the copy is not public; no redirect anywhere.
    assert guide.faq_placements.get().is_home
    assert guide.links.count() == 1
    assert client.get(copy.path).status_code == 404
    assert client.get(guide.path).status_code == 200
    assert Redirect.objects.count() == redirects
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DUPLICATED)
    assert entry.object_id == str(copy.pk) and "Context guide" in entry.detail


def test_the_second_copy_takes_the_next_free_slug(editor_client, guide):
    editor_client.post(duplicate_url(guide), {"title": "One", "slug": "context-guide-copy"})
    page = BeautifulSoup(editor_client.get(duplicate_url(guide)).content, "html.parser")
    assert page.select_one("#id_slug")["value"] == "context-guide-copy-2"


def test_a_taken_slug_is_a_form_error_and_copies_nothing(editor_client, guide):
    role = make_role("Data engineer", slug="data-engineer")
    make_role("Taken", slug="data-engineer-copy")
    pages, roles = Page.objects.count(), Role.objects.count()
    response = editor_client.post(
        duplicate_url(role), {"title": "Data engineer two", "slug": "data-engineer-copy"}
    )
    assert response.status_code == 200
    assert "already uses this slug" in errors_of(response)
    assert Role.objects.count() == roles
    response = editor_client.post(duplicate_url(guide), {"title": "", "slug": "Not A Slug!"})
    assert response.status_code == 200 and errors_of(response)
    assert Page.objects.count() == pages
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DUPLICATED).exists()


def test_a_comparison_is_duplicated_for_two_other_roles_with_its_rows(editor_client):
    comparison = make_comparison(rows=2)
    make_shared_point(comparison, "Both ship.")
    comparison.tags.add("agents")
    response = editor_client.post(
        duplicate_url(comparison),
        {"role_a": comparison.role_a_id, "role_b": comparison.role_b_id, "title": ""},
    )
    assert response.status_code == 200
    assert "already compared" in errors_of(response)
    assert Comparison.objects.count() == 1

    other = make_role("Prompt engineer")
    response = editor_client.post(
        duplicate_url(comparison), {"role_a": comparison.role_a_id, "role_b": other.pk}
    )
    assert response.status_code == 302
    copy = Comparison.objects.exclude(pk=comparison.pk).get()
    assert copy.title == f"{comparison.role_a.title} vs Prompt engineer"
    assert copy.slug == f"{comparison.role_a.slug}-vs-{other.slug}"
    assert copy.status == Status.DRAFT
    assert [r.dimension for r in copy.rows.all()] == [r.dimension for r in comparison.rows.all()]
    assert [p.text for p in copy.shared_points.all()] == ["Both ship."]
    assert list(copy.tags.names()) == ["agents"]
    assert comparison.rows.count() == 2


def test_the_bulk_action_duplicates_faqs_and_pages_and_explains_comparisons(editor_client):
    faq = make_faq("Which teams benefit?", on=[make_page("Home of it")])
    page = make_page("Workflow", slug="workflow")
    comparison = make_comparison()
    for model, objs in ((FAQ, [faq]), (Page, [page]), (Comparison, [comparison])):
        opts = model._meta
        response = editor_client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": "duplicate_selected", "_selected_action": [obj.pk for obj in objs]},
            follow=True,
        )
        assert response.status_code == 200
    copy = FAQ.objects.get(slug=f"{faq.slug}-copy")
    assert copy.status == Status.DRAFT and copy.question == "Which teams benefit? (copy)"
    assert copy.placements.count() == 1
    assert Page.objects.filter(slug="workflow-copy", status=Status.DRAFT).exists()
    assert Comparison.objects.count() == 1
    assert "choosing two other roles" in response.text


def test_the_change_form_offers_duplicate(editor_client):
    page = make_page("Guide")
    response = editor_client.get(reverse("admin:pages_page_change", args=[page.pk]))
    form = BeautifulSoup(response.content, "html.parser")
    assert form.select_one("a.duplicatelink")["href"] == duplicate_url(page)


def test_faq_staff_may_duplicate_faqs_and_nothing_else(faq_staff_client):
    page = make_page("Guide")
    assert faq_staff_client.get(duplicate_url(page)).status_code == 403
    refused = faq_staff_client.post(duplicate_url(page), {"slug": "guide-copy", "title": "x"})
    assert refused.status_code == 403
    assert ContentItem.objects.count() == 1
    faq = make_faq("Staff copy?")
    assert faq_staff_client.get(duplicate_url(faq)).status_code == 200
    response = faq_staff_client.post(
        duplicate_url(faq), {"question": "Staff copy, again?", "slug": "staff-copy-again"}
    )
    assert response.status_code == 302
    assert FAQ.objects.get(slug="staff-copy-again").status == Status.DRAFT
