"""Every page kind in Chromium at 1280×800 and 390×844: its parts render, nothing scrolls sideways,
the keyboard reaches and opens every FAQ and follows every card, the skip link works, and axe-core
finds no violations in the light or the dark colour scheme.

HARNESS_SCREENSHOTS=1 also saves light and dark screenshots of each page kind at both sizes in
tests/browser/screenshots/ for people to look at.
"""

import os

import pytest

from tests.browser.conftest import VIEWPORTS, axe_violations, horizontal_overflow, screenshot

pytestmark = pytest.mark.browser

COMPARISON = "/compare/harness-engineer-vs-ai-engineer/"

# Page kind → (address, expected status, CSS selectors of the parts it must show).
PAGE_KINDS = {
    "home": ("/", 200, ["#roles .role-card", "#comparisons .card", "details.faq", ".next-step"]),
    "role": (
        "/roles/harness-engineer/",
        200,
        [".prose", "#guides .card", "#comparisons .card", "details.faq", "a.tag"],
    ),
    "cluster": (
        "/roles/harness-engineer/architecture/",
        200,
        [".toc a", ".prose table", "a[rel=next]", "details.faq", ".related .card", ".cluster-nav"],
    ),
    "comparison": (
        COMPARISON,
        200,
        [
            ".lead",
            "#shared-ground li",
            ".role-summary",
            ".compare-table tbody tr",
            "#verdict .callout",
            "details.faq",
            ".next-step .button",
            ".related .card",
            ".item-meta a.tag",
            ".item-updated time",
        ],
    ),
    "roles": ("/roles/", 200, [".cards .card", ".breadcrumbs a"]),
    "comparisons": (
        "/compare/",
        200,
        ["table.matrix .matrix-pair a", ".comparison-group h2 a", ".comparison-links a"],
    ),
    "faq": ("/faq/", 200, [".topic-nav a", ".faq-topic h2", "details.faq"]),
    "topic": ("/tags/context-engineering/", 200, [".cards .card", "details.faq"]),
    "topics": ("/tags/", 200, ["a.tag"]),
    "search": ("/search/?q=context+memory", 200, [".result-title a", ".result mark"]),
    "search-empty": ("/search/", 200, [".empty-state", ".suggestions a", "a.tag"]),
    "404": ("/no-such-page/", 404, [".error-page form[role=search]", ".error-links a"]),
}

SCREENSHOTS = os.environ.get("HARNESS_SCREENSHOTS") == "1"

# Tags every summary and card link so the Tab walk can tell which ones it reached, and records
# the link each click (Enter on a focused link) would follow, without leaving the page.
PREPARE_WALK = """() => {
  const targets = [...document.querySelectorAll('main summary, main .card-link')];
  targets.forEach((el, i) => el.setAttribute('data-walk', String(i)));
  window.followed = [];
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href]');
    if (!link || !link.matches('.card-link')) return;
    window.followed.push({href: link.href, prevented: event.defaultPrevented});
    event.preventDefault();
  });
  return targets.length;
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const card = el.closest('.card');
  return {
    walk: el.getAttribute('data-walk'),
    tag: el.tagName,
    open: el.tagName === 'SUMMARY' ? el.parentElement.open : null,
    cardOutline: card ? getComputedStyle(card).outlineStyle : null,
  };
}"""


def walk_with_keyboard(page, total, limit=400):
    """Tab through the whole page once, opening each FAQ and following each card with Enter.

    Returns the walk ids of the summaries opened and of the card links reached, and the outline
    style each card showed while its link had keyboard focus.
    """
    opened, cards, outlines = set(), set(), set()
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        if focused["walk"] is None:
            continue
        if focused["tag"] == "SUMMARY":
            if not focused["open"]:
                page.keyboard.press("Enter")
            if page.evaluate(FOCUSED)["open"]:
                opened.add(focused["walk"])
        else:
            cards.add(focused["walk"])
            outlines.add(focused["cardOutline"])
            page.keyboard.press("Enter")
        if len(opened) + len(cards) == total:
            break
    return opened, cards, outlines


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_kind_at_both_sizes(page, demo_site, kind):
    """One test per page kind, desktop then phone on the same page: one demo load for both."""
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.emulate_media(color_scheme="light")
        check_page_kind(page, demo_site, kind, viewport)


def check_page_kind(page, demo_site, kind, viewport):
    path, status, parts = PAGE_KINDS[kind]
    where = f"{kind} at {viewport}"
    url = demo_site + path
    response = page.goto(url)
    assert response.status == status

    # Its parts render, with one <h1>, and nothing scrolls sideways.
    assert page.locator("h1").count() == 1
    for selector in parts:
        assert page.locator(selector).first.is_visible(), f"{where}: {selector} not visible"
    assert horizontal_overflow(page) == 0, where
    if SCREENSHOTS:
        screenshot(page, f"{kind}-{viewport}")

    # The skip link is the first stop of the keyboard and moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link", where
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", where

    # The keyboard reaches and opens every FAQ and follows every card, with a visible focus.
    total = page.evaluate(PREPARE_WALK)
    faq_count = page.locator("main summary").count()
    hrefs = page.eval_on_selector_all("main .card-link", "links => links.map(a => a.href)")
    opened, cards, outlines = walk_with_keyboard(page, total)
    assert len(opened) == faq_count, f"{where}: opened {len(opened)} of {faq_count} FAQs"
    assert len(cards) == len(hrefs), f"{where}: reached {len(cards)} of {len(hrefs)} cards"
    followed = page.evaluate("window.followed")
    assert [entry["href"] for entry in followed] == hrefs, where
    assert not any(entry["prevented"] for entry in followed), "nothing stops a card's link"
    if hrefs:
        assert outlines == {"solid"}, f"{where}: a focused card shows an outline"
        for href in set(hrefs):
            assert page.request.get(href).status == 200, href
    # Answers are open now: they are checked too, and must still fit the width.
    assert horizontal_overflow(page) == 0, where

    assert axe_violations(page) == [], f"{where}, light"
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert axe_violations(page) == [], f"{where}, dark"
    if SCREENSHOTS:
        screenshot(page, f"{kind}-{viewport}-dark")

    if hrefs:
        # And for real: Enter on a focused card opens its page.
        page.goto(url)
        page.locator("main .card-link").first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == hrefs[0], where


def test_the_comparison_table_stacks_into_labelled_cards_on_a_phone(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site + COMPARISON)
    cell = page.locator(".compare-table tbody td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Harness Engineer"'
    table_width = page.locator(".compare-table").evaluate("t => t.getBoundingClientRect().width")
    assert table_width <= 390
    page.set_viewport_size({"width": 1280, "height": 800})
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"


def test_a_link_to_a_question_opens_its_answer(page, demo_site):
    page.goto(demo_site + "/faq/#context-compaction")
    assert page.locator("details#context-compaction").evaluate("d => d.open")
    page.locator("details#session-vs-memory .faq-anchor a").evaluate("a => a.click()")
    assert page.locator("details#session-vs-memory").evaluate("d => d.open")


def test_search_from_the_header_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site + COMPARISON)
        # Without JavaScript the header's search opens from its button (a <details>).
        page.click(".site-search-toggle")
        page.fill("#site-search-q", "compaction")
        with page.expect_navigation():
            page.press("#site-search-q", "Enter")
        assert "/search/?q=compaction" in page.url
        assert page.locator(".result-title a").count() >= 3
        page.goto(demo_site + "/faq/")
        page.locator("details.faq summary").first.click()
        assert page.locator("details.faq").first.evaluate("d => d.open")
    finally:
        context.close()


def test_no_page_loads_anything_from_another_host(page, demo_site):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path, _, _ in PAGE_KINDS.values():
        page.goto(demo_site + path)  # waits for the load event: styles, scripts and images
    assert requested
    foreign = [url for url in requested if not url.startswith((demo_site + "/", "data:"))]
    assert foreign == []
    assert any(url.endswith(".css") for url in requested)
    assert any(url.endswith(".js") for url in requested)


def test_print_drops_the_navigation(page, demo_site):
    page.goto(demo_site + COMPARISON)
    page.emulate_media(media="print")
    for selector in [".site-header", ".site-footer", ".breadcrumbs", ".toc", ".next-links"]:
        assert not page.locator(selector).is_visible(), selector
    assert page.locator(".compare-table").is_visible()
