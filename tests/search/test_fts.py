"""The SQLite trigram indexes of site search (search.fts): kept in step with every write,
repaired after a table loses its triggers, and finding exactly what the LIKE search finds."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from faq.models import FAQ
from harness_cms.core.models import ContentItem
from harness_cms.search import fts
from harness_cms.search import selectors as search
from tests.factories import make_faq, make_role

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the trigram indexes are SQLite's (PostgreSQL searches through its GIN index): they "
    "run in .ci/run's SQLite pass",
)


def indexed(index, term):
    """Row ids the FTS table ``index`` finds for ``term``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {index.name} WHERE {index.name} MATCH %s",  # noqa: S608
            [f'"{term}"'],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_indexes_exist_after_migrate_with_their_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master")
        names = {row[0] for row in cursor.fetchall()}
    for index in fts.INDEXES:
        assert {index.name, *(name for name, _ in index.triggers())} <= names


def test_the_index_follows_inserts_edits_and_deletes(db):
    faq = make_faq("How does compaction work?", answer="It folds old turns into a summary.")
    role = make_role("Harness Engineer", body="Owns the memory manager.")
    assert indexed(fts.FAQS, "compaction") == {faq.pk}
    assert indexed(fts.FAQS, "FOLDS") == {faq.pk}  # case-insensitive, like the LIKE search
    assert indexed(fts.ITEMS, "memory manager") == {role.pk}

    faq.question = "How does summarising work?"
    faq.save()
    role.body = "Owns the context window."
    role.save()
    assert indexed(fts.FAQS, "compaction") == set()
    assert indexed(fts.FAQS, "summarising") == {faq.pk}
    assert indexed(fts.ITEMS, "memory manager") == set()
    assert indexed(fts.ITEMS, "context window") == {role.pk}

    # Bulk writes bypass save() and signals; the triggers still see them.
    FAQ.objects.filter(pk=faq.pk).update(answer="Now about eviction.")
    assert indexed(fts.FAQS, "eviction") == {faq.pk}
    faq.delete()
    ContentItem.objects.filter(pk=role.pk).delete()
    assert indexed(fts.FAQS, "summarising") == set()
    assert indexed(fts.ITEMS, "context window") == set()


def test_ensure_puts_back_lost_triggers_and_rebuilds_the_index(db):
    """Django rebuilds a SQLite table to alter a column, and the old table's triggers go with
    it: ensure() (run after every migrate) must notice and reindex what was written meanwhile."""
    with connection.cursor() as cursor:
        for name, _ in fts.FAQS.triggers():
            cursor.execute(f"DROP TRIGGER {name}")
    faq = make_faq("What is a harness?")
    assert indexed(fts.FAQS, "harness") == set()

    assert fts.ensure() == [fts.FAQS.name]
    assert indexed(fts.FAQS, "harness") == {faq.pk}
    assert fts.ensure() == []  # nothing missing, nothing rebuilt


def test_migrate_repairs_the_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {fts.ITEMS.triggers()[0][0]}")
    role = make_role("Evaluation Engineer")
    call_command("migrate", verbosity=0)
    assert indexed(fts.ITEMS, "evaluation") == {role.pk}


def test_search_without_the_indexes_falls_back_to_like(db, monkeypatch):
    make_faq("What is memory?")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {fts.FAQS.name}")
    query = search.parse_query("memory")
    assert search.uses_trigram_index(query)
    assert [str(hit.title) for hit in search.search(query)] == ["What is <mark>memory</mark>?"]


def test_a_query_of_short_words_only_is_searched_with_like(db):
    make_role("AI Engineer")
    query = search.parse_query("ai")
    assert not search.uses_trigram_index(query)
    assert [str(hit.title) for hit in search.search(query)] == ["<mark>AI</mark> Engineer"]


def test_short_words_beside_a_long_one_are_looked_for_in_the_rows_it_finds(db):
    make_role("AI Engineer", body="Ships features.")
    make_role("Harness Engineer", body="Owns the memory manager.")
    make_faq("What does an ML engineer do?", answer="Fits models.")
    query = search.parse_query("ai engineer")
    assert search.uses_trigram_index(query)
    assert [str(hit.title) for hit in search.search(query)] == [
        "<mark>AI</mark> <mark>Engineer</mark>"
    ]
    assert search.search(search.parse_query("engineer ml")).paginator.count == 1


def test_trigram_and_like_searches_find_the_same_hits_in_the_demo(db, monkeypatch):
    """Every word of three letters or more in the demo's titles, alone and in pairs: the index
    finds exactly the hits the LIKE scan finds (the ranking may differ within equal titles)."""
    call_command("load_demo", verbosity=0)
    titles = [*ContentItem.objects.values_list("title", flat=True)]
    titles += FAQ.objects.values_list("question", flat=True)
    words = sorted({w.lower() for t in titles for w in re.findall(r"\w+", t) if len(w) >= 3})
    short = sorted({w.lower() for t in titles for w in re.findall(r"\w+", t) if len(w) < 3})
    queries = words + [f"{a} {b}" for a, b in zip(words, words[7:], strict=False)]
    # A short word beside a long one: the index finds the long one, the short one is checked.
    queries += [f"{a} {b}" for a, b in zip(words, short * len(words), strict=False)]
    assert len(queries) > 150 and short

    def hits(query, trigram):
        monkeypatch.setattr(search, "uses_trigram_index", lambda q: trigram)
        rows = search._TrigramSearch(query) if trigram else search._WordSearch(query)
        ranked = rows.ranked()
        return ranked.count(), {(row["hit_kind"], row["hit_id"]) for row in ranked[0:1000]}

    found = 0
    for text in queries:
        query = search.parse_query(text)
        by_index, by_like = hits(query, True), hits(query, False)
        assert by_index == by_like, text
        found += by_index[0]
    assert found > len(queries)  # the queries do find things


def test_the_trigram_search_ranks_title_words_first_then_relevance(db):
    body_once = make_faq("Which layer?", answer="The memory layer.")
    body_often = make_faq("Where is it kept?", answer="Memory, memory and more memory.")
    in_title = make_faq("What is memory?", answer="What the system keeps.")
    page = search.search(search.parse_query("memory"))
    urls = [hit.url for hit in page]
    slugs = [faq.slug for faq in (in_title, body_often, body_once)]
    assert urls == [f"/faq/#{slug}" for slug in slugs]
