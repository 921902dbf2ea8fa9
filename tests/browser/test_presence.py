"""The "someone else is editing" notice, with two people in two browser contexts."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Role
from tests.browser.conftest import screenshot
from tests.browser.test_two_people import people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_two_editors_on_one_form_are_told_and_neither_is_blocked(people, demo_site):  # noqa: F811
    alice, bob = people("alice", "Editors"), people("bob", "Editors")
    role = Role.objects.get(slug="prompt-engineer")
    url = f"{demo_site}/admin/comparisons/role/{role.pk}/change/"
    alice.goto(url)
    expect(alice.locator(".harness-presence")).to_have_text("")
    bob.goto(url)
    notice = bob.locator(".harness-presence")
    expect(notice).to_contain_text("alice has this form open too, since")
    screenshot(bob, "presence-notice")
    # Alice's page learns about Bob from its heartbeat (sent on focus too), without a reload.
    alice.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(alice.locator(".harness-presence")).to_contain_text("bob has this form open too")
    # A warning, not a lock: Bob's save goes through.
    bob.fill("#id_lead", "Bob's lead, saved while Alice had the form open.")
    bob.locator("input[name=_continue]").last.click()
    expect(bob.locator(".messagelist")).to_contain_text("Saved as a draft")
