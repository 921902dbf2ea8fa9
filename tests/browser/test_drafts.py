"""Drafts over a live page, walked in Chromium: edit a live comparison, the public page stays as
it is, preview the draft, compare it with live, publish it, and the public page changes."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison
from harness_cms.editorial.models import Draft
from tests.browser.conftest import PHONE, axe_violations, horizontal_overflow, screenshot
from tests.browser.test_workflow import log_in, make_user

pytestmark = pytest.mark.browser

NEW_LEAD = "Both build AI products; this lead is a draft until it is published."


def test_edit_a_live_comparison_preview_and_publish(page, demo_site):
    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    public = demo_site + comparison.path
    url = f"{demo_site}/admin/comparisons/comparison/{comparison.pk}/change/"
    page.goto(url)
    expect(page.locator(".harness-draft-note")).to_contain_text("Save keeps your changes")
    page.fill("#id_lead", NEW_LEAD)
    page.fill("#id_rows-0-dimension", "Focus, drafted")
    page.locator("input[name=_continue]").last.click()
    expect(page.locator(".messagelist")).to_contain_text("Saved as a draft")

    # The public page still reads the live rows.
    text = page.request.get(public).text()
    assert NEW_LEAD not in text and "Focus, drafted" not in text

    # The form opens on the draft and says whose it is.
    expect(page.locator(".harness-draft")).to_contain_text("Changes not yet published, saved by")
    expect(page.locator("#id_lead")).to_have_value(NEW_LEAD)
    expect(page.locator("#id_rows-0-dimension")).to_have_value("Focus, drafted")
    screenshot(page, "drafts-form-on-draft-desktop")

    # Preview of the draft: the real template, with the draft's lead and row.
    with page.context.expect_page() as opened:
        page.locator(".harness-draft a", has_text="Preview the draft").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview")
    expect(preview.locator(".lead")).to_contain_text("this lead is a draft")
    expect(preview.locator("table tbody th").first).to_have_text("Focus, drafted")
    screenshot(preview, "drafts-preview")
    preview.close()

    # Compare with live.
    page.locator(".harness-draft a", has_text="Compare with live").click()
    lead = page.locator(".diff-field", has_text="Lead")
    expect(lead.locator(".diff-added")).to_contain_text("this lead is a draft")
    expect(page.locator(".diff-field", has_text="Comparison rows")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "drafts-compare-desktop")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    screenshot(page, "drafts-compare-phone")
    page.goto(url)
    screenshot(page, "drafts-form-on-draft-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The list says there are unpublished changes.
    page.goto(f"{demo_site}/admin/comparisons/comparison/")
    expect(page.locator("tr", has_text="Harness Engineer vs AI Engineer")).to_contain_text(
        "Live + draft"
    )

    # Publish: the public page changes, the draft is gone.
    page.goto(url)
    page.locator("input[name=_publish]").last.click()
    expect(page.locator(".messagelist")).to_contain_text("Published: the public now sees")
    text = page.request.get(public).text()
    assert "this lead is a draft until it is published" in text and "Focus, drafted" in text
    assert not Draft.objects.exists()
    expect(page.locator(".harness-draft")).to_have_count(0)
