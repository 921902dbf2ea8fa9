"""Someone else is editing: opening a form another editor has open says who and since when;
it warns and never blocks."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.admin_forms import form_fields
from tests.factories import make_role, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    clients = {}
    for name in ("alice", "bob"):
        clients[name] = Client()
        clients[name].force_login(make_staff(name, "Editors"))
    return clients


def notice(response):
    box = BeautifulSoup(response.content, "html.parser").select_one(".harness-presence")
    return box.get_text(" ", strip=True) if box else None


def test_the_second_editor_is_told_who_has_the_form_open_and_can_still_save(two):
    role = make_role("Harness Engineer", status="draft")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    assert notice(two["alice"].get(url)) == ""
    bob_page = two["bob"].get(url)
    assert "alice has this form open too, since" in notice(bob_page)
    # The heartbeat tells alice about bob.
    beat = two["alice"].post(reverse("admin:comparisons_role_presence", args=[role.pk]))
    assert [other["name"] for other in beat.json()["others"]] == ["bob"]
    # Never blocks: bob saves.
    data = form_fields(bob_page)
    data.update({"lead": "Bob saved anyway.", "_continue": "1"})
    assert two["bob"].post(url, data).status_code == 302
    role.refresh_from_db()
    assert role.lead == "Bob saved anyway."


def test_a_form_not_heard_from_for_two_minutes_or_closed_is_forgotten(two):
    role = make_role("Harness Engineer", status="draft")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    presence_url = reverse("admin:comparisons_role_presence", args=[role.pk])
    two["alice"].get(url)
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert notice(two["bob"].get(url)) == ""
    two["alice"].get(url)
    two["alice"].post(presence_url, {"leave": "1"})
    assert two["bob"].post(presence_url).json() == {"others": []}


def test_the_heartbeat_is_post_only_and_for_those_who_may_change_it(two, faq_staff):
    role = make_role("Harness Engineer", status="draft")
    presence_url = reverse("admin:comparisons_role_presence", args=[role.pk])
    assert two["alice"].get(presence_url).status_code == 405
    staff = Client()
    staff.force_login(faq_staff)
    assert staff.post(presence_url).status_code == 403
