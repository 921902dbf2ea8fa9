"""Query budgets: every public page kind costs a fixed number of queries, the same with one and
with fifty of each thing it shows (rows, shared points, FAQs, cards, tags, comparisons, cluster
pages, topics, search hits). The table in docs/performance.md lists these numbers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harness_cms.core.models import Author, Byline, RelatedLink, SiteSettings
from harness_cms.search import selectors as search_selectors
from tests.factories import (
    make_comparison,
    make_faq,
    make_link,
    make_page,
    make_role,
    make_shared_point,
    make_topic,
)

pytestmark = pytest.mark.django_db

# The page kinds and what each costs. Every page also reads the site settings, from the cache.
BUDGETS = {
    # home item, roles, their cluster pages, comparisons, guides, the comparisons among the
    # first roles (the matrix), home cards, FAQs, tags
    "home hub": ("/", 8),
    # role (with its topics), cards, FAQs, cluster pages, comparisons
    "role": ("/roles/harness-engineer/", 5),
    # count, the page of roles
    "roles index": ("/roles/", 2),
    # page (with role and topics), cards, FAQs, siblings in the cluster
    "cluster page": ("/roles/harness-engineer/architecture/", 4),
    "stand-alone guide": ("/guides/getting-started/", 3),
    # comparison (with both roles and its topics), cards, FAQs, shared points, rows (the other
    # comparisons are each role's first ones, cached per content generation: one query per
    # role after a content change)
    "comparison": ("/compare/harness-engineer-vs-ai-engineer/", 5),
    # count of lines, the page of lines (with the line before it), the matrix's roles, the
    # matrix's comparisons
    "comparisons index": ("/compare/", 4),
    # the page of questions (the topic counts are cached per content generation)
    "FAQ index": ("/faq/", 1),
    # none: the tags in use are cached per content generation and until the next scheduled
    # time (one query after a change; content types are cached by Django)
    "topic index": ("/tags/", 0),
    # the tag, its items, its FAQs
    "topic page": ("/tags/grown/", 3),
    # count, ranked page, item titles and excerpts, FAQ titles and excerpts with each answer's
    # place in its topic (where each topic starts on the FAQ index is the FAQ index's cached
    # topic counts); a page of hits of only one kind skips the other kind's query
    "search (pages)": ("/search/?q=grown+comparison", 3),
    "search (answers)": ("/search/?q=grown+guide+question", 3),
}


@pytest.fixture
def site():
    SiteSettings.load()
    home = make_page("Hub", page_kind="hub", is_home=True)
    role = make_role("Harness Engineer")
    comparison = make_comparison(role, make_role("AI Engineer"))
    cluster_page = make_page("Architecture", role=role, body="## One\n\nx")
    guide = make_page("Getting started")
    return [home, role, comparison, cluster_page, guide]


def grow(sources, numbers):
    """One more of everything the pages list, for each of ``numbers``."""
    _, role, comparison, _, _ = sources
    for i in numbers:
        other = make_role(f"Grown role {i}", summary="A grown role.")
        make_page(f"Grown page {i}", role=role, position=10 + i)
        make_page(f"Grown guide {i}", position=10 + i)
        grown = make_comparison(role, other, title=f"Grown comparison {i}")
        make_comparison(comparison.role_b, make_role(f"Grown partner {i}"))
        make_shared_point(comparison, f"Shared point {i}", position=i)
        comparison.rows.create(dimension=f"Dimension {i}", role_a_text="a", role_b_text="b")
        topic = make_topic(f"Grown topic {i}")
        faq = make_faq(f"Grown guide {i} question?", on=sources, topic=topic)
        faq.tags.add("grown")
        author = Author.objects.create(
            name=f"Grown author {i}", slug=f"grown-author-{i}", links=f"https://example.com/{i}"
        )
        for source in sources:
            Byline.objects.create(item=source, author=author, position=i)
            make_link(source, grown, blurb="A grown card.")
            make_link(source, other, section=RelatedLink.Section.NEXT)
            make_link(source, external_url=f"https://example.com/{i}", title=f"Outside {i}")
            source.tags.add(f"grown {i}", "grown")


def query_counts(client):
    counts = {}
    for kind, (path, _) in BUDGETS.items():
        client.get(path)  # the site settings and content types are cached from here on
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts[kind] = len(captured)
    return counts


def test_every_page_kind_costs_the_same_with_one_and_with_fifty_of_everything(
    client, site, monkeypatch
):
    """About ten seconds: fifty of everything is some 2,000 rows saved (and rendered) one by
    one, as editors make them; fewer would not show a list that loads its rows one by one.
    Searches are counted as made, not as kept for a query asked again."""
    monkeypatch.setattr(search_selectors, "_asked_before", lambda query: False)
    budgets = {kind: budget for kind, (_, budget) in BUDGETS.items()}
    grow(site, range(1))
    assert query_counts(client) == budgets
    grow(site, range(1, 50))
    assert query_counts(client) == budgets
