"""Publishing states, schedules, bulk actions and who may publish."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from comparisons.models import Role
from faq.models import FAQ
from harness_cms.core.models import PublishingRun
from harness_cms.core.signals import publication_changed
from harness_cms.editorial.models import Draft
from tests.admin_forms import form_fields, submit
from tests.factories import make_faq, make_role, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements():
    received = []

    def receiver(sender, instances, went, by, **kwargs):
        received.append((went, by, sorted(str(i) for i in instances)))

    publication_changed.connect(receiver)
    yield received
    publication_changed.disconnect(receiver)


def form_errors(response):
    return response.context["adminform"].form.errors


def test_a_scheduled_item_goes_live_on_the_clock_and_the_command_announces_it(
    client, announcements
):
    now = timezone.now()
    role = make_role("Harness Engineer", publish_at=now + timedelta(hours=1))
    assert client.get(role.path).status_code == 404
    assert Role.objects.published(now=now + timedelta(hours=2)).get() == role

    call_command(
        "publish_scheduled", since=(now - timedelta(minutes=1)).isoformat(), stdout=StringIO()
    )
    assert announcements == []
    # The publish time comes.
    with time_machine.travel(now + timedelta(hours=1, minutes=1)):
        assert client.get(role.path).status_code == 200  # no job needed to be visible
        out = StringIO()
        call_command("publish_scheduled", stdout=out)
        assert "live     /roles/harness-engineer/" in out.getvalue()
        assert announcements == [("live", "schedule", ["Harness Engineer"])]
        call_command("publish_scheduled", stdout=StringIO())  # the next window starts after it
    assert len(announcements) == 1
    assert PublishingRun.objects.count() == 3


def test_the_command_announces_what_went_offline(announcements):
    now = timezone.now()
    faq = make_faq("Going away?", publish_at=now - timedelta(days=2))
    FAQ.objects.filter(pk=faq.pk).update(unpublish_at=now - timedelta(minutes=5))
    call_command(
        "publish_scheduled", since=(now - timedelta(hours=1)).isoformat(), stdout=StringIO()
    )
    assert announcements == [("offline", "schedule", ["Going away?"])]


def test_the_command_refuses_a_bad_since():
    with pytest.raises(CommandError, match="not an ISO 8601 time"):
        call_command("publish_scheduled", since="yesterday", stdout=StringIO())
    assert not PublishingRun.objects.exists()


def test_unpublish_before_publish_is_a_form_error(editor_client):
    role = make_role("Harness Engineer", status="draft")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(
        editor_client,
        url,
        {
            "status": "published",
            "publish_at_0": "2030-01-02",
            "publish_at_1": "10:00:00",
            "unpublish_at_0": "2030-01-01",
            "unpublish_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "must come after the publish time" in str(form_errors(response)["unpublish_at"])
    role.refresh_from_db()
    assert role.status == "draft" and role.version == 1


def test_an_unpublish_time_already_past_is_a_form_error(editor_client):
    role = make_role("Harness Engineer", status="draft")
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_change", args=[role.pk]),
        {"status": "published", "unpublish_at_0": "2001-01-01", "unpublish_at_1": "10:00:00"},
    )
    assert "already passed" in str(form_errors(response)["unpublish_at"])


def test_a_publish_time_in_the_past_publishes_at_once(editor_client):
    role = make_role("Harness Engineer", status="draft")
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_change", args=[role.pk]),
        {"status": "published", "publish_at_0": "2001-01-01", "publish_at_1": "10:00:00"},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.is_published and role.publish_at.year == 2001


def test_a_future_publish_time_says_when_it_goes_live(editor_client):
    role = make_role("Harness Engineer", status="draft")
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_change", args=[role.pk]),
        {"status": "published", "publish_at_0": "2099-01-01", "publish_at_1": "10:00:00"},
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(
        m.startswith("Scheduled: “Harness Engineer” goes live at 1 Jan 2099, 10:00")
        for m in messages
    )


def test_publish_at_help_text_says_what_a_past_time_means(editor_client):
    role = make_role()
    response = editor_client.get(reverse("admin:comparisons_role_change", args=[role.pk]))
    assert "a time in the past publishes at once" in response.content.decode()


def run_action(client, admin_name, action, objects):
    return client.post(
        reverse(f"admin:{admin_name}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_bulk_publish_unpublish_and_send_to_review(editor_client, announcements):
    drafts = [make_role("One", status="draft"), make_role("Two", status="draft")]
    live = make_role("Live")
    run_action(editor_client, "comparisons_role", "send_to_review", [*drafts, live])
    assert set(Role.objects.values_list("status", flat=True)) == {"review", "published"}
    response = run_action(editor_client, "comparisons_role", "publish_now", drafts)
    assert "Published: “One”, “Two”." in response.content.decode()
    assert Role.objects.published().count() == 3
    assert announcements == [("live", "editor", ["One", "Two"])]
    run_action(editor_client, "comparisons_role", "unpublish", [live])
    live.refresh_from_db()
    assert live.status == "draft" and live.version == 2
    comments = [v.revision.comment for v in Version.objects.get_for_object(live)]
    assert comments == ["Unpublished (bulk action)."]


def test_bulk_publish_clears_an_unpublish_time_that_has_passed(editor_client):
    past = timezone.now() - timedelta(days=1)
    role = make_role("Old", status="draft", publish_at=past - timedelta(days=1))
    Role.objects.filter(pk=role.pk).update(unpublish_at=past)
    run_action(editor_client, "comparisons_role", "publish_now", [role])
    role.refresh_from_db()
    assert role.is_published and role.unpublish_at is None


def test_faq_staff_may_send_to_review_but_not_publish(faq_staff_client):
    faq = make_faq("Mine?", status="draft")
    response = faq_staff_client.get(reverse("admin:faq_faq_changelist"))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "send_to_review" in actions and "publish_now" not in actions
    run_action(faq_staff_client, "faq_faq", "publish_now", [faq])
    faq.refresh_from_db()
    assert faq.status == "draft"
    run_action(faq_staff_client, "faq_faq", "send_to_review", [faq])
    faq.refresh_from_db()
    assert faq.status == "review"


def test_faq_staff_status_choices_stop_before_published(faq_staff_client):
    topic = make_topic("The role")
    response = faq_staff_client.get(reverse("admin:faq_faq_add"))
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == ["draft", "review"]
    assert "publish_at" not in response.context["adminform"].form.fields
    response = submit(
        faq_staff_client,
        reverse("admin:faq_faq_add"),
        {
            "question": "Sneaky?",
            "slug": "sneaky",
            "topic": topic.pk,
            "status": "published",
            "publish_at_0": "2001-01-01",
            "publish_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "status" in form_errors(response)
    assert not FAQ.objects.exists()


def test_faq_staff_send_their_faq_to_review_from_the_form(faq_staff_client):
    faq = make_faq("Ready?", status="draft")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    assert submit(faq_staff_client, url, {"status": "review"}).status_code == 302
    faq.refresh_from_db()
    assert faq.status == "review" and not faq.is_published


def test_faq_staff_changes_to_a_live_faq_are_a_draft_and_never_unpublish_it(faq_staff_client):
    role = make_role()
    faq = make_faq("Live?", on=[role])
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    response = faq_staff_client.get(url)
    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields
    data = form_fields(response)
    data.update({"question": "Changed?", "status": "draft", "placements-0-DELETE": "on"})
    assert faq_staff_client.post(url, data).status_code == 302
    faq.refresh_from_db()
    assert faq.question == "Live?" and faq.status == "published"
    assert faq.placements.count() == 1
    assert Draft.objects.get().object_id == faq.pk


def test_editors_publish_faqs(editor_client):
    faq = make_faq("Ready?", status="review")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    assert submit(editor_client, url, {"status": "published"}).status_code == 302
    faq.refresh_from_db()
    assert faq.is_published and faq.updated_by.username == "editor"
