"""The everyday admin in Chromium: a new comparison named after the roles chosen, and the
inline tables of a change form usable at 1280 px (every column shown) and at 390 px (the
table scrolls inside its box, the page does not, nothing is cut off)."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison
from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow, screenshot
from tests.browser.test_workflow import choose, log_in, make_user

pytestmark = pytest.mark.browser

INLINES = ["#shared_points-group", "#rows-group", "#faq_placements-group", "#links-group"]

# For each inline table: its columns' headings and whether each is shown at its full width,
# whether the table is wider than its box, and whether that box scrolls sideways.
MEASURE = """(selector) => {
  const group = document.querySelector(selector);
  const table = group.querySelector("table");
  const box = table.parentElement;
  const style = getComputedStyle(box);
  const boxRect = box.getBoundingClientRect();
  // Django's own empty heading cells (the row's name, hidden inputs) are not columns.
  const headings = [...table.tHead.rows[0].cells].filter(
    (th) => !th.classList.contains("original") && !th.classList.contains("hidden")
  );
  const columns = headings.map((th) => {
    const rect = th.getBoundingClientRect();
    return {
      name: th.textContent.trim(),
      shown: getComputedStyle(th).display !== "none" && rect.width > 0,
      inside: rect.left >= boxRect.left - 1 && rect.right <= boxRect.right + 1,
    };
  });
  return {
    columns,
    wider: table.scrollWidth > box.clientWidth + 1,
    scrolls: ["auto", "scroll"].includes(style.overflowX),
    boxRight: boxRect.right,
  };
}"""


def test_a_new_comparison_is_named_after_the_roles_chosen(page, demo_site):
    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    page.goto(f"{demo_site}/admin/comparisons/comparison/add/")
    expect(page.locator("#id_title")).to_have_value("")
    choose(page, "id_role_a", "AI Engineer")
    choose(page, "id_role_b", "Prompt Engineer")
    expect(page.locator("#id_title")).to_have_value("AI Engineer vs Prompt Engineer")
    # Another role: the title follows while the editor has not typed one of their own.
    choose(page, "id_role_b", "Harness Engineer")
    expect(page.locator("#id_title")).to_have_value("AI Engineer vs Harness Engineer")
    choose(page, "id_role_b", "Prompt Engineer")
    page.locator("input[name=_save]").last.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    comparison = Comparison.objects.get(slug="ai-engineer-vs-prompt-engineer")
    assert comparison.title == "AI Engineer vs Prompt Engineer"


def test_inline_tables_are_usable_at_desktop_and_phone_widths(page, demo_site):
    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{demo_site}/admin/comparisons/comparison/{comparison.pk}/change/")
    page.locator("#rows-group").screenshot(path=_shot("inline-rows-desktop"))
    page.locator("#links-group").screenshot(path=_shot("inline-cards-desktop"))
    for selector in INLINES:
        measured = page.evaluate(MEASURE, selector)
        hidden = [c["name"] for c in measured["columns"] if not (c["shown"] and c["inside"])]
        assert hidden == [], (selector, measured)
        assert not measured["wider"], (selector, measured)
    assert horizontal_overflow(page) == 0

    page.set_viewport_size(PHONE)
    page.reload()
    assert horizontal_overflow(page) == 0
    for selector in INLINES:
        measured = page.evaluate(MEASURE, selector)
        # Wider than the phone: the table's own box scrolls; the box itself fits the screen.
        assert measured["scrolls"] or not measured["wider"], (selector, measured)
        assert measured["boxRight"] <= PHONE["width"] + 1, (selector, measured)
    page.locator("#rows-group").screenshot(path=_shot("inline-rows-phone"))
    # Scrolled to its last column, the table shows it whole.
    page.evaluate("document.querySelector('#rows-group table').parentElement.scrollLeft = 10000")
    page.locator("#rows-group").screenshot(path=_shot("inline-rows-phone-scrolled"))
    screenshot(page, "inline-tables-phone")


def _shot(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_duplicate_bulk_edit_and_bulk_delete_screens(page, demo_site):
    """Duplicate from the form's button, bulk edit from the list, bulk delete with its
    redirect prompt: each screen works, fits a phone and passes axe."""
    from harness_cms.core.models import Redirect
    from pages.models import Page
    from tests.browser.conftest import axe_violations

    make_user("editor", "Editors")
    log_in(page, demo_site, "editor")
    original = Page.objects.get(slug="workflow")
    page.goto(f"{demo_site}/admin/pages/page/{original.pk}/change/")
    page.locator("a.duplicatelink").click()
    expect(page.locator("#id_slug")).to_have_value("workflow-copy")
    assert axe_violations(page) == []
    screenshot(page, "duplicate-desktop")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    screenshot(page, "duplicate-phone")
    page.set_viewport_size(DESKTOP)
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("as a new draft")
    copy = Page.objects.get(slug="workflow-copy")
    assert copy.status == "draft" and copy.links.count() == original.links.count()

    # Bulk edit the original and its copy from the list.
    page.goto(f"{demo_site}/admin/pages/page/?q=workflow")
    for pk in (original.pk, copy.pk):
        page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", "bulk_edit")
    page.locator("button[name=index]").click()
    expect(page.locator("h1")).to_contain_text("Edit 2")
    page.fill("#id_add_tags", "long-running agents, sessions")
    page.fill("#id_seo_title", "x" * 71)
    page.locator("input[name=apply]").click()
    expect(page.locator(".errorlist")).to_contain_text("at most 70 characters")
    assert axe_violations(page) == []
    screenshot(page, "bulk-edit-desktop")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    screenshot(page, "bulk-edit-phone")
    page.set_viewport_size(DESKTOP)
    page.fill("#id_seo_title", "Harness Engineer workflow, step by step")
    page.locator("input[name=apply]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "topics added: long-running agents, sessions"
    )
    copy.refresh_from_db()
    assert copy.seo_title == "Harness Engineer workflow, step by step"

    # Bulk delete the copy with the original's neighbour: the live one gets a redirect prompt.
    page.goto(f"{demo_site}/admin/pages/page/?q=workflow")
    page.check(f"input[name=_selected_action][value='{copy.pk}']")
    page.check(f"input[name=_selected_action][value='{original.pk}']")
    page.select_option("select[name=action]", "delete_selected")
    page.locator("button[name=index]").click()
    expect(page.locator(".harness-redirect")).to_contain_text(original.path)
    assert page.locator(f"select[name=redirect_to_{copy.pk}]").count() == 0
    assert axe_violations(page) == []
    screenshot(page, "bulk-delete-desktop")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    screenshot(page, "bulk-delete-phone")
    page.set_viewport_size(DESKTOP)
    # The combobox is named by its label and its choice (autocomplete-names.js).
    field = f"id_redirect_to_{original.pk}"
    page.click(f'[aria-labelledby~="select2-{field}-container"][role=combobox]')
    page.fill(".select2-search__field", "Architecture")
    page.locator(".select2-results__option", has_text="Architecture").first.click()
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("now redirects to")
    assert not Page.objects.filter(pk__in=[original.pk, copy.pk]).exists()
    assert Redirect.objects.filter(old_path=original.path).exists()
