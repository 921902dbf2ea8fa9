"""Reordering inline rows in Chromium: a comparison's table rows by dragging with the mouse,
its shared points and its FAQs with the arrow keys on the handle; Publish changes stores the
order and the public page shows it. A reorder saved from an outdated form is refused."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison
from tests.browser.conftest import screenshot
from tests.browser.test_workflow import log_in, make_user

pytestmark = pytest.mark.browser


def texts(locator):
    return [text.strip() for text in locator.all_inner_texts()]


def test_reorder_by_mouse_and_by_keyboard_then_publish(page, demo_site):
    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    dimensions = list(comparison.rows.values_list("dimension", flat=True))
    points = list(comparison.shared_points.values_list("text", flat=True))
    questions = list(comparison.faq_placements.values_list("faq__question", flat=True))
    assert len(dimensions) >= 3 and len(points) >= 2 and len(questions) >= 2
    page.goto(f"{demo_site}/admin/comparisons/comparison/{comparison.pk}/change/")

    # Mouse: drag the third table row's handle above the first row.
    rows = page.locator("#rows-group tbody tr.form-row:not(.empty-form)")
    rows.nth(2).locator(".reorder-handle").drag_to(rows.nth(0), target_position={"x": 20, "y": 3})
    expected_rows = [dimensions[2], dimensions[0], dimensions[1], *dimensions[3:]]
    shown = [rows.nth(i).locator("input[name$=-dimension]").input_value() for i in range(3)]
    assert shown == expected_rows[:3]

    # Keyboard: the last shared point moves to the top with the up arrow, the first FAQ down.
    handles = page.locator("#shared_points-group .reorder-handle:visible")
    last = handles.nth(len(points) - 1)
    last.focus()
    for _ in range(len(points) - 1):
        page.keyboard.press("ArrowUp")
    expect(page.locator("#shared_points-group .reorder-status")).to_have_text(
        f"Moved to row 1 of {len(points)}."
    )
    expected_points = [points[-1], *points[:-1]]
    faq_group = page.locator("#faq_placements-group")
    faq_group.locator(".reorder-handle:visible").first.focus()
    page.keyboard.press("ArrowDown")
    expected_questions = [questions[1], questions[0], *questions[2:]]
    screenshot(page, "reorder-form-desktop")

    page.locator("input[name=_publish]").last.click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    comparison.refresh_from_db()
    assert list(comparison.rows.values_list("dimension", flat=True)) == expected_rows
    assert list(comparison.shared_points.values_list("text", flat=True)) == expected_points
    stored = list(comparison.faq_placements.values_list("faq__question", flat=True))
    assert stored == expected_questions

    public = page.context.new_page()
    public.goto(demo_site + comparison.path)
    assert texts(public.locator("table tbody th")) == expected_rows
    assert texts(public.locator("#shared-ground .checklist li")) == expected_points
    assert texts(public.locator(".faq-list summary"))[: len(questions)] == expected_questions
    public.close()
