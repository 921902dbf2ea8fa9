"""Insert a link by reference from the Markdown editor's picker, by mouse and by keyboard,
under the admin's strict Content Security Policy (decision 0136)."""

import re

import pytest
from playwright.sync_api import expect

from harness_cms.core.models import ContentItem
from pages.models import Page
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS

pytestmark = pytest.mark.browser


def open_guide(page, demo_site):
    guide = Page.objects.filter(role__isnull=False).order_by("pk").first()
    page.goto(f"{demo_site}{guide.admin_url()}")
    body = page.locator("#id_body")
    body.fill("Read about the Prompt Engineer next.")
    return guide, body


def open_picker(page):
    page.get_by_role("button", name="Insert a link to a page into Body").click()


def test_a_selection_becomes_a_link_to_the_page_chosen_by_keyboard(admin_page, demo_site):
    page, problems = admin_page
    target = ContentItem.objects.get(title="Harness Engineer vs Prompt Engineer")
    _guide, body = open_guide(page, demo_site)
    # Select "the Prompt Engineer" in the text, then open the picker.
    body.evaluate("field => field.setSelectionRange(11, 30)")
    open_picker(page)
    dialog = page.locator("dialog[open].link-picker")
    expect(dialog).to_be_visible()
    page.keyboard.type("vs Prompt")
    expect(dialog.locator(".link-picker-choice").first).to_contain_text(target.title)
    for name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        # The screen as the editor sees it (a full-page picture shrinks the dialog away).
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"admin-link-picker-{name}.png")
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.keyboard.press("ArrowDown")
    expect(dialog.locator(".link-picker-choice").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(body).to_be_focused()
    assert body.input_value() == f"Read about [the Prompt Engineer](item:{target.pk}) next."
    # The live preview shows the link at the comparison's address.
    preview = page.frame_locator("#id_body_preview iframe").locator("a")
    expect(preview).to_have_attribute("href", target.path)
    assert problems == []


def test_with_nothing_selected_the_pages_title_is_inserted_at_the_cursor(admin_page, demo_site):
    page, problems = admin_page
    _guide, body = open_guide(page, demo_site)
    body.evaluate("field => field.setSelectionRange(4, 4)")
    open_picker(page)
    page.fill("dialog[open].link-picker input[type=search]", "Harness Engineer vs AI")
    choice = page.locator("dialog[open].link-picker .link-picker-choice").first
    expect(choice).to_contain_text("Harness Engineer vs AI Engineer")
    choice.click()
    target = ContentItem.objects.get(title="Harness Engineer vs AI Engineer")
    expected = f"Read[Harness Engineer vs AI Engineer](item:{target.pk}) about"
    expect(body).to_have_value(re.compile("^" + re.escape(expected)))
    assert problems == []
