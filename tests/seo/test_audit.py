"""Cluster audit: the demo cluster is clean, and each rule reports the cluster broken on purpose."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from comparisons.models import Comparison, Role
from faq.models import FAQ
from harness_cms.core.models import ContentItem, RelatedLink
from harness_cms.core.visibility import Status
from harness_cms.seo import audit
from pages.models import Page
from tests.factories import make_comparison, make_faq, make_link, make_page, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_the_hub(hub_limits):
    """New guides and roles fall past what the home page lists: only cards and links in the
    text lead to them (and the roles index to a role)."""
    hub_limits(HUB_GUIDES=0, HUB_ROLES=2)


def findings(rule=None, severity=None):
    report = audit.run()
    return [
        f
        for f in report.findings
        if (rule is None or f.rule == rule) and (severity is None or f.severity == severity)
    ]


def messages(rule=None, severity=None):
    return [f.message for f in findings(rule, severity)]


def run_command(*args):
    out = StringIO()
    try:
        call_command("cluster_audit", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def set_status(path, status):
    item = ContentItem.objects.get(path=path).specific()
    item.status = status
    item.save()
    return item


# -- the shipped cluster -----------------------------------------------------------------------


def test_the_demo_cluster_audits_clean(demo):
    report = audit.run()
    assert report.errors == 0, [f.message for f in report.findings]
    assert report.warnings == 0, [f.message for f in report.findings]
    code, out = run_command()
    assert code == 0
    assert "0 errors, 0 warnings" in out


def test_the_json_report_has_findings_and_the_matrix(demo):
    code, out = run_command("--json")
    data = json.loads(out)
    assert code == 0
    assert data["errors"] == 0 and data["items"] == ContentItem.objects.count()
    assert data["comparison_matrix"]["roles"] == [
        "AI Engineer",
        "Harness Engineer",
        "Prompt Engineer",
    ]
    assert {"rule", "severity", "message", "path"} <= set(data["findings"][0])


# -- each rule, broken on purpose --------------------------------------------------------------


def test_an_orphan_is_an_error_and_fails_the_command(demo, past_the_hub):
    orphan = make_page("Lonely guide", seo_description="x" * 80, target_keyword="lonely guide")
    assert any(f.path == orphan.path for f in findings("orphan", audit.Severity.ERROR))
    code, out = run_command()
    assert code == 1
    assert "Lonely guide" in out


def test_a_page_linked_only_from_a_draft_is_still_an_orphan(past_the_hub):
    draft = make_role("Draft role", status=Status.DRAFT)
    page = make_page("Reading list")
    make_link(draft, page)
    assert [f.path for f in findings("orphan")] == [page.path]


def test_a_markdown_link_counts_as_a_link(demo, past_the_hub):
    page = make_page("Reading list", target_keyword="reading list")
    assert page.path in [f.path for f in findings("orphan")]
    home = Page.objects.get(is_home=True)
    home.body += f"\n\nSee the [reading list]({page.path})."
    home.save()
    assert page.path not in [f.path for f in findings("orphan")]


def test_a_card_whose_target_was_deleted_is_a_broken_reference(demo):
    workflow = Page.objects.get(path="/roles/harness-engineer/workflow/")
    RelatedLink.objects.filter(target=workflow).delete()
    doomed = make_page("Doomed", role=workflow.role)
    make_link(workflow, doomed)
    doomed.delete()
    assert any("deleted" in m for m in messages("broken-link", audit.Severity.ERROR))


def test_a_card_to_a_draft_is_a_broken_reference(demo):
    set_status("/roles/harness-engineer/workflow/", Status.DRAFT)
    broken = messages("broken-link", audit.Severity.ERROR)
    assert any("Harness Engineer Workflow" in m and "not public" in m for m in broken)


def test_a_markdown_link_to_a_missing_item_is_a_broken_reference(demo):
    role = Role.objects.get(slug="ai-engineer")
    role.body += "\n\nRead the [old guide](/roles/ai-engineer/nothing-here/)."
    role.save()
    assert any("/roles/ai-engineer/nothing-here/" in m for m in messages("broken-link"))


def test_a_link_in_a_placed_faq_answer_to_an_unpublished_item_is_broken(demo):
    # "What skills...?" links to the job description in its answer.
    FAQ.objects.get(slug="skills").placements.create(item=Role.objects.get(slug="ai-engineer"))
    set_status("/roles/harness-engineer/job-description/", Status.ARCHIVED)
    broken = findings("broken-link")
    assert any(
        "the answer to “What skills" in f.message and f.path == "/roles/ai-engineer/"
        for f in broken
    )


def test_links_to_non_item_pages_are_not_broken(demo):
    role = Role.objects.get(slug="ai-engineer")
    role.body += (
        "\n\nSee [all questions](/faq/#what-is-context-engineering) and [mail](mailto:a@b.c)."
    )
    role.save()
    assert messages("broken-link") == []


def test_a_link_to_an_old_address_is_a_warning(demo):
    workflow = Page.objects.get(slug="workflow")
    workflow.slug = "how-the-work-runs"
    workflow.save()
    warnings = messages("redirected-link", audit.Severity.WARNING)
    assert any("/roles/harness-engineer/workflow/" in m for m in warnings)
    assert messages("broken-link") == []


def test_a_cluster_page_links_back_to_its_role_through_its_navigation(demo):
    architecture = Page.objects.get(slug="architecture")
    architecture.links.filter(target__path="/roles/harness-engineer/").delete()
    assert messages("hub-link") == []


def test_a_role_page_links_to_its_cluster_by_itself(demo):
    role = Role.objects.get(slug="harness-engineer")
    role.links.filter(target__path="/roles/harness-engineer/workflow/").delete()
    role.body = role.body.replace("/roles/harness-engineer/workflow/", "/faq/")
    role.next_step = role.next_step.replace("/roles/harness-engineer/workflow/", "/faq/")
    role.save()
    FAQ.objects.get(slug="day-to-day-ownership").placements.filter(item=role).delete()
    assert messages("hub-link") == []


def test_a_new_role_is_linked_from_the_home_page_and_the_roles_index(demo, roomy_hub):
    role = make_role(
        "Context Engineer", seo_description="y" * 80, target_keyword="context engineer"
    )
    assert messages("hub-link") == []
    assert role.path not in [f.path for f in findings("orphan")]


def test_the_home_page_must_link_to_every_role(demo, past_the_hub):
    role = make_role(
        "Context Engineer",
        seo_description="y" * 80,
        target_keyword="context engineer",
        position=99,
    )
    assert any(
        "home page does not link" in m and "Context Engineer" in m for m in messages("hub-link")
    )
    # Not an orphan: the roles index lists every role.
    assert role.path not in [f.path for f in findings("orphan")]


def test_a_missing_page_kind_in_a_cluster_is_a_warning(demo):
    set_status("/roles/harness-engineer/workflow/", Status.DRAFT)
    kinds = messages("cluster-kinds", audit.Severity.WARNING)
    assert kinds == ["The “Harness Engineer” cluster lacks: workflow (not published)."]


def test_a_role_without_text_has_no_definition(demo):
    role = Role.objects.get(slug="prompt-engineer")
    role.body = ""
    role.save()
    assert "“Prompt Engineer” has no definition: its page has no text." in messages("cluster-kinds")


def test_the_comparison_matrix_shows_published_draft_and_missing(demo):
    make_comparison(
        Role.objects.get(slug="ai-engineer"),
        Role.objects.get(slug="prompt-engineer"),
        status=Status.DRAFT,
    )
    set_status("/compare/harness-engineer-vs-prompt-engineer/", Status.REVIEW)
    matrix = audit.run().matrix
    rows = {row["role"]: row["cells"] for row in matrix["rows"]}
    assert matrix["roles"] == ["AI Engineer", "Harness Engineer", "Prompt Engineer"]
    assert rows["AI Engineer"] == ["", "published", "draft"]
    assert rows["Harness Engineer"] == ["published", "", "draft"]
    notes = messages("comparison-matrix", audit.Severity.NOTE)
    assert any("AI Engineer vs Prompt Engineer" in m and "not public" in m for m in notes)


def test_comparisons_of_different_pairs_do_not_cannibalize(demo):
    """Every "… vs <name> Engineer" keyword scores 94 against the others by its words alone;
    what tells them apart is the pair, and "ai" and "data" are not alike."""
    harness = Role.objects.get(slug="harness-engineer")
    for name in ("Data Engineer", "ML Engineer", "Platform Engineer"):
        make_comparison(
            harness,
            make_role(name, target_keyword=name.lower()),
            target_keyword=f"harness engineer vs {name.lower()}",
        )
    assert findings("cannibalization") == []
    assert (
        audit.similarity("harness engineer vs ai engineer", "harness engineer vs data engineer")
        < 90
    )


def test_plurals_typos_and_stems_are_still_nearly_the_same(demo):
    pairs = [
        ("harness engineer", "harness engineers"),
        ("prompt engineer", "promt engineer"),
        ("harness engineering", "harness engineer"),
        ("harness engineer vs ai engineer", "ai engineer vs harness engineer"),
    ]
    for a, b in pairs:
        assert audit.similarity(audit.normalise(a), audit.normalise(b)) >= 90, (a, b)


def test_two_items_with_the_same_keyword_cannibalize(demo):
    page = make_page("Harness Engineer Overview", target_keyword="Harness engineer!")
    make_link(Page.objects.get(is_home=True), page)
    errors = findings("cannibalization", audit.Severity.ERROR)
    assert [f.others for f in errors if f.path == "/roles/harness-engineer/"] == [(page.path,)]


def test_nearly_the_same_keyword_across_kinds_is_a_warning(demo):
    comparison = Comparison.objects.get(slug="harness-engineer-vs-ai-engineer")
    role = Role.objects.get(slug="ai-engineer")
    role.target_keyword = "ai engineers vs harness engineer"
    role.save()
    warnings = findings("cannibalization", audit.Severity.WARNING)
    assert any({f.path, *f.others} == {comparison.path, role.path} for f in warnings)


def test_an_faq_asking_for_another_pages_keyword_is_a_warning(demo):
    make_faq("What is a Harness Engineer job description?", on=[Page.objects.get(is_home=True)])
    assert any("Harness Engineer job description" in m for m in messages("cannibalization"))


def test_a_keyword_of_punctuation_only_is_reported_not_compared(demo):
    for slug in ("ai-engineer", "prompt-engineer"):
        role = Role.objects.get(slug=slug)
        role.target_keyword = "?!"
        role.save()
    assert messages("cannibalization") == []
    problems = messages("seo-fields")
    assert sum("no letters or digits" in m for m in problems) == 2


def test_duplicate_faq_questions(demo):
    make_faq("What is a harness engineer", slug="dup-1")
    make_faq("What's a Harness-Engineer?", slug="dup-2")
    make_faq("What are Harness Engineers?", slug="dup-3")
    errors = messages("duplicate-faq", audit.Severity.ERROR)
    warnings = messages("duplicate-faq", audit.Severity.WARNING)
    assert len(errors) == 3  # the demo's question and the two new spellings: three pairs
    assert any("What are Harness Engineers?" in m for m in warnings)


def test_seo_field_problems(demo):
    role = Role.objects.get(slug="ai-engineer")
    role.seo_title = "An SEO title that is much too long for any search result to show whole"
    role.seo_description = "Too short."
    role.target_keyword = ""
    role.save()
    problems = messages("seo-fields", audit.Severity.WARNING)
    assert any("SEO title has" in m for m in problems)
    assert any("meta description has 10 characters" in m for m in problems)
    assert any("no target keyword" in m for m in problems)


def test_a_shared_title_or_description_is_an_error(demo):
    prompt = Role.objects.get(slug="prompt-engineer")
    ai = Role.objects.get(slug="ai-engineer")
    ai.seo_title = prompt.seo_title.upper()
    ai.seo_description = prompt.seo_description
    ai.save()
    errors = messages("seo-fields", audit.Severity.ERROR)
    assert any("same SEO title" in m for m in errors)
    assert any("same meta description" in m for m in errors)


def test_a_redirect_to_an_unpublished_item_is_a_warning(demo):
    role = Role.objects.get(slug="ai-engineer")
    role.slug = "ai-engineers"
    role.save()
    role.status = Status.DRAFT
    role.save()
    assert any("/roles/ai-engineer/" in m for m in messages("redirect"))


def test_strict_mode_fails_on_warnings(demo):
    role = Role.objects.get(slug="ai-engineer")
    role.seo_description = "Too short."
    role.save()
    assert run_command()[0] == 0
    code, out = run_command("--strict")
    assert code == 1
    assert "meta description has 10 characters" in out


def test_drafts_are_not_judged():
    draft = make_page("Draft guide", status=Status.DRAFT, seo_description="short")
    assert all(f.path != draft.path for f in audit.run().findings)
