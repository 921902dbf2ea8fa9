"""Internal-link suggestions in the browser (decision 0137): one click puts a link by reference
at the first mention, on this form or on the form of the page that mentions this one."""

import re

import pytest
from playwright.sync_api import expect

from comparisons.models import Role
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS
from tests.factories import make_page

pytestmark = pytest.mark.browser


def test_a_suggested_link_is_put_in_at_the_first_mention(admin_page, demo_site):
    page, problems = admin_page
    role = Role.objects.get(title="Prompt Engineer")
    guide = make_page(
        "Reading order",
        body="Start here. [Prompt Engineer notes](https://example.com) aside, "
        "a prompt engineer writes prompts; a Prompt Engineer tests them.",
    )
    # This page names the role: its form offers to link it at the first mention outside a link.
    page.goto(f"{demo_site}{guide.admin_url()}")
    section = page.locator("#harness-suggestions")
    section.locator("li", has_text="“Prompt Engineer”").get_by_role(
        "button", name="Insert link at the first mention"
    ).click()
    body = page.locator("#id_body")
    expect(body).to_have_value(
        re.compile(re.escape(f"aside, a [prompt engineer](item:{role.pk}) writes"))
    )
    expect(page.locator(".link-suggestion-status").first).to_contain_text("Save to keep it")

    # From the role's form: "link to this from" opens the guide with the link already in.
    page.goto(f"{demo_site}{role.admin_url()}")
    suggestion = page.locator("#harness-suggestions a", has_text="Reading order")
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.locator("#harness-suggestions").screenshot(
            path=SCREENSHOTS / f"admin-link-suggestions-{name}.png"
        )
    page.set_viewport_size(VIEWPORTS["desktop"])
    suggestion.click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile(re.escape(f"[prompt engineer](item:{role.pk})"))
    )
    assert problems == []
