"""Role and comparison pages show every part from the database; drafts are 404."""

import random
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from harness_cms.core.models import RelatedLink, SiteSettings
from harness_cms.core.visibility import Status
from tests.factories import (
    make_comparison,
    make_faq,
    make_link,
    make_page,
    make_role,
    make_shared_point,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def comparison():
    harness = make_role("Harness Engineer", summary="Owns the runtime.")
    ai = make_role("AI Engineer")
    comparison = make_comparison(
        harness,
        ai,
        lead="Both build AI products.",
        shared_heading="Both work on AI products",
        role_a_summary="Orchestration and memory.",
        role_b_summary="Model integration and delivery.",
        verdict="They complement each other.",
        next_step="Read the [architecture](/roles/harness-engineer/architecture/) page.",
        rows=2,
    )
    make_shared_point(comparison, "Both touch evaluation.")
    make_faq("Does one replace the other?", answer="No.", on=[comparison])
    architecture = make_page("Architecture", role=harness)
    make_link(comparison, architecture, blurb="Context, session and memory layers.")
    make_link(comparison, architecture, section=RelatedLink.Section.NEXT)
    comparison.tags.add("context engineering")
    return comparison


def test_comparison_page_shows_every_part(client, comparison):
    response = client.get(comparison.get_absolute_url())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    text = soup.get_text(" ")
    assert soup.h1.text == "Harness Engineer vs AI Engineer"
    for part in [
        "Both build AI products.",
        "Both work on AI products",
        "Both touch evaluation.",
        "Orchestration and memory.",
        "Model integration and delivery.",
        "They complement each other.",
        "Does one replace the other?",
        "Context, session and memory layers.",
        "context engineering",
        "Last updated",
    ]:
        assert part in text, part
    table = soup.find("table")
    assert [th["scope"] for th in table.find_all("th")] == ["col"] * 3 + ["row"] * 2
    card = soup.find("a", class_="card-link")
    assert card.get_text(" ", strip=True).startswith("Open page")
    assert card["href"] == "/roles/harness-engineer/architecture/"
    assert soup.find("details", id="does-one-replace-the-other")


def test_a_draft_comparison_is_404(client):
    comparison = make_comparison(status=Status.DRAFT)
    assert client.get(comparison.get_absolute_url()).status_code == 404


def test_an_unknown_comparison_is_the_sites_own_404(client):
    response = client.get("/compare/nobody-vs-nothing/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_card_to_a_draft_target_is_not_shown(client):
    comparison = make_comparison()
    make_link(comparison, make_page("Secret draft", status=Status.DRAFT))
    assert b"Secret draft" not in client.get(comparison.get_absolute_url()).content


def test_other_comparisons_of_the_same_roles_are_listed(client):
    harness = make_role("Harness Engineer")
    first = make_comparison(harness, make_role("AI Engineer"))
    make_comparison(harness, make_role("Prompt Engineer"))
    make_comparison(make_role("X"), make_role("Y"))
    soup = BeautifulSoup(client.get(first.get_absolute_url()).content, "html.parser")
    section = soup.find("section", class_="other-comparisons")
    assert [a["href"] for a in section.find_all("a")] == [
        "/compare/harness-engineer-vs-prompt-engineer/"
    ]


def test_role_page_shows_its_definition_and_cluster(client):
    role = make_role("Harness Engineer", body="## What the role owns\n\nThe harness.")
    make_page("Job description", role=role)
    make_page("Hidden plan", role=role, status=Status.DRAFT)
    make_comparison(role, make_role("AI Engineer"))
    make_faq("What does a Harness Engineer do?", on=[role])
    response = client.get(role.get_absolute_url())
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert response.status_code == 200
    for part in [
        "What the role owns",
        "Job description",
        "Harness Engineer vs AI Engineer",
        "What does a Harness Engineer do?",
    ]:
        assert part in text
    assert "Hidden plan" not in text


def test_a_draft_role_is_404(client):
    role = make_role(status=Status.DRAFT)
    assert client.get(role.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "path", ["/roles/" + "x" * 3000 + "/", "/compare/%00/", "/roles/%E2%98%83/"]
)
def test_odd_addresses_are_404_not_errors(client, path):
    assert client.get(path).status_code == 404


def test_more_comparisons_are_bounded_and_lead_to_the_role_pages(client, monkeypatch):
    from comparisons import views

    monkeypatch.setattr(views, "OTHER_COMPARISONS", 3)
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    comparison = make_comparison(harness, ai)
    for i in range(4):
        make_comparison(make_role(f"Other {i}"), harness if i % 2 else ai)
    soup = BeautifulSoup(client.get(comparison.path).content, "html.parser")
    section = soup.find("section", class_="other-comparisons")
    assert len(section.select(".card")) == 3
    assert {a["href"] for a in section.select("p a")} == {
        f"{harness.path}#comparisons",
        f"{ai.path}#comparisons",
    }


def test_involving_finds_comparisons_on_either_side(db):
    from comparisons.models import Comparison

    a, b, c, d = (make_role(f"Role {n}") for n in "abcd")
    ab, ca, cd = make_comparison(a, b), make_comparison(c, a), make_comparison(c, d)
    assert set(Comparison.objects.involving(a)) == {ab, ca}
    assert set(Comparison.objects.involving(b, d)) == {ab, cd}
    assert set(Comparison.objects.involving(a.pk)) == {ab, ca}


def test_other_comparisons_from_cached_role_lists_are_the_query_s_answer(db):
    """Each role's first comparisons, merged, give exactly what one query over both roles
    gives, whatever the titles, drafts and limits."""
    from comparisons.models import Comparison
    from comparisons.views import other_comparison_cards

    rng = random.Random(6)
    a, b = make_role("Role A"), make_role("Role B")
    comparisons = [make_comparison(a, b, title="Middle title")]
    for i in range(24):
        role = a if i % 3 else b
        status = Status.DRAFT if rng.random() < 0.2 else Status.PUBLISHED
        title = f"{rng.choice('ABMZ')} comparison {rng.randint(0, 9)}"
        comparisons.append(
            make_comparison(role, make_role(f"Partner {i}"), title=title, status=status)
        )
    for comparison in comparisons[:6]:
        for count in (0, 1, 3, 12, 30):
            cards, more = other_comparison_cards(comparison, count)
            expected = list(
                Comparison.objects.published()
                .involving(comparison.role_a, comparison.role_b)
                .exclude(pk=comparison.pk)
                .order_by("title", "pk")
                .values_list("pk", flat=True)
            )
            assert [card["pk"] for card in cards] == expected[:count], (comparison, count)
            assert more == (len(expected) > count)


def test_other_comparisons_follow_edits_and_schedules(client):
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    comparison = make_comparison(harness, ai)

    def others():
        soup = BeautifulSoup(client.get(comparison.path).content, "html.parser")
        return [h.get_text() for h in soup.select(".other-comparisons .card-title")]

    assert others() == []
    prompt = make_comparison(harness, make_role("Prompt Engineer"))
    assert others() == ["Harness Engineer vs Prompt Engineer"]
    prompt.title = "Harness and Prompt Engineers"
    prompt.save()
    assert others() == ["Harness and Prompt Engineers"]
    now = timezone.now()
    make_comparison(ai, make_role("Data Engineer"), publish_at=now + timedelta(seconds=30))
    with time_machine.travel(now, tick=False) as traveller:
        assert others() == ["Harness and Prompt Engineers"]
        traveller.shift(timedelta(seconds=31))
        assert others() == ["AI Engineer vs Data Engineer", "Harness and Prompt Engineers"]


def test_a_cold_comparison_costs_at_most_five_queries(client, django_assert_max_num_queries):
    """Uncached, with rows, shared points, FAQs, cards and topics: the comparison with its
    roles and topics, cards, FAQs, shared points, rows."""
    comparison = make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"), rows=3)
    make_shared_point(comparison, "Both ship AI products")
    make_faq("Does one replace the other?", on=[comparison])
    make_link(comparison, make_role("Prompt Engineer"))
    comparison.tags.add("memory", "sessions")
    SiteSettings.load()
    client.get(comparison.path)  # site settings and each role's first comparisons cached
    with django_assert_max_num_queries(5):
        response = client.get(comparison.path)
    soup = BeautifulSoup(response.content, "html.parser")
    assert {"memory", "sessions"} <= {a.get_text() for a in soup.select(".item-tags .tag")}
