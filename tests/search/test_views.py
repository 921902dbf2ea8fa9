"""The search page as visitors (and bad input) reach it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harness_cms.core.visibility import Status
from harness_cms.search import views as search_views
from harness_cms.search.selectors import MAX_QUERY_LENGTH
from tests.factories import make_faq, make_page, make_role
from tests.html import assert_site_page, soup_of


def test_search_without_a_query_offers_roles_topics_and_the_faq(client, tagged_cluster):
    response = client.get("/search/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert_site_page(soup, h1="Search")
    empty = soup.find(class_="empty-state")
    links = {a["href"] for a in empty.find_all("a")}
    assert {"/roles/harness-engineer/", "/roles/prompt-engineer/", "/faq/"} <= links
    assert "/tags/memory/" in links
    assert "/tags/secret-topic/" not in links


def test_search_results_are_highlighted_and_never_indexed(client, tagged_cluster):
    response = client.get("/search/", {"q": "memory"})
    soup = soup_of(response)
    assert_site_page(soup, h1="Search results")
    assert response.context["noindex"] is True
    assert 50 <= len(response.context["meta_description"]) <= 160
    assert [c["title"] for c in response.context["breadcrumbs"]] == ["Home", "Search"]
    results = soup.find("ol", class_="results")
    hrefs = [a["href"] for a in results.select(".result-title a")]
    assert set(hrefs) == {
        "/roles/harness-engineer/",
        "/roles/harness-engineer/architecture/",
        "/faq/#what-is-memory",
    }
    assert results.find("mark").get_text().lower() == "memory"
    assert "3 results for" in soup.find(class_="search-status").get_text()


def test_search_counts_stop_at_the_cap_written_with_thousands_separators(client, db):
    """Past ``COUNT_CAP`` hits the count stops ("more than 1,000"), and so do the pages."""
    from faq.models import FAQ

    FAQ.objects.bulk_create(
        FAQ(
            question=f"Memory question {i}?",
            slug=f"memory-question-{i}",
            answer="An answer.",
            status=Status.PUBLISHED,
            publish_at=timezone.now(),
        )
        for i in range(1001)
    )
    status = soup_of(client.get("/search/", {"q": "memory"})).find(class_="search-status")
    assert "More than 1,000 results for" in status.get_text()
    assert "page 1 of 100" in status.get_text()
    FAQ.objects.filter(slug="memory-question-0").delete()
    status = soup_of(client.get("/search/", {"q": "memory"})).find(class_="search-status")
    assert status.get_text().startswith("1,000 results for")


def test_search_result_pages_link_to_each_other_keeping_the_query(client, db):
    for i in range(12):
        make_faq(f"Memory & recall question {i:02}?")
    first = soup_of(client.get("/search/", {"q": "memory & recall"}))
    second = soup_of(client.get("/search/", {"q": "memory & recall", "page": "2"}))
    assert first.select_one(".pagination a[rel=next]")["href"] == "?q=memory+%26+recall&page=2"
    assert not first.select_one(".pagination a[rel=prev]")
    assert second.select_one(".pagination a[rel=prev]")["href"] == "?q=memory+%26+recall&page=1"
    assert "Page 2 of 2" in second.select_one(".pagination").get_text()
    assert not second.find("link", rel="prev")  # results pages are not indexed: no head links


def test_search_without_results_says_so_and_suggests_roles(client, tagged_cluster):
    soup = soup_of(client.get("/search/", {"q": "zyxwvut"}))
    empty = soup.find(class_="empty-state")
    assert "No results for “zyxwvut”" in empty.get_text()
    assert empty.find("a", href="/roles/harness-engineer/")


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "memory</mark><script>x</script>",
    ],
)
def test_search_escapes_markup_in_the_query(client, tagged_cluster, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)" not in body and "<script>x" not in body
    assert "<img src=x" not in body
    assert soup_of(response).find("input", id="search-q")["value"] == query


def test_a_5000_character_query_is_shortened_with_a_notice(client, tagged_cluster):
    response = client.get("/search/", {"q": "memory " + "a" * 5000})
    assert response.status_code == 200
    soup = soup_of(response)
    assert len(soup.find("input", id="search-q")["value"]) == MAX_QUERY_LENGTH
    assert "only its start was used" in soup.find(class_="notice").get_text()
    assert len(soup.title.get_text()) <= 65


@pytest.mark.parametrize("query", ["%00", "  ", "!!!"])
def test_queries_of_nothing_answer_200(client, tagged_cluster, query):
    assert client.get("/search/", {"q": query}).status_code == 200


@pytest.mark.parametrize("query", ["\x00", "memory\x00"])
def test_a_nul_character_in_the_query_is_a_bad_request(client, tagged_cluster, query):
    """Site-wide rule (harness_cms.middleware): a NUL byte in a query string is malformed."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    assert b"NUL character" in response.content


@pytest.mark.parametrize(
    "page", ["-1", "0", "2", "99999", "9" * 400, "abc", "1.5", "%00", "", "1e3"]
)
def test_odd_page_numbers_give_a_page_of_results(client, tagged_cluster, page):
    response = client.get("/search/", {"q": "memory", "page": page})
    assert response.status_code == 200
    assert soup_of(response).find("ol", class_="results")


def test_results_span_pages_with_working_links(client, db):
    for i in range(13):
        make_faq(f"Memory question {i:02}?")
    soup = soup_of(client.get("/search/", {"q": "memory"}))
    next_link = soup.find("nav", class_="pagination").find("a", rel="next")["href"]
    assert next_link == "?q=memory&page=2"
    second = soup_of(client.get("/search/" + next_link))
    assert len(second.select(".result")) == 3
    assert second.find("ol", class_="results")["start"] == "11"


def test_search_page_query_count_does_not_grow_with_results(client, db):
    def queries(q):
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/", {"q": q})
        return len(captured)

    make_role("Memory role")
    make_faq("Memory question?")
    few = queries("memory")
    for i in range(15):
        make_page(f"Memory page {i}", role=make_role(f"Memory {i}"))
        make_faq(f"Memory question {i}?")
    assert queries("memory") <= few


def test_search_never_shows_hidden_content(client, tagged_cluster):
    make_faq("Draft memory question?", status=Status.DRAFT)
    body = client.get("/search/", {"q": "memory"}).content.decode()
    assert "Secret plan" not in body and "Draft memory question" not in body


def test_an_empty_search_suggests_the_first_roles_and_leads_to_all(client, db, monkeypatch):
    monkeypatch.setattr(search_views, "SUGGESTED_ROLES", 2)
    for name in ("Alpha", "Beta", "Gamma"):
        make_role(f"{name} Engineer")
    soup = soup_of(client.get("/search/"))
    links = [a["href"] for a in soup.select(".suggestions a")]
    assert links == ["/roles/alpha-engineer/", "/roles/beta-engineer/"]
    assert soup.find("a", string="Every role")["href"] == "/roles/"
