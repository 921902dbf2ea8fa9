"""The Markdown live preview looks like the public page: the site's stylesheet draws it, in the
element the page shows the field in, and none of the admin's styles reach it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, horizontal_overflow, screenshot
from tests.browser.test_workflow import log_in, make_user

pytestmark = pytest.mark.browser

BODY = (
    "## Where they differ\n\n| Focus | Scope |\n|---|---|\n| Memory | Sessions |\n\n**Bold** text."
)


def test_the_preview_uses_the_sites_typography_not_the_admins(page, demo_site):
    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    page.goto(demo_site + "/admin/pages/page/add/")
    page.fill("#id_body", BODY)
    page.fill("#id_lead", "A lead as the page shows it.")
    frame = page.frame_locator("#id_body_preview iframe")
    prose = frame.locator(".prose")
    expect(prose.locator("h2")).to_have_text("Where they differ")
    expect(prose.locator("table td").first).to_have_text("Memory")
    # The site's own rules: its paper colour, its measure for articles, its table heading rule.
    styles = prose.evaluate(
        """el => ({
            background: getComputedStyle(el.ownerDocument.body).backgroundColor,
            measure: getComputedStyle(el).maxWidth,
            heading: getComputedStyle(el.querySelector('thead th')).borderBottomWidth,
            font: getComputedStyle(el).fontFamily,
        })"""
    )
    admin_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert styles["background"] == "rgb(247, 248, 250)"
    assert styles["measure"] != "none" and styles["heading"] == "2px"
    assert styles["font"].startswith("system-ui") and styles["font"] != admin_font
    lead = page.frame_locator("#id_lead_preview iframe").locator(".lead")
    expect(lead).to_have_text("A lead as the page shows it.")
    page.locator("#id_body").scroll_into_view_if_needed()
    screenshot(page, "markdown-preview-desktop")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    page.locator("#id_body").scroll_into_view_if_needed()
    screenshot(page, "markdown-preview-phone")
