"""The admin's JavaScript works in full under the strict Content Security Policy.

Chromium logs in, adds a role (prepopulated slug, collapsible fieldset, date and time
shortcuts, calendar) and a comparison (role autocompletes, "Add another" inline rows, an
autocomplete inside a new inline row), and no policy violation, console error or script
error happens on the way.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comparisons.models import Comparison, Role
from tests.browser.conftest import REPORT_VIOLATIONS, collect_problem, screenshot

pytestmark = pytest.mark.browser


def choose(page, field_id, term, text):
    """Pick ``text`` in the select2 autocomplete of ``field_id`` by typing ``term``."""
    page.click(f"[aria-labelledby=select2-{field_id}-container]")
    page.fill(".select2-container--open .select2-search__field", term)
    page.click(f".select2-results__option >> text={text}")
    expect(page.locator(f"#select2-{field_id}-container")).to_contain_text(text)


def test_role_form_prepopulates_collapses_and_offers_date_shortcuts(admin_page, demo_site):
    page, problems = admin_page
    page.goto(f"{demo_site}/admin/comparisons/role/add/")
    page.locator("#id_title").press_sequentially("Context Engineer")
    expect(page.locator("#id_slug")).to_have_value("context-engineer")

    seo = page.locator("#id_seo_title")
    expect(seo).to_be_hidden()
    page.click("summary:has-text('Search engines')")
    expect(seo).to_be_visible()
    seo.fill("Context Engineer: the role")

    page.select_option("#id_status", "published")
    page.click("#id_publish_at_0 ~ .datetimeshortcuts >> text=Today")
    expect(page.locator("#id_publish_at_0")).to_have_value(timezone.localdate().isoformat())
    page.click("#id_publish_at_1 ~ .datetimeshortcuts >> text=Now")
    expect(page.locator("#id_publish_at_1")).to_have_value(re.compile(r"^\d\d:\d\d:\d\d$"))
    # The calendar pop-up: open it and pick the first day of the shown month.
    page.click("#id_unpublish_at_0 ~ .datetimeshortcuts .date-icon")
    calendar = page.locator(".calendarbox:visible")
    expect(calendar).to_be_visible()
    calendar.locator("td a >> text=/^1$/").first.click()
    expect(page.locator("#id_unpublish_at_0")).to_have_value(re.compile(r"^\d{4}-\d\d-01$"))
    page.fill("#id_unpublish_at_0", "")
    screenshot(page, "admin-role-form-under-csp")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    role = Role.objects.get(slug="context-engineer")
    assert role.seo_title == "Context Engineer: the role" and role.is_published
    assert problems == []


def test_comparison_form_autocompletes_and_adds_inline_rows(admin_page, demo_site):
    page, problems = admin_page
    page.goto(f"{demo_site}/admin/comparisons/comparison/add/")
    choose(page, "id_role_a", "AI", "AI Engineer")
    choose(page, "id_role_b", "Prompt", "Prompt Engineer")
    page.fill("#id_title", "AI Engineer vs Prompt Engineer")

    page.click("#shared_points-group .add-row a")
    page.fill("[name=shared_points-0-text]", "Both ship language-model features.")
    for i, dimension in enumerate(["Focus", "Time horizon"]):
        page.click("#rows-group .add-row a")
        page.fill(f"[name=rows-{i}-dimension]", dimension)
        page.fill(f"[name=rows-{i}-role_a_text]", f"A: {dimension}")
        page.fill(f"[name=rows-{i}-role_b_text]", f"B: {dimension}")
    # An autocomplete inside a row that "Add another" just made.
    page.click("#faq_placements-group .add-row a")
    choose(page, "id_faq_placements-0-faq", "replace", "replace")
    screenshot(page, "admin-comparison-form-under-csp")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    comparison = Comparison.objects.get(title="AI Engineer vs Prompt Engineer")
    assert comparison.shared_points.count() == 1
    assert list(comparison.rows.values_list("dimension", flat=True)) == ["Focus", "Time horizon"]
    assert comparison.faq_placements.count() == 1
    assert problems == []


def test_a_violation_would_be_seen(admin_page, demo_site):
    """The listener works: an inline script the policy blocks is reported."""
    page, problems = admin_page
    page.goto(f"{demo_site}/admin/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1';"
        " document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert any("CSP violation: script-src" in p for p in problems), problems
    problems.clear()


def test_the_lockout_page_is_clear_and_clean(page, demo_site, settings):
    """After too many failures the browser shows the admin-styled 429 page, nothing broken."""
    problems = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: _collect_except_refusals(message, problems))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{demo_site}/admin/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong-password")
        page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("paused after 5 failed attempts")
    expect(page.locator("#site-name")).to_contain_text("Harness CMS")
    screenshot(page, "admin-lockout")
    assert problems == []


def _collect_except_refusals(message, problems):
    # The 429 itself is logged by the browser as a failed resource load: that one is expected.
    if "status of 429" not in message.text:
        collect_problem(message, problems)
