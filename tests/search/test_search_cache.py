"""Search results kept for queries asked again, until the content changes (decision 0141)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harness_cms.core.generation import generation_for_now
from harness_cms.core.visibility import Status
from harness_cms.search import selectors as search
from tests.factories import make_faq, make_role

pytestmark = pytest.mark.django_db


def titles_and_queries(text, page=None):
    generation_for_now()
    with CaptureQueriesContext(connection) as captured:
        found = search.search(search.parse_query(text), page)
        titles = [hit.title for hit in found]
    return titles, found.paginator.count, len(captured)


def test_a_query_asked_again_is_answered_from_the_cache_until_the_content_changes():
    make_role("Memory role")
    faq = make_faq("Memory question?")
    first, count, queries = titles_and_queries("memory")
    assert count == 2 and queries > 0
    # The second ask keeps its results; the third is answered from them.
    assert titles_and_queries("memory")[:2] == (first, 2)
    assert titles_and_queries("memory") == (first, 2, 0)
    # Another page of the same query is kept on its own.
    assert titles_and_queries("memory", "2")[2] > 0

    faq.status = Status.DRAFT
    faq.save()
    titles, count, queries = titles_and_queries("memory")
    assert count == 1 and queries > 0
    assert not any("question" in title for title in titles)


def test_a_query_asked_once_is_not_kept(monkeypatch):
    make_role("Memory role")
    kept = []
    monkeypatch.setattr(search, "cached_for_now", lambda name, compute: kept.append(name))
    search.search(search.parse_query("memory"))
    assert kept == []
