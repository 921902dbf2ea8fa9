"""The demo site opens in Chromium, the skip link works and axe finds nothing."""

import pytest

from tests.browser.conftest import axe_violations, horizontal_overflow, screenshot

pytestmark = pytest.mark.browser


def test_home_renders_without_sideways_scrolling_or_axe_violations(page, demo_site, viewport):
    page.goto(demo_site + "/")
    assert page.locator("h1").count() == 1
    assert horizontal_overflow(page) == 0
    screenshot(page, f"home-{viewport}")
    assert axe_violations(page) == []


def test_skip_link_moves_focus_to_the_main_content(page, demo_site):
    page.goto(demo_site + "/compare/harness-engineer-vs-ai-engineer/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
