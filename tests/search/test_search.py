"""Site search: query cleaning, escaping and highlighting, the word search every database runs
(through the trigram indexes on SQLite, with LIKE anywhere), and PostgreSQL's full-text search
when the suite runs on PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faq.models import FAQ, page_starts, topic_counts
from harness_cms.core.generation import generation_for_now
from harness_cms.core.models import ContentItem
from harness_cms.core.visibility import Status
from harness_cms.search import selectors as search
from tests.factories import make_comparison, make_faq, make_page, make_role

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (ranking, stemming, ts_headline): runs when DATABASE_URL "
    "is PostgreSQL, as in .ci/run's second pass",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the trigram indexes are SQLite's (search.fts): runs in .ci/run's SQLite pass",
)


@pytest.fixture(params=["like", pytest.param("trigram", marks=on_sqlite)])
def word_search(request, monkeypatch):
    """The word search, once with LIKE (any database) and once through the trigram indexes."""
    monkeypatch.setattr(search, "supports_advanced_syntax", lambda: False)
    if request.param == "like":
        monkeypatch.setattr(search, "uses_trigram_index", lambda query: False)
    return request.param


# ---- Cleaning the query ------------------------------------------------------------------


def test_a_query_loses_control_characters_and_extra_spaces():
    query = search.parse_query("  memory\x00\tcontext \x1b[31m \n")
    assert query.text == "memory context [31m"
    assert query.terms == ("memory", "context", "31m")
    assert not query.truncated


def test_a_long_query_is_cut_to_the_limit_and_says_so():
    query = search.parse_query("a" * 5000)
    assert len(query.text) == search.MAX_QUERY_LENGTH
    assert query.truncated


def test_terms_are_lowercased_unique_and_capped():
    words = " ".join(f"Word{i} word{i}" for i in range(30))
    assert search.parse_query(words).terms == tuple(f"word{i}" for i in range(search.MAX_TERMS))


def test_one_letter_words_count_only_when_nothing_longer_is_given():
    assert search.parse_query("a memory b").terms == ("memory",)
    assert search.parse_query("x y").terms == ("x", "y")


@pytest.mark.parametrize("raw", ["", "   ", None, "!!! ???", "<>"])
def test_a_query_without_words_is_empty(raw):
    assert not search.parse_query(raw)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 1), ("", 1), ("abc", 1), ("-4", 1), ("0", 1), ("2", 2), ("3", 3), ("99999", 3)],
)
def test_page_numbers_are_forced_into_range(value, expected):
    assert search.clamp_page_number(value, last_page=3) == expected


def test_a_page_number_too_long_to_convert_is_page_one():
    assert search.clamp_page_number("9" * 5000, last_page=3) == 1


# ---- Escaping and highlighting -----------------------------------------------------------


def test_highlight_escapes_text_and_marks_words_starting_with_a_term():
    html = search.highlight("<b>Memories</b> & memory-aware <script>", ("memor",))
    assert html == (
        "&lt;b&gt;<mark>Memories</mark>&lt;/b&gt; &amp; <mark>memory</mark>-aware &lt;script&gt;"
    )


def test_highlight_never_marks_inside_an_escaped_entity():
    assert search.highlight("fish & chips", ("amp",)) == "fish &amp; chips"


def test_database_headlines_are_escaped_before_marks_are_added():
    headline = f"<img src=x> {search.START}memory{search.STOP} & {search.START}x"
    assert search.marked(headline) == "&lt;img src=x&gt; <mark>memory</mark> &amp; x"


def test_excerpt_starts_near_the_first_match_on_a_word_boundary():
    text = " ".join(f"filler{i}" for i in range(100)) + " the memory manager " + "tail " * 50
    excerpt = search.excerpt(text, ("memory",))
    assert excerpt.startswith("… filler")
    assert "memory manager" in excerpt
    assert excerpt.endswith(" …")
    assert len(excerpt) <= search.EXCERPT_LENGTH + 4


def test_a_short_text_is_its_own_excerpt():
    assert search.excerpt("Short\n text.", ("text",)) == "Short text."


# ---- Searching (the word search runs on every database) -----------------------------------


@pytest.fixture
def content(db):
    """A small cluster with one public and one hidden item of every kind."""
    role = make_role("Harness Engineer", body="Owns the memory manager and compaction.")
    other = make_role("AI Engineer", body="Ships features.")
    hidden_role = make_role("Secret Engineer", status=Status.DRAFT, body="memory")
    make_comparison(role, other, lead="Memory versus features.")
    make_comparison(role, hidden_role, lead="A memory comparison of a draft role.")
    make_page("Architecture", role=role, body="## Memory layers\n\nWhere memory lives.")
    make_page("Memory plan", role=role, status=Status.DRAFT, body="memory")
    make_page("Orphan", role=hidden_role, body="memory of a hidden role")
    make_faq("What is memory?", answer="What the system keeps between sessions.")
    make_faq("Unpublished memory question?", status=Status.DRAFT)
    return role


def titles(page):
    return [str(hit.title) for hit in page]


@pytest.mark.parametrize(
    "engine",
    [
        "like",
        pytest.param("trigram", marks=on_sqlite),
        pytest.param("postgresql", marks=on_postgresql),
    ],
)
def test_search_finds_every_public_kind_and_nothing_hidden(content, engine, monkeypatch):
    monkeypatch.setattr(search, "supports_advanced_syntax", lambda: engine == "postgresql")
    monkeypatch.setattr(search, "uses_trigram_index", lambda query: engine == "trigram")
    page = search.search(search.parse_query("memory"))
    found = {hit.url: hit.label for hit in page}
    assert found == {
        "/roles/harness-engineer/": "Role",
        "/compare/harness-engineer-vs-ai-engineer/": "Comparison",
        "/roles/harness-engineer/architecture/": "Guide",
        "/faq/#what-is-memory": "FAQ",
    }


def test_word_search_ranks_title_matches_first_and_highlights_them(content, word_search):
    page = search.search(search.parse_query("MEMORY"))
    assert titles(page)[0] == "What is <mark>memory</mark>?"
    assert all("<mark>" in str(hit.excerpt) or "<mark>" in str(hit.title) for hit in page)


def test_word_search_needs_every_word(content, word_search):
    assert titles(search.search(search.parse_query("memory compaction"))) == ["Harness Engineer"]


def test_word_search_escapes_markup_in_content(db, word_search):
    make_role("Tags", body="Never write `<script>alert(1)</script>` into a memory store.")
    hit = search.search(search.parse_query("memory")).object_list[0]
    assert "<script>" not in hit.excerpt
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.excerpt


def test_results_are_paginated_and_a_bad_page_number_gives_a_real_page(db, word_search):
    for i in range(search.PER_PAGE + 3):
        make_faq(f"Memory question {i:02}?")
    query = search.parse_query("memory")
    first, last = search.search(query, "1"), search.search(query, "2")
    assert first.paginator.count == search.PER_PAGE + 3
    assert len(first) == search.PER_PAGE and len(last) == 3
    assert set(titles(first)).isdisjoint(titles(last))
    assert search.search(query, "999").number == 2
    assert search.search(query, "-1").number == 1
    assert search.search(query, "two").number == 1


def test_search_costs_at_most_five_queries_however_many_hits(db, word_search):
    """Count, the ranked page, then titles and excerpts of that page's items and FAQs: four
    queries. Each answer's page on the FAQ index comes from the index's lists (its topic counts
    and the questions that open its pages), made once per content generation and shared by
    every search and index page: two queries more when a search is the first to need them
    (each make_* here changes the content).

    Not counted: the check, once per content generation, of when the next scheduled publish
    time falls (``generation_for_now``, two queries), which every cached list shares."""

    def queries_for_search(*, lists_made):
        generation_for_now()
        if lists_made:
            topic_counts(), page_starts()
        with CaptureQueriesContext(connection) as captured:
            list(search.search(search.parse_query("memory")))
        return len(captured)

    make_role("Memory role")
    make_faq("Memory question?")
    assert queries_for_search(lists_made=False) == 6
    for i in range(12):
        make_page(f"Memory page {i}", role=make_role(f"Memory role {i}"))
        make_faq(f"Memory question {i}?")
    assert queries_for_search(lists_made=False) <= 6
    assert queries_for_search(lists_made=True) <= 4


# ---- PostgreSQL full-text search ----------------------------------------------------------


@on_postgresql
def test_postgresql_search_stems_words(content):
    found = [hit.url for hit in search.search(search.parse_query("memories"))]
    assert "/faq/#what-is-memory" in found


@on_postgresql
def test_postgresql_search_understands_phrases_and_exclusions(content):
    phrase = search.search(search.parse_query('"memory manager"'))
    assert [hit.url for hit in phrase] == ["/roles/harness-engineer/"]
    excluded = search.search(search.parse_query("memory -compaction"))
    assert "/roles/harness-engineer/" not in [hit.url for hit in excluded]


@on_postgresql
def test_postgresql_headlines_are_escaped_and_marked(db):
    make_role("Markup", body="A memory store: `if 5 < 6 & ok` and `<script>alert(1)</script>`.")
    make_faq("Memory & markup?", answer="Answers say `<b>memory</b>` & `x < y` too.")
    hits = {hit.kind: hit for hit in search.search(search.parse_query("memory"))}
    assert hits["faq"].title == "<mark>Memory</mark> &amp; markup?"
    assert "5 &lt; 6 &amp; ok" in hits["role"].excerpt
    for hit in hits.values():
        for html in (hit.title, hit.excerpt):
            assert "<" not in html.replace("<mark>", "").replace("</mark>", ""), html


@on_postgresql
def test_postgresql_search_ranks_a_title_match_above_a_body_match(db):
    make_page("Guide", body="compaction " * 3)
    make_page("Compaction", body="Something else.")
    assert titles(search.search(search.parse_query("compaction")))[0] == "<mark>Compaction</mark>"


@on_postgresql
def test_the_gin_index_serves_the_search_expression(content):
    """The match as ranked() asks it, without the public rule: on a table of a few rows the
    planner may as well start from the live_from index, which says nothing about this one."""
    backend = search._PostgresSearch(search.parse_query("memory"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        matching = ContentItem.objects.annotate(
            document=search.stored_document(ContentItem)
        ).filter(document=backend.search_query)
        plan = matching.order_by().explain()
    assert "contentitem_document_gin" in plan


@on_postgresql
def test_the_title_gin_index_finds_the_title_matches(content):
    """The set of title matches a search ranks first is read through the title's own index."""
    backend = search._PostgresSearch(search.parse_query("memory"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        matching = FAQ.objects.annotate(title_document=search.stored_title(FAQ)).filter(
            title_document=backend.search_query
        )
        plan = matching.order_by().explain()
    assert "faq_title_gin" in plan


@on_postgresql
def test_postgresql_ranks_title_matches_first_when_more_than_the_bound_match(db, monkeypatch):
    """Only a bounded set of each table's matches is ranked, and the rows whose title matches
    are always in it: a title match written after many body matches still comes first, for
    one word and for a title that holds one of several words."""
    monkeypatch.setattr(search, "_asked_before", lambda query: False)
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    monkeypatch.setattr(search, "RANK_BOUND", 3)
    for n in range(6):
        make_faq(f"Question {n}?", answer="Compaction. " + "Other words. " * 10 + "Memory.")
    make_faq("What is compaction?", answer="Something else.")
    make_faq("Where does memory go?", answer="Into compaction.")
    assert titles(search.search(search.parse_query("compaction")))[0] == (
        "What is <mark>compaction</mark>?"
    )
    assert titles(search.search(search.parse_query("compaction memory")))[0] == (
        "Where does <mark>memory</mark> go?"
    )


@on_postgresql
def test_postgresql_counts_items_and_faqs_up_to_the_cap_and_fills_every_page(db, monkeypatch):
    monkeypatch.setattr(search, "_asked_before", lambda query: False)
    monkeypatch.setattr(search, "COUNT_CAP", 4)
    monkeypatch.setattr(search, "RANK_BOUND", 5)
    monkeypatch.setattr(search, "PER_PAGE", 2)
    query = search.parse_query("compaction")
    for n in range(3):
        make_page(f"Compaction page {n}")
    make_faq("Compaction one?")
    page = search.search(query)
    assert (page.paginator.count, page.capped) == (4, False)
    make_faq("Compaction two?")
    page = search.search(query)
    assert (page.paginator.count, page.capped) == (4, True)
    for n in range(10):
        make_faq(f"Compaction {n}?")
    first, second = search.search(query, "1"), search.search(query, "2")
    assert (first.paginator.count, first.capped, first.paginator.num_pages) == (4, True, 2)
    assert len(first) == len(second) == 2
    assert set(titles(first)).isdisjoint(titles(second))
