"""axe-core over every admin page an editor and FAQ staff use, walked in Chromium as each of them:
the index, every list and what its first row opens (change form, history, the comparison of two
revisions, a restore's confirmation, the delete confirmation), every add form, the draft and its
differences, the review queue, the trash, the audit log, Cluster health and the due-for-review
queue. Zero violations, none of axe's rules turned off."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comparisons.models import Comparison, Role
from faq.models import FAQ
from harness_cms.editorial import freshness
from tests.browser.conftest import PHONE, axe_violations, horizontal_overflow, screenshot
from tests.browser.test_two_people import people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


class Walk:
    """Visits admin pages once each and keeps axe's violations, page by page."""

    def __init__(self, page, site):
        self.page, self.site, self.seen, self.problems = page, site, set(), []

    def check(self, url):
        path = urlsplit(url)._replace(scheme="", netloc="").geturl()
        if path in self.seen:
            return False
        self.seen.add(path)
        response = self.page.goto(self.site + path)
        assert response.status == 200, f"{path}: {response.status}"
        self.problems += [f"{path}: {violation}" for violation in axe_violations(self.page)]
        return True

    def links(self, selector):
        return self.page.eval_on_selector_all(selector, "links => links.map(a => a.href)")

    def index_and_lists(self):
        """The index, then every list and add form it links to; from each list, its first
        row's change form, that form's history, the comparison of its two latest revisions,
        the restore page of the older one, and the delete confirmation."""
        self.check("/admin/")
        for url in self.links("#content-main .app-list a, #content-main .module a"):
            if not self.check(url) or url.endswith("/add/"):
                continue
            rows = self.links("#result_list tbody th a, #result_list tbody td a")
            if not rows or not self.check(rows[0]):
                continue
            history = self.links("a.historylink")
            delete = self.links("a.deletelink")
            if history and self.check(history[0]):
                self.compare_and_restore()
            if delete:
                self.check(delete[0])

    def compare_and_restore(self):
        compare = self.page.locator("input[type=submit][value='Compare the chosen revisions']")
        if compare.count():
            compare.click()
            self.page.wait_for_load_state()
            self.seen.add(urlsplit(self.page.url).path)
            self.problems += [
                f"{self.page.url}: {violation}" for violation in axe_violations(self.page)
            ]
            self.page.go_back()
        restore = self.links("#revisions a[href*='/restore/']")
        if restore:
            self.check(restore[0])


def due(*objects):
    """Make these live items due for review (published long ago, never reviewed)."""
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(publish_at=timezone.now() - timedelta(days=999))


def test_no_axe_violations_on_the_admin_pages_editors_and_faq_staff_use(people, demo_site):  # noqa: F811
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    faq = FAQ.objects.get(slug="career-path")
    due(comparison, faq, Role.objects.get(slug="harness-engineer"))
    # Two revisions to compare, one to restore.
    reviewed = Role.objects.get(slug="ai-engineer")
    freshness.mark_reviewed(obj=reviewed, user=None)
    freshness.mark_reviewed(obj=reviewed, user=None)

    # FAQ staff propose a change to a live FAQ; their pages, the form on the draft among them.
    staff = people("fay", "FAQ staff")
    staff.goto(f"{demo_site}/admin/faq/faq/{faq.pk}/change/")
    staff.fill("#id_answer", "A proposal, awaiting review.")
    staff.fill("#id_review_note", "Please check.")
    staff.locator("input[name=_submit_review]").last.click()
    expect(staff.locator(".messagelist")).to_contain_text("Submitted for review")
    as_staff = Walk(staff, demo_site)
    as_staff.index_and_lists()
    for url in [
        f"/admin/faq/faq/{faq.pk}/change/",
        f"/admin/faq/faq/{faq.pk}/draft/",
        f"/admin/faq/faq/{faq.pk}/history/",
        "/admin/due-for-review/",
    ]:
        as_staff.check(url)
    assert "/admin/faq/faq/add/" in as_staff.seen

    # An editor: a draft over a live comparison, an item in the trash, then everything.
    editor = people("eddie", "Editors")
    editor.goto(f"{demo_site}/admin/comparisons/comparison/{comparison.pk}/change/")
    editor.fill("#id_lead", "A drafted lead, not yet published.")
    editor.locator("input[name=_continue]").last.click()
    expect(editor.locator(".messagelist")).to_contain_text("Saved as a draft")
    draft_page = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    editor.goto(f"{demo_site}/admin/pages/page/")
    editor.locator("#result_list tbody th a").last.click()
    editor.locator("a.deletelink").first.click()
    editor.locator("input[type=submit]").click()
    expect(editor.locator(".messagelist")).to_contain_text("is in the trash")

    as_editor = Walk(editor, demo_site)
    as_editor.index_and_lists()
    for url in [
        f"/admin/comparisons/comparison/{draft_page.pk}/change/",
        f"/admin/comparisons/comparison/{draft_page.pk}/draft/",
        f"/admin/faq/faq/{faq.pk}/draft/",
        "/admin/editorial/draft/?submitted_at__isempty=0",
        "/admin/due-for-review/",
    ]:
        as_editor.check(url)
    if as_editor.check(f"/admin/comparisons/role/{reviewed.pk}/history/"):
        as_editor.compare_and_restore()
    editor.goto(demo_site + "/admin/editorial/trasheditem/")
    as_editor.check(as_editor.links("#result_list a[href*='/restore/']")[0])

    # What the walk reached: every page the brief of an accessible admin names.
    for expected in [
        "/admin/comparisons/comparison/add/",
        "/admin/comparisons/role/",
        "/admin/pages/page/add/",
        "/admin/faq/faq/",
        "/admin/faq/topic/",
        "/admin/harness_cms/clusterhealth/",
        "/admin/editorial/draft/",
        "/admin/editorial/trasheditem/",
        "/admin/editorial/auditentry/",
    ]:
        assert expected in as_editor.seen, expected
    assert any("/history/compare/" in path for path in as_editor.seen)
    assert any(path.endswith("/restore/") and "history" in path for path in as_editor.seen)
    assert len(as_editor.seen) > 40 and len(as_staff.seen) > 6
    assert as_staff.problems + as_editor.problems == []


def test_the_due_for_review_queue_and_mark_reviewed_in_a_browser(people, demo_site):  # noqa: F811
    role = Role.objects.get(slug="harness-engineer")
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    due(role, comparison)
    editor = people("eddie", "Editors")
    editor.goto(demo_site + "/admin/")
    box = editor.locator("#due-for-review")
    expect(box).to_contain_text("2 live items due")
    screenshot(editor, "freshness-admin-index")
    box.get_by_role("link", name="The due-for-review queue").click()
    rows = editor.locator(".due-section tbody tr")
    expect(rows).to_have_count(2)
    screenshot(editor, "freshness-queue-desktop")
    editor.set_viewport_size(PHONE)
    assert horizontal_overflow(editor) == 0
    screenshot(editor, "freshness-queue-phone")
    editor.set_viewport_size({"width": 1280, "height": 800})
    editor.get_by_role("button", name=f"Mark “{role.title}” reviewed").click()
    expect(editor.locator(".messagelist")).to_contain_text(f"Marked “{role}” reviewed")
    expect(rows).to_have_count(1)

    # On the form: one click, and the form says so.
    editor.goto(f"{demo_site}/admin/comparisons/comparison/{comparison.pk}/change/")
    notice = editor.locator(".harness-freshness")
    expect(notice).to_contain_text("Due for review since")
    screenshot(editor, "freshness-form-desktop")
    editor.set_viewport_size(PHONE)
    assert horizontal_overflow(editor) == 0
    screenshot(editor, "freshness-form-phone")
    editor.set_viewport_size({"width": 1280, "height": 800})
    notice.get_by_role("button", name="Mark reviewed").click()
    expect(editor.locator(".harness-freshness")).to_contain_text("Last reviewed")
    expect(editor.locator(".harness-freshness")).to_contain_text("by eddie")
    assert Comparison.objects.get(pk=comparison.pk).last_reviewed_at is not None
