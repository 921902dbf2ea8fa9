"""A search costs a bounded amount whatever the size of the pages it finds, and one visitor
cannot run more than a few dozen a minute (it was an uncached amplifier: 1.3 s a query with
a few 200 KB bodies on PostgreSQL)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harness_cms.core.models import BODY_MAX_LENGTH
from harness_cms.search import selectors as search
from tests.factories import make_faq, make_page

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_a_429_past_the_searches_a_minute(client, settings, time_machine):
    # The limit counts per minute of the clock: all six searches fall in one minute.
    time_machine.move_to(datetime(2026, 12, 2, 12, 0, 5, tzinfo=UTC), tick=False)
    settings.SEARCH_RATE_LIMIT = 5
    codes = [client.get("/search/", {"q": f"memory {n}"}).status_code for n in range(5)]
    assert codes == [200] * 5
    refused = client.get("/search/", {"q": "one more"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many searches" in refused.content.decode()
    # Another visitor is not held, nor is the search page without a query.
    assert client.get("/search/", {"q": "memory"}, REMOTE_ADDR="192.0.2.8").status_code == 200
    assert client.get("/search/").status_code == 200


def test_behind_a_proxy_the_limit_is_per_client_address(client, settings):
    settings.SEARCH_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        client.get("/search/", {"q": "x1"}, headers={"X-Forwarded-For": "203.0.113.5"})
    held = client.get("/search/", {"q": "x1"}, headers={"X-Forwarded-For": "203.0.113.5"})
    other = client.get("/search/", {"q": "x1"}, headers={"X-Forwarded-For": "203.0.113.6"})
    assert (held.status_code, other.status_code) == (429, 200)


if connection.vendor == "postgresql" or __import__("os").environ.get("DATABASE_URL", "").startswith(
    "postgres"
):

    def test_postgresql_ranks_from_stored_documents_and_excerpts_a_bounded_window():
        """No search query turns a whole page body into a document again: the match and the
        rank read a stored tsvector, and ts_headline reads 3,000 characters of a body."""
        body = ("memory " + "filler " * 50) * (BODY_MAX_LENGTH // 360)
        for n in range(3):
            make_page(f"Big {n}", body=body)
        make_faq("What is memory?", answer="What the system keeps.")
        with CaptureQueriesContext(connection) as captured:
            page = search.search(search.parse_query("memory"))
            assert len(page.object_list) == 4
        sql = " ".join(query["sql"] for query in captured.captured_queries)
        assert "to_tsvector" not in sql
        assert "search_document" in sql
        assert "3000" in sql
