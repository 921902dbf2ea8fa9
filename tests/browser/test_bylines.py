"""A page's byline in a real browser: readable at both sizes, nothing overflows, no
accessibility violation."""

import pytest

from harness_cms.core.models import Author, Byline, ContentItem
from tests.browser.conftest import SCREENSHOTS, axe_violations, horizontal_overflow, screenshot

pytestmark = pytest.mark.browser


def test_the_byline_under_the_title(page, demo_site, viewport):
    item = ContentItem.objects.get(path="/compare/harness-engineer-vs-ai-engineer/")
    for position, (name, links) in enumerate(
        [("Zoe Writer", "https://zoe.example.com/"), ("Ada Example", "")]
    ):
        author = Author.objects.create(name=name, slug=name.lower().replace(" ", "-"), links=links)
        Byline.objects.create(item=item, author=author, position=position)
    page.goto(demo_site + item.path)
    byline = page.locator(".item-header .byline")
    assert byline.inner_text() == "By Zoe Writer and Ada Example"
    assert byline.locator("a").get_attribute("href") == "https://zoe.example.com/"
    assert horizontal_overflow(page) == 0
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(".item-header").screenshot(path=SCREENSHOTS / f"byline-{viewport}.png")
    screenshot(page, f"byline-page-{viewport}")
