"""Two people at once, each in their own browser context, as the issue walked them: edits made
elsewhere refuse an older open form and lose nothing; a comparison published before its role
waits for it; unpublishing a role offers redirects for what goes offline with it."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison, Role
from faq.models import FAQ, FAQPlacement
from harness_cms.core.models import ContentItem, RelatedLink
from tests.browser.conftest import screenshot
from tests.browser.test_workflow import choose, log_in, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def people(browser, demo_site):
    """A browser context per person, logged in: ``people("alice", "Editors")``."""
    contexts = []

    def person(username, group):
        make_user(username, group)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        log_in(page, demo_site, username)
        return page

    yield person
    for context in contexts:
        context.close()


def save(page):
    page.locator("input[name=_continue]").last.click()


def test_a_card_saved_on_its_own_form_refuses_the_items_older_form(people, demo_site):
    alice, bob = people("alice", "Editors"), people("bob", "Editors")
    comparison = ContentItem.objects.get(path="/compare/harness-engineer-vs-ai-engineer/")
    card = RelatedLink.objects.filter(source=comparison).first()
    alice.goto(demo_site + comparison.admin_url())

    bob.goto(f"{demo_site}/admin/pages/relatedlink/{card.pk}/change/")
    bob.fill("#id_title", "Bob's card title")
    bob.fill("#id_blurb", "Bob's blurb.")
    save(bob)
    expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")

    alice.fill("#id_lead", "Alice changed only the lead.")
    save(alice)
    expect(alice.locator(".errornote")).to_be_visible()
    expect(alice.locator("#comparison_form")).to_contain_text(
        "Not saved: bob saved this comparison"
    )
    expect(alice.locator("#id_lead")).to_have_value("Alice changed only the lead.")
    screenshot(alice, "two-people-card-conflict")
    card.refresh_from_db()
    assert (card.title, card.blurb) == ("Bob's card title", "Bob's blurb.")


def test_faq_staff_moving_and_removing_placements_refuse_the_editors_older_form(people, demo_site):
    editor, staff = people("eddie", "Editors"), people("fay", "FAQ staff")
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    placements = list(FAQPlacement.objects.filter(item=comparison).select_related("faq"))
    assert len(placements) >= 3
    moved, removed = placements[0], placements[1]
    for faq in (moved.faq, removed.faq):
        FAQ.objects.filter(pk=faq.pk).update(status="draft")  # FAQ staff edit drafts only
    editor.goto(demo_site + comparison.admin_url())

    # FAQ staff move one placement and remove another, from their FAQs' forms.
    staff.goto(f"{demo_site}/admin/faq/faq/{moved.faq.pk}/change/")
    row = staff.locator("input[name$='-position']").nth(
        [p.item_id for p in moved.faq.placements.all()].index(comparison.pk)
    )
    row.fill("7")
    save(staff)
    expect(staff.locator(".messagelist")).to_contain_text("was changed successfully")
    staff.goto(f"{demo_site}/admin/faq/faq/{removed.faq.pk}/change/")
    index = [p.item_id for p in removed.faq.placements.all()].index(comparison.pk)
    staff.locator(f"#id_placements-{index}-DELETE").check()
    save(staff)
    expect(staff.locator(".messagelist")).to_contain_text("was changed successfully")

    # The editor's form, opened before, is refused: named, with the row that is gone marked.
    editor.fill("#id_lead", "The editor's new lead.")
    save(editor)
    expect(editor.locator(".errornote")).to_be_visible()
    expect(editor.locator("#comparison_form")).to_contain_text("Not saved: fay saved this")
    expect(editor.locator("#faq_placements-group")).to_contain_text("deleted this row")
    expect(editor.locator("#id_lead")).to_have_value("The editor's new lead.")
    total = editor.locator("#id_faq_placements-TOTAL_FORMS").input_value()
    assert int(total) == len(placements)
    screenshot(editor, "two-people-placements-conflict")
    assert FAQPlacement.objects.get(pk=moved.pk).position == 7
    assert not FAQPlacement.objects.filter(pk=removed.pk).exists()


def test_a_comparison_published_before_its_role_waits_for_it(people, demo_site, page):
    editor = people("eddie", "Editors")
    harness = Role.objects.get(slug="harness-engineer")
    data = Role.objects.create(title="Data Engineer", slug="data-engineer", status="draft")
    comparison = Comparison.objects.create(role_a=harness, role_b=data, status="draft")
    editor.goto(demo_site + comparison.admin_url())
    editor.select_option("#id_status", "published")
    save(editor)
    expect(editor.locator(".messagelist")).to_contain_text(
        "published but not live: it waits for Data Engineer (draft)"
    )
    expect(editor.locator(".harness-state")).to_contain_text("Waits for Data Engineer (draft)")
    screenshot(editor, "two-people-waits-for-role")
    assert page.request.get(demo_site + comparison.path).status == 404

    editor.goto(demo_site + data.admin_url())
    editor.select_option("#id_status", "published")
    save(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    assert page.request.get(demo_site + comparison.path).status == 200
    editor.goto(f"{demo_site}/admin/comparisons/comparison/?state=live")
    expect(editor.locator("#result_list")).to_contain_text(comparison.title)


def test_unpublishing_a_role_offers_redirects_and_leaves_no_link_to_a_404(people, demo_site, page):
    editor = people("eddie", "Editors")
    comparison = ContentItem.objects.get(path="/compare/harness-engineer-vs-prompt-engineer/")
    role = Role.objects.get(slug="prompt-engineer")
    reader = ContentItem.objects.get(path="/roles/harness-engineer/workflow/").specific()
    reader.body += (
        f"\n\nCompare [the two roles]({comparison.path}). Meet [the other role]({role.path})."
    )
    reader.save()
    editor.goto(demo_site + role.admin_url())
    editor.select_option("#id_status", "draft")
    notice = editor.locator("[data-harness-when='unpublishing']")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("goes offline with it")
    expect(notice).to_contain_text("Harness Engineer vs Prompt Engineer")
    expect(notice).to_contain_text("Harness Engineer Workflow")
    choose(editor, f"id_redirect_to_{comparison.pk}", "Harness Engineer vs AI Engineer")
    screenshot(editor, "two-people-unpublish-role")
    editor.locator("input[name=_publish]").last.click()  # a plain save of a live role drafts
    expect(editor.locator(".messagelist")).to_contain_text(f"{comparison.path} now redirects")

    # A visitor, in their own context: the comparison's address redirects, so its link stays
    # and leads somewhere; the role's address (no redirect chosen) is text, not a 404 link.
    page.goto(demo_site + reader.path)
    expect(page.locator(".prose")).to_contain_text("Meet the other role.")
    assert page.locator(f".prose a[href='{role.path}']").count() == 0
    page.locator(f".prose a[href='{comparison.path}']").click()
    expect(page.locator("h1")).to_have_text("Harness Engineer vs AI Engineer")
    screenshot(page, "two-people-visitor-after-unpublish")
