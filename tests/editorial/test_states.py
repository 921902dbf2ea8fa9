"""The effective state: what the public sees now, in the list, its filter and the form, and
publishing an item whose roles are not public ("waits for", decision 0070)."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Comparison, Role
from harness_cms.core.visibility import effective_state
from tests.admin_forms import submit
from tests.factories import make_comparison, make_faq, make_role

pytestmark = pytest.mark.django_db


def list_states(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return {
        row.select_one("th a").get_text(): row.select_one("td.field-effective_state").get_text()
        for row in soup.select("#result_list tbody tr")
    }


def form_state(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.select_one(".harness-state strong").get_text()


def test_a_scheduled_unpublish_shows_expired_in_the_list_filter_and_form(editor_client):
    now = timezone.now()
    role = make_role("Ending role", unpublish_at=now + timedelta(hours=1))
    make_role("Staying role")
    changelist = reverse("admin:comparisons_role_changelist")
    change = reverse("admin:comparisons_role_change", args=[role.pk])
    assert list_states(editor_client, changelist)["Ending role"].startswith("Live until ")
    with time_machine.travel(now + timedelta(hours=2)):
        states = list_states(editor_client, changelist)
        assert states["Ending role"].startswith("Expired")
        assert states["Staying role"] == "Live"
        assert list(list_states(editor_client, changelist + "?state=expired")) == ["Ending role"]
        assert list(list_states(editor_client, changelist + "?state=live")) == ["Staying role"]
        assert form_state(editor_client, change).startswith("Expired")


def test_every_state_in_words():
    now = timezone.now()
    hour = timedelta(hours=1)
    assert effective_state("draft", None, None).label == "Draft"
    assert effective_state("review", None, None).label == "In review"
    assert effective_state("published", now - hour, None).label == "Live"
    assert effective_state("published", now - hour, now + hour).label.startswith("Live until ")
    assert effective_state("published", now + hour, None).label.startswith(
        "Scheduled: goes live at "
    )
    assert effective_state("published", now - 2 * hour, now - hour).code == "expired"


def test_a_scheduled_faq_is_shown_as_scheduled_in_its_list(editor_client):
    make_faq("Later?", publish_at=timezone.now() + timedelta(days=1))
    states = list_states(editor_client, reverse("admin:faq_faq_changelist"))
    assert states["Later?"].startswith("Scheduled: goes live at ")
    url = reverse("admin:faq_faq_changelist") + "?state=scheduled"
    assert list(list_states(editor_client, url)) == ["Later?"]


def test_publishing_a_comparison_whose_role_is_a_draft_says_it_waits_for_the_role(
    editor_client, client
):
    harness = make_role("Harness Engineer")
    data_role = make_role("Data Engineer", status="draft")
    comparison = make_comparison(harness, data_role, status="draft")
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = submit(editor_client, url, {"status": "published"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("waits for Data Engineer (draft)" in m and "404" in m for m in messages), messages
    assert client.get(comparison.path).status_code == 404
    states = list_states(editor_client, reverse("admin:comparisons_comparison_changelist"))
    assert states[comparison.title] == "Waits for Data Engineer (draft)"
    waiting = reverse("admin:comparisons_comparison_changelist") + "?state=waiting"
    assert list(list_states(editor_client, waiting)) == [comparison.title]
    assert form_state(editor_client, url) == "Waits for Data Engineer (draft)"

    # Publishing the role takes the comparison live with it.
    role_url = reverse("admin:comparisons_role_change", args=[data_role.pk])
    assert submit(editor_client, role_url, {"status": "published"}).status_code == 302
    assert client.get(comparison.path).status_code == 200
    assert Comparison.objects.get().state.label == "Live"


def test_the_bulk_publish_action_says_what_waits(editor_client):
    comparison = make_comparison(make_role(), make_role(status="review"), status="draft")
    response = editor_client.post(
        reverse("admin:comparisons_comparison_changelist"),
        {"action": "publish_now", "_selected_action": [comparison.pk]},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    role = Role.objects.get(status="review")
    assert f"waits for {role.title} (in review)" in text
