"""Every admin save keeps a revision; the history compares any two and restores any one."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from reversion.models import Version

from comparisons.models import Comparison, ComparisonRow, SharedPoint
from faq.models import FAQ
from harness_cms.core.models import RelatedLink
from tests.admin_forms import form_fields, publish, submit
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


@pytest.fixture
def comparison_with_two_revisions(editor_client):
    """A comparison saved twice through the admin: first with one row, then changed."""
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    faq = make_faq("Does one replace the other?")
    card_target = make_page("Architecture", role=harness)
    response = submit(
        editor_client,
        reverse("admin:comparisons_comparison_add"),
        {
            "role_a": harness.pk,
            "role_b": ai.pk,
            "title": "Harness Engineer vs AI Engineer",
            "body": "## Scope\n\nFirst line.\nSecond line.\n",
            "tags": "agents",
        },
        inlines={
            "shared_points": [{"text": "Both ship AI products.", "position": 0}],
            "rows": [
                {
                    "dimension": "Focus",
                    "role_a_text": "Runs",
                    "role_b_text": "Features",
                    "position": 0,
                },
            ],
            "faq_placements": [{"faq": faq.pk, "position": 0}],
            "links": [{"section": "related", "target": card_target.pk, "position": 0}],
        },
    )
    assert response.status_code == 302
    comparison = Comparison.objects.get()
    data = form_fields(editor_client.get(change_url(comparison)))
    data.update(
        {
            "body": "## Scope\n\nFirst line.\nA changed second line.\n",
            "tags": "agents, memory",
            "rows-0-role_a_text": "Whole runs",
            "shared_points-0-DELETE": "on",
        }
    )
    response = editor_client.post(change_url(comparison), data)
    assert response.status_code == 302
    return comparison


def test_every_admin_save_keeps_a_revision_with_rows_placements_cards_and_tags(
    comparison_with_two_revisions, editor
):
    comparison = comparison_with_two_revisions
    first, second = versions_of(comparison)
    assert first.revision.user == editor and second.revision.user == editor
    models_in_first = {v._model.__name__ for v in first.revision.version_set.all()}
    assert {
        "Comparison",
        "ContentItem",
        "SharedPoint",
        "ComparisonRow",
        "FAQPlacement",
        "RelatedLink",
        "TaggedItem",
        "Tag",
    } <= models_in_first
    second_models = {v._model.__name__ for v in second.revision.version_set.all()}
    assert "SharedPoint" not in second_models  # deleted in the second save


def test_history_page_lists_who_and_when(comparison_with_two_revisions, editor_client):
    response = editor_client.get(history_url(comparison_with_two_revisions))
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("#revisions tbody tr")
    assert len(rows) == 2
    assert "editor" in rows[0].get_text() and "Changed" in rows[0].get_text()
    assert "Restore revision 1" in rows[1].get_text()


def test_compare_shows_a_field_by_field_diff_with_markdown_by_lines(
    comparison_with_two_revisions, editor_client
):
    comparison = comparison_with_two_revisions
    first, second = versions_of(comparison)
    url = reverse("admin:comparisons_comparison_compare", args=[comparison.pk])
    response = editor_client.get(url, {"old": second.pk, "new": first.pk})
    assert response.status_code == 200
    diffs = {d.label: d for d in response.context["diffs"] if d.changed}
    assert set(diffs) == {"Body", "Tags", "Shared points", "Comparison rows"}
    assert ("-", "Second line.") in diffs["Body"].lines
    assert ("+", "A changed second line.") in diffs["Body"].lines
    assert (" ", "First line.") in diffs["Body"].lines
    assert ("-", "Both ship AI products.") in diffs["Shared points"].lines
    assert ("+", "Focus: Whole runs | Features") in diffs["Comparison rows"].lines


def test_compare_without_two_revisions_goes_back_with_a_message(
    comparison_with_two_revisions, editor_client
):
    url = reverse("admin:comparisons_comparison_compare", args=[comparison_with_two_revisions.pk])
    response = editor_client.get(url, {"old": "x"}, follow=True)
    assert "Choose two revisions" in response.content.decode()


def test_restore_brings_back_fields_rows_and_tags_as_a_new_revision(
    comparison_with_two_revisions, editor_client
):
    comparison = comparison_with_two_revisions
    first, _ = versions_of(comparison)
    url = reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    confirm = editor_client.get(url)
    assert confirm.status_code == 200 and b"new revision" in confirm.content
    assert Comparison.objects.get().body.endswith("A changed second line.")
    response = editor_client.post(url)
    assert response.status_code == 302
    comparison = Comparison.objects.get()
    assert comparison.body == "## Scope\n\nFirst line.\nSecond line."
    assert "Second line." in comparison.body_html
    assert [p.text for p in SharedPoint.objects.all()] == ["Both ship AI products."]
    assert [r.role_a_text for r in ComparisonRow.objects.all()] == ["Runs"]
    assert sorted(comparison.tags.names()) == ["agents"]
    assert comparison.faq_placements.count() == 1 and RelatedLink.objects.count() == 1
    assert len(versions_of(comparison)) == 3
    assert versions_of(comparison)[-1].revision.comment.startswith("Restored revision 1")


def test_restore_keeps_the_current_publishing_state(editor_client):
    role = make_role("Harness Engineer", status="draft")
    submit(editor_client, change_url(role), {"lead": "Old lead."})
    submit(editor_client, change_url(role), {"lead": "New lead.", "status": "published"})
    first = versions_of(role)[0]
    url = reverse("admin:comparisons_role_restore", args=[role.pk, first.pk])
    shown = {d.label for d in editor_client.get(url).context["diffs"] if d.changed}
    assert shown == {"Lead"}  # the confirmation shows only what a restore writes
    assert editor_client.post(url).status_code == 302
    role.refresh_from_db()
    assert role.lead == "Old lead." and role.status == "published"


def test_restoring_a_revision_whose_faq_was_deleted_writes_nothing(
    comparison_with_two_revisions, editor_client
):
    comparison = comparison_with_two_revisions
    first, _ = versions_of(comparison)
    faq = FAQ.objects.get()
    submit(editor_client, change_url(faq), {"question": "Renamed so the revision knows it?"})
    FAQ.objects.all().delete()
    url = reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    response = editor_client.post(url, follow=True)
    text = response.content.decode()
    assert "Nothing restored" in text and "has been deleted" in text
    assert "FAQ entry" in text
    comparison.refresh_from_db()
    assert comparison.body.endswith("A changed second line.")
    assert len(versions_of(comparison)) == 2


def test_restoring_a_revision_whose_role_was_deleted_writes_nothing(editor_client):
    a, b, c = make_role("A role"), make_role("B role"), make_role("C role")
    comparison = make_comparison(a, b, status="draft")
    publish(editor_client, change_url(b), {"lead": "A revision remembers this role's name."})
    submit(editor_client, change_url(comparison), {"lead": "With B."})
    submit(editor_client, change_url(comparison), {"role_b": c.pk, "lead": "With C."})
    b.delete()
    first = versions_of(comparison)[0]
    url = reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    page = editor_client.get(url)
    assert "Role B: role “B role” has been deleted." in page.content.decode()
    response = editor_client.post(url, follow=True)
    assert "Nothing restored. Role B: role “B role” has been deleted." in (
        response.content.decode()
    )
    comparison.refresh_from_db()
    assert comparison.role_b == c and comparison.lead == "With C."


def test_restoring_a_deleted_role_says_so_and_writes_nothing(editor_client):
    role = make_role("Harness Engineer")
    publish(editor_client, change_url(role), {"lead": "Saved once."})
    version = versions_of(role)[0]
    role_pk = role.pk
    role.delete()
    url = reverse("admin:comparisons_role_restore", args=[role_pk, version.pk])
    response = editor_client.post(url, follow=True)
    assert response.status_code == 200
    assert "has been deleted, and a deleted item cannot be brought back" in (
        response.content.decode()
    )
    assert not Comparison.objects.exists()


def test_restoring_a_slug_now_taken_by_another_role_is_refused(editor_client):
    role = make_role("Harness Engineer", slug="harness-engineer")
    publish(editor_client, change_url(role), {"lead": "First."})
    publish(editor_client, change_url(role), {"slug": "harness-engineering"})
    make_role("Other", slug="harness-engineer")
    url = reverse("admin:comparisons_role_restore", args=[role.pk, versions_of(role)[0].pk])
    response = editor_client.post(url, follow=True)
    assert "Nothing restored. Slug: Another role already uses this slug." in (
        response.content.decode()
    )
    role.refresh_from_db()
    assert role.slug == "harness-engineering"


def test_faq_revisions_keep_placements(editor_client):
    role, other = make_role("Harness Engineer"), make_role("AI Engineer")
    faq = make_faq("Which teams benefit?", status="draft", on=[role])
    submit(editor_client, change_url(faq), {"answer": "Old answer."})
    data = form_fields(editor_client.get(change_url(faq)))
    data.update({"answer": "New answer.", "placements-0-item": other.pk})
    assert editor_client.post(change_url(faq), data).status_code == 302
    url = reverse("admin:faq_faq_restore", args=[faq.pk, versions_of(faq)[0].pk])
    assert editor_client.post(url).status_code == 302
    faq.refresh_from_db()
    assert faq.answer == "Old answer."
    assert [p.item_id for p in faq.placements.all()] == [role.pk]


def test_a_revision_of_another_item_is_not_found(comparison_with_two_revisions, editor_client):
    role = make_role("Unrelated")
    version = versions_of(comparison_with_two_revisions)[0]
    url = reverse("admin:comparisons_role_restore", args=[role.pk, version.pk])
    assert editor_client.get(url).status_code == 404
