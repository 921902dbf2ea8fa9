"""Review walked in Chromium with two people: FAQ staff propose a change to a live FAQ, an
editor finds it on the admin index and approves it, or requests changes with a comment."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import expect

from faq.models import FAQ
from harness_cms.editorial.models import Draft
from tests.browser.conftest import PHONE, axe_violations, horizontal_overflow, screenshot
from tests.browser.test_two_people import people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

PROPOSAL = "A Harness Engineer can grow into a staff or principal role owning agent platforms."


def propose(staff, demo_site, faq):
    staff.goto(f"{demo_site}/admin/faq/faq/{faq.pk}/change/")
    staff.fill("#id_answer", PROPOSAL)
    staff.fill("#id_review_note", "Adds where the path leads.")
    screenshot(staff, "review-faq-staff-proposal")
    staff.locator("input[name=_submit_review]").last.click()
    expect(staff.locator(".messagelist")).to_contain_text("Submitted for review")
    expect(staff.locator(".harness-draft")).to_contain_text("Awaiting review since")


def open_from_index(editor, demo_site):
    editor.goto(demo_site + "/admin/")
    box = editor.locator("#awaiting-review")
    expect(box).to_contain_text("Adds where the path leads.")
    screenshot(editor, "review-admin-index")
    box.locator("li a").first.click()
    expect(editor.locator(".diff-field", has_text="Answer").locator(".diff-added")).to_contain_text(
        "staff or principal role"
    )


def test_faq_staff_propose_and_an_editor_approves(people, demo_site):  # noqa: F811
    staff, editor = people("fay", "FAQ staff"), people("eddie", "Editors")
    faq = FAQ.objects.get(slug="career-path")
    propose(staff, demo_site, faq)
    assert PROPOSAL not in staff.request.get(demo_site + "/faq/").text()

    open_from_index(editor, demo_site)
    assert axe_violations(editor) == []
    screenshot(editor, "review-draft-page-desktop")
    editor.set_viewport_size(PHONE)
    assert horizontal_overflow(editor) == 0
    screenshot(editor, "review-draft-page-phone")
    editor.set_viewport_size({"width": 1280, "height": 800})
    editor.get_by_role("button", name="Approve and publish").click()
    expect(editor.locator(".messagelist")).to_contain_text("Approved and published")
    assert PROPOSAL in editor.request.get(demo_site + "/faq/").text()
    assert not Draft.objects.exists()


def test_an_editor_requests_changes_with_a_comment(people, demo_site):  # noqa: F811
    staff, editor = people("fay", "FAQ staff"), people("eddie", "Editors")
    User.objects.filter(username="fay").update(email="fay@example.com")
    faq = FAQ.objects.get(slug="career-path")
    propose(staff, demo_site, faq)

    open_from_index(editor, demo_site)
    editor.fill("#id_comment", "Say which teams hire for it first.")
    editor.get_by_role("button", name="Request changes").click()
    expect(editor.locator(".messagelist")).to_contain_text("Changes requested")
    expect(editor.locator(".review-steps")).to_contain_text("Say which teams hire for it first.")

    # The author reads the comment beside their draft; the live answer is as it was.
    staff.goto(f"{demo_site}/admin/faq/faq/{faq.pk}/draft/")
    expect(staff.locator(".review-steps")).to_contain_text("Say which teams hire for it first.")
    screenshot(staff, "review-changes-requested")
    assert PROPOSAL not in staff.request.get(demo_site + "/faq/").text()
    assert [m.to for m in mail.outbox if "Say which teams hire" in m.body] == [["fay@example.com"]]
