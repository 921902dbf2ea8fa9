"""Freshness: each live item says when it was last reviewed; the site settings say how often each
kind is due; the due-for-review queue and the admin index list what is due; marking reviewed is
one click that keeps a revision and an audit entry and changes nothing the public sees."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from comparisons.models import Comparison, Role
from faq.models import FAQ
from harness_cms.core.generation import current_generation
from harness_cms.core.models import SiteSettings
from harness_cms.core.visibility import publishable_models
from harness_cms.editorial import drafts, freshness
from harness_cms.editorial.models import AuditEntry, Draft
from tests.admin_forms import form_fields
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db

QUEUE = "/admin/due-for-review/"


def ago(days):
    return timezone.now() - timedelta(days=days)


def reviewed_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_reviewed", args=[obj.pk])


@pytest.fixture
def aged():
    """A role live for 200 days (due at 180), one for 100 (not due), a comparison live for 100
    (due at 90), an FAQ live for 300 (not due at 365) and one for 400 (due)."""
    old_role = make_role("Old role", publish_at=ago(200))
    young_role = make_role("Young role", publish_at=ago(100))
    comparison = make_comparison(old_role, young_role, title="Old vs young", publish_at=ago(100))
    make_faq("Answered last year?", publish_at=ago(300))
    make_faq("Answered long ago?", publish_at=ago(400))
    make_role("A draft role", status="draft")
    return {"old_role": old_role, "young_role": young_role, "comparison": comparison}


def queue_titles(client):
    response = client.get(QUEUE)
    assert response.status_code == 200
    rows = response.text.split('<th scope="row">')[1:]
    return [row.split("</a>")[0].rsplit(">", 1)[-1] for row in rows]


def test_the_queue_lists_live_items_past_their_kinds_interval(editor_client, aged):
    assert queue_titles(editor_client) == ["Old role", "Old vs young", "Answered long ago?"]


def test_the_intervals_are_site_settings_an_editor_changes_in_the_admin(editor_client, aged):
    url = reverse("admin:harness_cms_sitesettings_change", args=[SiteSettings.load().pk])
    data = form_fields(editor_client.get(url))
    data.update(review_days_role="90", review_days_faq="250")
    assert editor_client.post(url, data).status_code == 302
    assert queue_titles(editor_client) == [
        "Old role",
        "Young role",
        "Old vs young",
        "Answered long ago?",
        "Answered last year?",
    ]


def test_an_interval_out_of_range_is_a_form_error(editor_client, aged):
    url = reverse("admin:harness_cms_sitesettings_change", args=[SiteSettings.load().pk])
    data = form_fields(editor_client.get(url))
    data.update(review_days_comparison="0")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "review_days_comparison" in response.context["adminform"].form.errors
    assert SiteSettings.load().review_days_comparison == 90


def test_every_kind_has_a_review_interval_setting():
    settings = SiteSettings()
    for model in publishable_models():
        assert settings.review_interval(model) >= timedelta(days=1), model


def test_faq_staff_see_only_the_faq_entries_due(faq_staff_client, aged):
    assert queue_titles(faq_staff_client) == ["Answered long ago?"]
    index = faq_staff_client.get("/admin/").text
    assert "Due for review" in index and "(FAQ entries: 1)" in index


def test_the_admin_index_counts_what_is_due(editor_client, aged):
    index = editor_client.get("/admin/").text
    assert "<strong>3</strong> live items due" in index
    assert "(Roles, comparisons and pages: 2; FAQ entries: 1)" in index


def test_marking_reviewed_from_the_queue_takes_it_off_and_keeps_a_revision(
    editor, editor_client, aged
):
    role = aged["old_role"]
    updated_at = Role.objects.get(pk=role.pk).updated_at
    response = editor_client.post(reviewed_url(role), {"next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert queue_titles(editor_client) == ["Old vs young", "Answered long ago?"]
    role = Role.objects.get(pk=role.pk)
    assert role.last_reviewed_by == editor
    assert timezone.now() - role.last_reviewed_at < timedelta(minutes=1)
    assert role.updated_at == updated_at and role.version == 1
    version = Version.objects.get_for_object(role).first()
    assert version.revision.comment.startswith("Marked reviewed")
    assert version.revision.user == editor
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVIEWED)
    assert entry.user == editor and entry.object_repr == str(role)
    # Due again once the interval has passed since the review.
    later = timezone.now() + timedelta(days=181)
    with time_machine.travel(later):
        (items, _faqs) = freshness.due_for_review(editor, now=later)
        assert "Old role" in [item.title for item in items.items]


def test_the_form_says_when_it_was_reviewed_and_marks_it_in_one_click(editor_client, aged):
    comparison = aged["comparison"]
    change = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    form = editor_client.get(change).text
    assert "Never reviewed." in form and "Due for review since" in form
    assert f'action="{reviewed_url(comparison)}"' in form
    response = editor_client.post(reviewed_url(comparison), follow=True)
    assert response.redirect_chain[-1][0] == change
    assert "Marked “Old vs young” reviewed at" in response.text
    assert "Last reviewed" in response.text
    assert "by editor" in response.text and "Next review due" in response.text


def test_marking_a_live_item_with_a_draft_reviewed_publishes_nothing(editor_client, client):
    # Published a while ago: a publish time still to pass would move the generation by itself.
    role_a, role_b = make_role(publish_at=ago(10)), make_role(publish_at=ago(10))
    comparison = make_comparison(
        role_a, role_b, rows=1, title="Live title", lead="The live lead.", publish_at=ago(10)
    )
    change = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    data = form_fields(editor_client.get(change))
    data.update(lead="A drafted lead.", _continue="1")
    assert editor_client.post(change, data).status_code == 302
    draft = Draft.objects.get()
    generation = current_generation()
    public_before = client.get(comparison.path).text

    assert editor_client.post(reviewed_url(comparison)).status_code == 302

    assert Draft.objects.get().saved_at == draft.saved_at
    assert current_generation() == generation
    live = Comparison.objects.get(pk=comparison.pk)
    assert live.lead == "The live lead." and live.last_reviewed_at is not None
    public_after = client.get(comparison.path).text
    assert "A drafted lead." not in public_after and "The live lead." in public_after
    assert public_after == public_before
    # The revision keeps the live content, and the draft can still be published afterwards.
    revision = Version.objects.get_for_object(live).first().revision
    kept = " ".join(version.serialized_data for version in revision.version_set.all())
    assert revision.comment.startswith("Marked reviewed")
    assert "The live lead." in kept and "A drafted lead." not in kept
    drafts.publish_draft(draft=Draft.objects.get(), user=None)
    assert Comparison.objects.get(pk=comparison.pk).lead == "A drafted lead."


def test_faq_staff_mark_an_faq_reviewed_but_not_a_role(faq_staff, faq_staff_client, aged):
    faq = FAQ.objects.get(question="Answered long ago?")
    assert faq_staff_client.post(reviewed_url(faq)).status_code == 302
    assert FAQ.objects.get(pk=faq.pk).last_reviewed_by == faq_staff
    assert faq_staff_client.post(reviewed_url(aged["old_role"])).status_code == 403
    assert Role.objects.get(pk=aged["old_role"].pk).last_reviewed_at is None


def test_bad_requests_get_clear_answers(editor_client, aged):
    role = aged["old_role"]
    assert editor_client.get(reviewed_url(role)).status_code == 405
    missing = reverse("admin:comparisons_role_reviewed", args=[987654])
    assert editor_client.post(missing).status_code == 404
    # Somewhere else after marking: refused, the item's form instead.
    response = editor_client.post(reviewed_url(role), {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("admin:comparisons_role_change", args=[role.pk])
    anonymous = Client()
    assert anonymous.get(QUEUE)["Location"].startswith("/admin/login/")
    Role.objects.filter(pk=role.pk).update(last_reviewed_at=None, last_reviewed_by=None)
    assert anonymous.post(reviewed_url(role))["Location"].startswith("/admin/login/")
    assert Role.objects.get(pk=role.pk).last_reviewed_at is None


def test_the_queue_refuses_staff_who_look_after_no_kind(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403


def test_the_queue_is_paged_and_costs_a_fixed_number_of_queries(
    editor_client, django_assert_max_num_queries
):
    for number in range(60):
        make_page(f"Old page {number:02}", publish_at=ago(400))
    with django_assert_max_num_queries(25):
        first = editor_client.get(QUEUE)
    assert "Roles, comparisons and pages: 60 due" in first.text
    assert first.text.count('<th scope="row">') == 50
    second = editor_client.get(QUEUE + "?contentitem-page=2").text
    assert second.count('<th scope="row">') == 10


def test_settings_cached_before_the_intervals_existed_give_the_defaults(
    django_assert_num_queries,
):
    """A settings copy kept in the shared cache by an earlier release lacks the interval
    fields: the defaults apply, with no query (its row may be gone, as between test runs)."""
    older = SiteSettings(pk=1)
    for name in ("review_days_role", "review_days_comparison", "review_days_page"):
        del older.__dict__[name]
    with django_assert_num_queries(0):
        assert older.review_interval(Role) == timedelta(days=180)
        assert older.review_interval(Comparison) == timedelta(days=90)
