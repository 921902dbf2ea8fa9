"""Cannibalisation across every kind: keywords, titles, SEO titles and H1s compared fuzzily,
the threshold a site setting, comparisons told apart by their pair of roles."""

import pytest

from harness_cms.core.models import SiteSettings
from harness_cms.seo import audit
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db


def clashes(severity=None):
    return [
        f
        for f in audit.run().findings
        if f.rule == "cannibalization" and (severity is None or f.severity == severity)
    ]


def between(finding):
    return {finding.path, *finding.others}


def set_threshold(value):
    settings = SiteSettings.load()
    settings.similarity_threshold = value
    settings.save()


def test_a_guide_titled_like_a_role_competes_with_it_without_any_keyword():
    role = make_role("Harness Engineer", target_keyword="harness engineer")
    guide = make_page("What is a Harness Engineer? A primer")
    (finding,) = clashes(audit.Severity.WARNING)
    assert between(finding) == {role.path, guide.path}
    assert "the title (H1) “What is a Harness Engineer? A primer”" in finding.message


def test_an_seo_title_competes_with_another_pages_h1_across_kinds():
    role = make_role("Context Engineer")
    guide = make_page("Context engineering in practice", seo_title="Context Engineers")
    (finding,) = clashes()
    assert between(finding) == {role.path, guide.path}
    assert "SEO title" in finding.message


def test_a_markdown_heading_is_no_second_h1():
    """Headings in the text render from h2 down: the title is a page's only H1."""
    make_role("Memory Engineer")
    page = make_page("Notes from the field", body="# Memory engineers\n\nText.")
    assert "<h1" not in page.body_html
    assert clashes() == []


def test_the_same_keyword_on_two_pages_is_an_error_and_one_finding_per_pair():
    make_role("Harness Engineer", target_keyword="harness engineer")
    make_page("Harness Engineer", target_keyword="Harness engineer!")
    found = clashes()
    assert len(found) == 1 and found[0].severity == audit.Severity.ERROR


def test_distinct_pages_do_not_compete():
    make_role("Harness Engineer", target_keyword="harness engineer")
    make_page("Harness Engineer architecture", target_keyword="harness engineer architecture")
    make_page("Harness Engineer job description")
    assert clashes() == []


def test_comparisons_are_judged_on_their_pair_of_roles():
    harness, ai, prompt = (make_role(t) for t in ("Harness Eng", "AI Eng", "Prompt Eng"))
    make_comparison(harness, ai, title="Harness vs AI: which one?")
    make_comparison(harness, prompt, title="Harness vs Prompt: which one?")
    assert clashes() == []  # alike titles, different pairs
    data = make_role("Data Eng")
    make_comparison(ai, data, target_keyword="ai vs prompt")
    make_comparison(prompt, data, target_keyword="AI vs Prompt")
    (finding,) = clashes()
    assert finding.severity == audit.Severity.ERROR  # the very same keyword still counts


def test_the_threshold_is_a_site_setting():
    make_role("Harness Engineer")
    make_page("Harness Engineers", slug="plural")
    make_page("Harness Engineers at work")  # 64 % alike the role's title
    assert len(clashes()) == 1  # the plural: nearly the same at the default 90
    set_threshold(100)
    assert clashes() == []
    set_threshold(60)
    assert len(clashes()) == 3


def test_the_threshold_is_bounded_in_the_admin(admin_client):
    from tests.admin_forms import submit

    SiteSettings.load()
    response = submit(
        admin_client,
        "/admin/harness_cms/sitesettings/1/change/",
        {
            "similarity_threshold": "20",
        },
    )
    assert response.status_code == 200
    assert "similarity_threshold" in response.context["adminform"].form.errors
    assert SiteSettings.load().similarity_threshold == 90
