"""The editorial workflow walked in Chromium as a new editor would, and as FAQ staff would."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from comparisons.models import Comparison
from faq.models import FAQ
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def make_user(username, group):
    user = User.objects.create_user(
        username=username, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, site, username):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


def choose(page, field_id, text):
    """Pick ``text`` in a Django autocomplete (select2) field."""
    page.click(f'[aria-labelledby="select2-{field_id}-container"]')
    page.fill(".select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def save_and_continue(page):
    page.locator("input[name=_continue]").last.click()


def test_a_new_editor_drafts_previews_schedules_changes_compares_and_restores(page, demo_site):
    make_user("newbie", "Editors")
    log_in(page, demo_site, "newbie")

    # Write a comparison as a draft, with the Markdown preview beside the field.
    page.goto(demo_site + "/admin/comparisons/comparison/add/")
    choose(page, "id_role_a", "AI Engineer")
    choose(page, "id_role_b", "Prompt Engineer")
    page.fill("#id_title", "AI Engineer vs Prompt Engineer")
    page.fill("#id_lead", "Two roles that **both** work with models.")
    page.fill("#id_body", "## Where they differ\n\nScope and *time horizon*.")
    body_preview = page.frame_locator("#id_body_preview iframe").locator(".prose")
    expect(body_preview.locator("h2")).to_have_text("Where they differ")
    expect(body_preview.locator("em")).to_have_text("time horizon")
    page.locator(".add-row a", has_text="Add another Comparison row").click()
    page.fill("#id_rows-0-dimension", "Focus")
    page.fill("#id_rows-0-role_a_text", "Features in production")
    page.fill("#id_rows-0-role_b_text", "Prompts and instructions")
    page.select_option("#id_status", "draft")
    screenshot(page, "workflow-comparison-add-with-live-preview")
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    comparison = Comparison.objects.get(slug="ai-engineer-vs-prompt-engineer")
    assert comparison.status == "draft"

    # Preview the saved draft: the real template, a banner, noindex.
    with page.context.expect_page() as opened:
        page.click("a.previewlink")
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview")
    expect(preview.locator("h1")).to_have_text("AI Engineer vs Prompt Engineer")
    expect(preview.locator("table tbody th")).to_have_text(["Focus"])
    screenshot(preview, "workflow-preview-draft")
    preview.close()
    assert page.request.get(demo_site + comparison.path).status == 404

    # Schedule it a few seconds ahead and watch it go live at its time.
    go_live = timezone.localtime(timezone.now() + timedelta(seconds=6))
    page.select_option("#id_status", "published")
    page.fill("#id_publish_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_publish_at_1", go_live.strftime("%H:%M:%S"))
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("Scheduled:")
    screenshot(page, "workflow-scheduled")
    assert page.request.get(demo_site + comparison.path).status == 404
    deadline = time.monotonic() + 30
    while page.request.get(demo_site + comparison.path).status != 200:
        assert time.monotonic() < deadline, "the scheduled comparison never went live"
        time.sleep(0.5)
    assert timezone.now() >= go_live.replace(microsecond=0)

    # Change it: now live, a plain save keeps a draft; "Publish changes" makes it public.
    page.reload()
    page.fill("#id_lead", "Two roles that work with models in different ways.")
    page.locator("input[name=_publish]").last.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Compare two revisions, then restore the old one.
    page.click("a.historylink")
    rows = page.locator("#revisions tbody tr")
    expect(rows).to_have_count(3)
    screenshot(page, "workflow-history")
    rows.nth(2).locator("input[name=old]").check()
    rows.nth(0).locator("input[name=new]").check()
    page.click("text=Compare the chosen revisions")
    lead_diff = page.locator(".diff-field", has_text="Lead")
    expect(lead_diff.locator(".diff-removed")).to_contain_text("**both**")
    expect(lead_diff.locator(".diff-added")).to_contain_text("in different ways")
    screenshot(page, "workflow-compare")
    page.get_by_role("link", name=re.compile(r"Restore revision 1")).click()
    screenshot(page, "workflow-restore-confirm")
    page.click("input[value='Restore revision 1']")
    expect(page.locator(".messagelist")).to_contain_text("Restored revision 1 as a new revision")
    expect(page.locator("#id_lead")).to_have_value("Two roles that **both** work with models.")
    comparison.refresh_from_db()
    assert comparison.status == "published" and comparison.rows.count() == 1


def test_two_browser_sessions_editing_the_same_faq_lose_nothing(browser, demo_site):
    make_user("alice", "Editors")
    make_user("bob", "Editors")
    faq = FAQ.objects.get(slug="career-path")
    url = f"{demo_site}/admin/faq/faq/{faq.pk}/change/"
    pages = {}
    for name in ("alice", "bob"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        pages[name] = context.new_page()
        log_in(pages[name], demo_site, name)
        pages[name].goto(url)
    alice, bob = pages["alice"], pages["bob"]

    alice.fill("#id_answer", "Alice's new answer.")
    alice.locator("input[name=_publish]").last.click()
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")

    bob_text = "Bob's answer, written at the same time, must not be lost."
    bob.fill("#id_answer", bob_text)
    bob.locator("input[name=_publish]").last.click()
    expect(bob.locator(".errornote, .errorlist").first).to_be_visible()
    expect(bob.locator("#faq_form")).to_contain_text("Not saved: alice saved this FAQ entry at")
    expect(bob.locator("#id_answer")).to_have_value(bob_text)
    screenshot(bob, "workflow-edit-conflict")
    faq.refresh_from_db()
    assert faq.answer == "Alice's new answer."

    # Bob opens the saved version, adds his text to Alice's and saves: both are kept.
    bob.goto(url)
    bob.fill("#id_answer", "Alice's new answer.\n\n" + bob_text)
    bob.locator("input[name=_publish]").last.click()
    expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")
    faq.refresh_from_db()
    # A browser submits a textarea's line breaks as CRLF.
    assert faq.answer.replace("\r\n", "\n") == "Alice's new answer.\n\n" + bob_text
    for page in pages.values():
        page.context.close()


def test_faq_staff_can_do_their_part_and_nothing_more(page, demo_site):
    make_user("helper", "FAQ staff")
    log_in(page, demo_site, "helper")
    page.goto(demo_site + "/admin/faq/faq/add/")
    options = page.locator("#id_status option").all_inner_texts()
    assert options == ["Draft", "In review"]
    assert page.locator("#id_publish_at_0").count() == 0
    page.fill("#id_question", "How long does onboarding a Harness Engineer take?")
    page.fill("#id_answer", "Usually **a few weeks**.")
    answer_preview = page.frame_locator("#id_answer_preview iframe").locator(".faq-answer")
    expect(answer_preview.locator("strong")).to_have_text("a few weeks")
    page.locator(".add-row a", has_text="Add another Appears on").click()
    choose(page, "id_placements-0-item", "Harness Engineer vs AI Engineer")
    page.select_option("#id_status", "review")
    screenshot(page, "workflow-faq-staff-add")
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    faq = FAQ.objects.get(slug="how-long-does-onboarding-a-harness-engineer-take")
    assert faq.status == "review" and faq.placements.count() == 1

    # No publishing from here: not in the form, not in the actions.
    page.goto(demo_site + "/admin/faq/faq/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Send to review" in actions and "Publish now" not in actions
    # A live entry opens for a proposal: no status to change, no Publish; other parts of the
    # admin are closed.
    published = FAQ.objects.get(slug="career-path")
    page.goto(f"{demo_site}/admin/faq/faq/{published.pk}/change/")
    expect(page.locator("#id_answer")).to_be_visible()
    assert page.locator("#id_status").count() == 0
    assert page.locator("input[name=_publish]").count() == 0
    expect(page.locator("input[name=_submit_review]").last).to_be_visible()
    screenshot(page, "workflow-faq-staff-published-proposal")
    for path in ("/admin/comparisons/role/", "/admin/pages/page/", "/admin/auth/user/"):
        assert page.request.get(demo_site + path).status == 403
