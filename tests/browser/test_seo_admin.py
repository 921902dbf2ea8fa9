"""The content form's SEO helpers in a real browser: counters, live preview, status warnings."""

import pytest
from django.contrib.auth.models import User

from harness_cms.core.models import ContentItem
from tests.browser.conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser


def log_in(page, site):
    # The live server's database is flushed between tests, groups included: a superuser.
    User.objects.create_superuser("editor", password="pw")
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def test_counters_preview_and_unpublish_warning(page, demo_site):
    log_in(page, demo_site)
    comparison = ContentItem.objects.get(path="/compare/harness-engineer-vs-ai-engineer/")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(demo_site + comparison.admin_url())

    notice = page.locator("[data-harness-when='unpublishing']")
    redirect_row = page.locator(".field-redirect_to")
    assert notice.is_hidden() and redirect_row.is_hidden()
    page.select_option("#id_status", "draft")
    assert notice.is_visible() and redirect_row.is_visible()
    assert "published pages link here" in notice.inner_text()

    page.locator("summary:has-text('Search engines')").click()
    page.fill("#id_seo_description", "Too short.")
    counter = page.locator("#id_seo_description + .harness-counter")
    assert counter.inner_text() == "10 characters — shorter than 50"
    page.fill("#id_seo_title", "Harness or AI Engineer?")
    assert page.locator("[data-serp='title']").inner_text() == "Harness or AI Engineer?"
    assert page.locator("[data-serp='description']").inner_text() == "Too short."
    screenshot(page, "admin-seo-panel")
    assert errors == []


def test_cluster_health_page_renders_the_graph(page, demo_site):
    log_in(page, demo_site)
    page.goto(demo_site + "/admin/harness_cms/clusterhealth/")
    assert page.locator("figure.link-graph svg a.dot").count() == ContentItem.objects.count()
    assert "0 errors" in page.locator(".health-summary").inner_text()
    screenshot(page, "admin-cluster-health")


def test_the_on_page_analysis_follows_what_the_editor_types(page, demo_site, viewport):
    log_in(page, demo_site)
    role = ContentItem.objects.get(path="/roles/harness-engineer/")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(demo_site + role.admin_url())
    h1 = page.locator("#harness-analysis li[data-check='keyphrase_h1']")
    assert h1.get_attribute("class") == "ok"
    score = page.locator("#harness-analysis [data-analysis='score']")
    saved_score = int(score.inner_text())

    page.fill("#id_title", "A role for long-running agents")
    # Sent half a second after the last key, and redrawn from the server's answer.
    page.wait_for_selector("#harness-analysis li[data-check='keyphrase_h1'].warn")
    assert "Use the keyphrase in the title" in h1.inner_text()
    assert int(score.inner_text()) < saved_score
    assert "not yet saved" in page.locator("[data-analysis='status']").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#harness-analysis").screenshot(
        path=SCREENSHOTS / f"admin-on-page-analysis-{viewport}.png"
    )

    page.fill("#id_title", "Harness Engineer")
    page.wait_for_selector("#harness-analysis li[data-check='keyphrase_h1'].ok")
    assert errors == []
