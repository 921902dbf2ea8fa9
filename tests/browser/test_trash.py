"""The trash walked in Chromium: delete a live comparison, find it in the trash, restore it,
and its page is back at the same address with its cards and FAQs."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison
from tests.browser.conftest import PHONE, axe_violations, horizontal_overflow, screenshot
from tests.browser.test_workflow import log_in, make_user

pytestmark = pytest.mark.browser


def test_delete_trash_restore_at_the_same_address(page, demo_site):
    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    public = demo_site + comparison.path
    cards = comparison.links.count()
    faqs = comparison.faq_placements.count()
    assert cards and faqs

    page.goto(f"{demo_site}/admin/comparisons/comparison/{comparison.pk}/delete/")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("is in the trash")
    assert page.request.get(public, max_redirects=0).status in (301, 404)

    page.goto(demo_site + "/admin/editorial/trasheditem/")
    row = page.locator("#result_list tr", has_text="Harness Engineer vs AI Engineer")
    expect(row).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "trash-list-desktop")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    screenshot(page, "trash-list-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    row.get_by_role("link", name="Restore…").click()
    screenshot(page, "trash-restore-confirm")
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored “Harness Engineer vs AI")

    answer = page.request.get(public)
    assert answer.status == 200
    restored = Comparison.objects.get(pk=comparison.pk)
    assert restored.path == comparison.path
    assert restored.links.count() == cards and restored.faq_placements.count() == faqs
    page.goto(public)
    expect(page.locator("h1")).to_have_text("Harness Engineer vs AI Engineer")
    expect(page.locator("details.faq")).to_have_count(faqs)
