"""The site's look, measured in Chromium: a header that leaves a phone's first screen to the
page, card grids without gaps, link-preview pictures on every page."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Role
from tests.browser.conftest import PHONE, VIEWPORTS, axe_violations, horizontal_overflow
from tests.factories import make_image

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/roles/harness-engineer/",
    "/roles/harness-engineer/architecture/",
    "/compare/harness-engineer-vs-ai-engineer/",
    "/faq/",
    "/tags/context-engineering/",
]

# For each grid of cards: the rows it makes and how much of the grid's width each row leaves
# empty (a lone card or a gap at the end of a row).
ROW_GAPS = """() => [...document.querySelectorAll('.cards, .role-grid')].map((grid) => {
  const width = grid.getBoundingClientRect().width;
  const gap = parseFloat(getComputedStyle(grid).columnGap) || 0;
  const rows = {};
  for (const card of grid.children) {
    const box = card.getBoundingClientRect();
    const top = Math.round(box.top);
    rows[top] = rows[top] || [];
    rows[top].push(box.width);
  }
  return Object.values(rows).map((widths) =>
    Math.round(width - widths.reduce((a, b) => a + b, 0) - gap * (widths.length - 1)));
})"""


def test_the_phone_header_takes_less_than_a_seventh_of_the_first_screen(page, demo_site):
    page.set_viewport_size(PHONE)
    for path in PAGES:
        page.goto(demo_site + path)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height < 0.15 * PHONE["height"], f"{path}: header {height:.0f} px"
        assert page.locator(".site-nav a").first.is_visible()
        assert not page.locator("#site-search-q").is_visible()


def test_search_opens_from_its_button_on_a_phone_and_stands_open_on_a_desktop(page, demo_site):
    page.set_viewport_size(PHONE)
    page.goto(demo_site + "/faq/")
    page.click(".site-search-toggle")
    # The details element's toggle event, which moves the focus, is dispatched after the click.
    expect(page.locator("#site-search-q")).to_be_focused()
    page.keyboard.type("memory")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=memory" in page.url
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(demo_site + "/faq/")
    assert page.locator("#site-search-q").is_visible()
    assert not page.locator(".site-search-toggle").is_visible()


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
def test_card_grids_fill_every_row(page, demo_site, viewport_name):
    page.set_viewport_size(VIEWPORTS[viewport_name])
    for path in PAGES:
        page.goto(demo_site + path)
        for grid, empty in enumerate(page.evaluate(ROW_GAPS)):
            assert all(abs(width) <= 2 for width in empty), f"{path}, grid {grid}: {empty} px"


def test_the_home_page_leads_with_the_guide_and_the_roles_it_compares(page, demo_site):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(demo_site + "/")
    hero = page.locator(".hero")
    assert hero.locator("h1").is_visible()
    assert hero.locator(".hero-actions a").first.get_attribute("href") == "/roles/harness-engineer/"
    pairs = hero.locator(".matrix-pair a")
    assert pairs.count() == 4  # two comparisons, each in two cells
    assert set(pairs.evaluate_all("links => links.map(a => a.getAttribute('href'))")) == {
        "/compare/harness-engineer-vs-ai-engineer/",
        "/compare/harness-engineer-vs-prompt-engineer/",
    }
    assert hero.locator(".matrix-missing").count() == 2  # AI Engineer and Prompt Engineer


def test_a_page_with_pictures_loads_them_and_stays_accessible(page, demo_site):
    role = Role.objects.get(slug="harness-engineer")
    image = make_image("Context, session and memory layers", size=(2400, 1350))
    role.lead_image = image
    role.body = f'{role.body}\n\n![](image:{image.pk} "The layers of a harness")\n'
    role.save()
    for name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(demo_site + role.path)
            pictures = page.locator("main picture img")
            assert pictures.count() == 2
            loaded = pictures.evaluate_all(
                "imgs => imgs.map(img => img.complete && img.naturalWidth > 0)"
            )
            assert loaded == [True, False] or loaded == [True, True]  # the figure loads lazily
            assert (
                page.locator(".lead-image img").evaluate("img => img.currentSrc").endswith(".webp")
            )
            assert axe_violations(page) == [], f"{name}, {scheme}"
            assert horizontal_overflow(page) == 0, f"{name}, {scheme}"
