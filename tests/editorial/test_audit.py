"""The audit log: who published, unpublished, scheduled, deleted, restored, changed redirects
or permissions, and when; one admin page, filtered by person, action and item."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harness_cms.editorial.models import AuditEntry, TrashedItem
from tests.admin_forms import form_fields, submit
from tests.factories import make_role

pytestmark = pytest.mark.django_db

LOG = reverse("admin:editorial_auditentry_changelist")


def actions():
    return [
        (entry.action, entry.object_repr, entry.user.username)
        for entry in AuditEntry.objects.order_by("pk")
    ]


def test_publishing_unpublishing_and_scheduling_are_logged_with_who(editor_client):
    role = make_role("Draft role", status="draft")
    changelist = reverse("admin:comparisons_role_changelist")
    editor_client.post(changelist, {"action": "publish_now", "_selected_action": [role.pk]})
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    submit(
        editor_client,
        url,
        {"unpublish_at_0": f"{later:%Y-%m-%d}", "unpublish_at_1": f"{later:%H:%M:%S}"},
        button="_publish",
    )
    submit(editor_client, url, {"status": "draft"}, button="_publish")
    assert [action for action, _item, _who in actions()] == [
        "published",
        "scheduled",
        "unpublished",
    ]
    assert {who for _a, _i, who in actions()} == {"editor"}
    assert "until" in AuditEntry.objects.get(action="scheduled").detail


def test_delete_and_restore_are_logged(editor_client):
    role = make_role("Short-lived role", status="draft")
    editor_client.post(reverse("admin:comparisons_role_delete", args=[role.pk]), {"post": "yes"})
    trashed = TrashedItem.objects.get()
    editor_client.post(reverse("admin:editorial_trasheditem_restore", args=[trashed.pk]))
    assert [(a, i) for a, i, _w in actions()] == [
        ("deleted", "Short-lived role"),
        ("restored", "Short-lived role"),
    ]


def test_redirect_and_permission_changes_are_logged(editor_client):
    target = make_role("Target")
    data = form_fields(editor_client.get(reverse("admin:harness_cms_redirect_add")))
    data.update({"old_path": "/old/", "target": target.pk, "reason": "manual"})
    response = editor_client.post(reverse("admin:harness_cms_redirect_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    root = User.objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(root)
    someone = User.objects.create_user("someone", password="a-long-password-1", is_staff=True)
    url = reverse("admin:auth_user_change", args=[someone.pk])
    data = form_fields(client.get(url))
    data.pop("user_permissions", None)  # a multiple select read as one empty value
    data["groups"] = [Group.objects.get(name="Editors").pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    logged = {(a, w) for a, _i, w in actions()}
    assert ("redirects", "editor") in logged and ("permissions", "root") in logged


def test_the_log_page_filters_by_person_action_and_item(editor_client, faq_staff):
    make_role("Alpha", status="draft")
    beta = make_role("Beta", status="draft")
    changelist = reverse("admin:comparisons_role_changelist")
    editor_client.post(changelist, {"action": "publish_now", "_selected_action": [beta.pk]})
    page = editor_client.get(LOG)
    assert page.status_code == 200 and "Beta" in page.text
    editor = User.objects.get(username="editor")
    assert "Beta" in editor_client.get(LOG, {"user__id__exact": editor.pk}).text
    assert "Beta" not in editor_client.get(LOG, {"action": "deleted"}).text
    assert "Beta" not in editor_client.get(LOG, {"q": "Alpha"}).text
    staff = Client()
    staff.force_login(faq_staff)
    assert staff.get(LOG).status_code == 403
