"""Search, topic pages, the favicon and the error pages, as visitors (and bad input) reach them."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from django.views.defaults import server_error

from harness_cms.publishing import Status
from harness_cms.search import MAX_QUERY_LENGTH
from tests.factories import make_comparison, make_faq, make_page, make_role


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def assert_site_page(soup, *, h1):
    """What every page of ours has: one <h1>, a title of 10–65 characters, the skip link."""
    assert [tag.get_text(strip=True) for tag in soup.find_all("h1")] == [h1]
    assert 10 <= len(soup.title.get_text(strip=True)) <= 65, soup.title
    assert soup.find("a", class_="skip-link")["href"] == "#main"
    assert soup.find("main", id="main")


@pytest.fixture
def cluster(db):
    role = make_role("Harness Engineer", summary="Owns the runtime.", body="Memory and context.")
    make_role("Prompt Engineer", summary="Writes prompts.")
    page = make_page("Architecture", role=role, body="## Memory layers\n\nWhere memory lives.")
    page.tags.add("memory")
    role.tags.add("memory", "roles")
    faq = make_faq("What is memory?", answer="What the system keeps.")
    faq.tags.add("memory")
    draft = make_page("Secret plan", role=role, status=Status.DRAFT)
    draft.tags.add("memory", "secret topic")
    return role


# ---- Search ----------------------------------------------------------------------------


def test_search_without_a_query_offers_roles_topics_and_the_faq(client, cluster):
    response = client.get("/search/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert_site_page(soup, h1="Search")
    empty = soup.find(class_="empty-state")
    links = {a["href"] for a in empty.find_all("a")}
    assert {"/roles/harness-engineer/", "/roles/prompt-engineer/", "/faq/"} <= links
    assert "/tags/memory/" in links
    assert "/tags/secret-topic/" not in links


def test_search_results_are_highlighted_and_never_indexed(client, cluster):
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


def test_search_counts_are_written_with_thousands_separators(client, db):
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
    assert "1,001 results for" in status.get_text()
    assert "page 1 of 101" in status.get_text()


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


def test_search_without_results_says_so_and_suggests_roles(client, cluster):
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
def test_search_escapes_markup_in_the_query(client, cluster, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)" not in body and "<script>x" not in body
    assert "<img src=x" not in body
    assert soup_of(response).find("input", id="search-q")["value"] == query


def test_a_5000_character_query_is_shortened_with_a_notice(client, cluster):
    response = client.get("/search/", {"q": "memory " + "a" * 5000})
    assert response.status_code == 200
    soup = soup_of(response)
    assert len(soup.find("input", id="search-q")["value"]) == MAX_QUERY_LENGTH
    assert "only its start was used" in soup.find(class_="notice").get_text()
    assert len(soup.title.get_text()) <= 65


@pytest.mark.parametrize("query", ["%00", "  ", "!!!"])
def test_queries_of_nothing_answer_200(client, cluster, query):
    assert client.get("/search/", {"q": query}).status_code == 200


@pytest.mark.parametrize("query", ["\x00", "memory\x00"])
def test_a_nul_character_in_the_query_is_a_bad_request(client, cluster, query):
    """Site-wide rule (harness_cms.middleware): a NUL byte in a query string is malformed."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    assert b"NUL character" in response.content


@pytest.mark.parametrize(
    "page", ["-1", "0", "2", "99999", "9" * 400, "abc", "1.5", "%00", "", "1e3"]
)
def test_odd_page_numbers_give_a_page_of_results(client, cluster, page):
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


def test_search_never_shows_hidden_content(client, cluster):
    make_faq("Draft memory question?", status=Status.DRAFT)
    body = client.get("/search/", {"q": "memory"}).content.decode()
    assert "Secret plan" not in body and "Draft memory question" not in body


# ---- Topics (tags) ------------------------------------------------------------------------


def test_a_topic_page_lists_its_public_items_and_answers(client, cluster):
    response = client.get("/tags/memory/")
    assert response.status_code == 200
    soup = soup_of(response)
    assert_site_page(soup, h1="Memory")
    cards = [a["href"] for a in soup.select(".cards .card-link")]
    assert cards == ["/roles/harness-engineer/", "/roles/harness-engineer/architecture/"]
    assert [label.get_text() for label in soup.select(".card-label")] == ["Role", "Guide"]
    assert soup.find("details", id="what-is-memory")
    assert "Secret plan" not in soup.get_text()
    assert [c["title"] for c in response.context["breadcrumbs"]] == ["Home", "Topics", "Memory"]
    assert 50 <= len(response.context["meta_description"]) <= 160


def test_topic_pages_have_distinct_titles_and_descriptions(client, cluster):
    memory, roles = client.get("/tags/memory/"), client.get("/tags/roles/")
    assert soup_of(memory).title.get_text() != soup_of(roles).title.get_text()
    assert memory.context["meta_description"] != roles.context["meta_description"]


def test_a_topic_only_drafts_carry_is_404(client, cluster):
    assert client.get("/tags/secret-topic/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/tags/no-such-topic/",
        "/tags/%E2%98%83/",
        "/tags/%00/",
        "/tags/%3Cscript%3E/",
        "/tags/" + "x" * 3000 + "/",
        "/tags/a%2Fb/",
        "/tags/%ZZ/",
    ],
)
def test_unknown_or_junk_topics_are_the_sites_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in soup_of(response).h1.get_text()


def test_a_topic_with_letters_beyond_ascii_works(client, db):
    make_role("Café role").tags.add("café")
    response = client.get("/tags/café/")
    assert response.status_code == 200
    assert soup_of(response).h1.get_text() == "Café"


def test_the_topic_index_counts_public_pages_and_answers(client, cluster):
    response = client.get("/tags/")
    soup = soup_of(response)
    assert_site_page(soup, h1="All topics")
    tags = {a["href"]: a.find(class_="tag-count").get_text() for a in soup.select("a.tag")}
    assert tags == {"/tags/memory/": "3 pages and answers", "/tags/roles/": "1 page or answer"}


def test_item_pages_link_their_tags_to_topic_pages(client, cluster):
    soup = soup_of(client.get("/roles/harness-engineer/"))
    assert {a["href"] for a in soup.select(".item-meta a.tag")} == {"/tags/memory/", "/tags/roles/"}


def test_topic_page_query_count_does_not_grow_with_items(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/tags/memory/").status_code == 200
        return len(captured)

    make_role("Role 0").tags.add("memory")
    make_faq("Question 0?").tags.add("memory")
    queries()  # content types and site settings are cached from here on
    few = queries()
    for i in range(1, 12):
        make_page(f"Page {i}", role=make_role(f"Role {i}")).tags.add("memory")
        make_comparison(make_role(f"A{i}"), make_role(f"B{i}")).tags.add("memory")
        make_faq(f"Question {i}?").tags.add("memory")
    queries()  # the site settings are cached per content generation
    assert queries() == few


def test_a_large_topic_is_paged_items_first_then_answers(client, db, monkeypatch):
    from harness_cms import site_views

    monkeypatch.setattr(site_views, "TAG_ENTRIES_PER_PAGE", 4)
    guide = make_page("Alpha guide")
    role = make_role("Zeta role")
    comparison = make_comparison(make_role("Beta"), make_role("Gamma"), title="Beta vs Gamma")
    for item in (guide, role, comparison):
        item.tags.add("memory")
    for question in ("Why b?", "Why a?", "Why c?", "Why d?"):
        make_faq(question).tags.add("memory")

    def entries(address):
        soup = soup_of(client.get(address))
        cards = [card.get_text() for card in soup.select(".card-title")]
        return soup, cards + [summary.get_text() for summary in soup.select("details summary")]

    first, on_first = entries("/tags/memory/")
    second, on_second = entries("/tags/memory/page/2/")
    # Roles, comparisons, guides (each by title), then the answers by question.
    assert on_first == ["Zeta role", "Beta vs Gamma", "Alpha guide", "Why a?"]
    assert on_second == ["Why b?", "Why c?", "Why d?"]
    assert (
        first.find(class_="lead").get_text() == "3 pages and 4 answers on this topic. Page 1 of 2."
    )
    assert first.find("link", rel="next")["href"] == "/tags/memory/page/2/"
    assert not first.find("link", rel="prev")
    assert second.find("link", rel="prev")["href"] == "/tags/memory/"
    assert second.find("link", rel="canonical")["href"].endswith("/tags/memory/page/2/")
    assert "page 2" in second.title.get_text()
    assert second.select_one(".pagination").get_text(" ", strip=True).startswith("Previous")
    for missing in ("/tags/memory/page/1/", "/tags/memory/page/3/", "/tags/memory/page/0/"):
        assert client.get(missing).status_code == 404, missing


def test_the_topics_in_use_follow_edits_and_schedules(client, db):
    def topics():
        soup = soup_of(client.get("/tags/"))
        return {a["href"]: a.find(class_="tag-count").get_text() for a in soup.select("a.tag")}

    make_role("Harness Engineer").tags.add("memory")
    assert topics() == {"/tags/memory/": "1 page or answer"}
    make_faq("What is memory?").tags.add("memory")
    assert topics() == {"/tags/memory/": "2 pages and answers"}
    now = timezone.now()
    make_faq("When is it saved?", publish_at=now + timedelta(seconds=30)).tags.add("saving")
    with time_machine.travel(now, tick=False) as traveller:
        assert "/tags/saving/" not in topics()
        traveller.shift(timedelta(seconds=31))
        assert topics()["/tags/saving/"] == "1 page or answer"


def test_an_empty_search_suggests_the_first_roles_and_leads_to_all(client, db, monkeypatch):
    from harness_cms import site_views

    monkeypatch.setattr(site_views, "SUGGESTED_ROLES", 2)
    for name in ("Alpha", "Beta", "Gamma"):
        make_role(f"{name} Engineer")
    soup = soup_of(client.get("/search/"))
    links = [a["href"] for a in soup.select(".suggestions a")]
    assert links == ["/roles/alpha-engineer/", "/roles/beta-engineer/"]
    assert soup.find("a", string="Every role")["href"] == "/roles/"


# ---- Favicon and error pages --------------------------------------------------------------


def test_favicon_ico_leads_to_the_svg_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_404_page_offers_search_and_the_way_home(client, db):
    response = client.get("/no-such-page/?q=<script>")
    assert response.status_code == 404
    soup = soup_of(response)
    assert_site_page(soup, h1="Page not found")
    assert soup.find("form", role="search", action="/search/")
    assert soup.find("a", href="/")
    assert "<script>" not in response.content.decode()


def test_the_500_page_renders_without_the_database():
    """No database fixture: any query here would fail the test."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    soup = soup_of(response)
    assert soup.h1.get_text() == "Something went wrong"
    assert soup.find("link", rel="stylesheet")["href"].endswith("site.css")
    assert soup.find("a", href="/")


def broken_view(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_is_served_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
