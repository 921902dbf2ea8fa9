"""Topic pages: the index of topics and the pages of one."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harness_cms.topics import views as topic_views
from tests.factories import make_comparison, make_faq, make_page, make_role
from tests.html import assert_site_page, soup_of


def test_a_topic_page_lists_its_public_items_and_answers(client, tagged_cluster):
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


def test_topic_pages_have_distinct_titles_and_descriptions(client, tagged_cluster):
    memory, roles = client.get("/tags/memory/"), client.get("/tags/roles/")
    assert soup_of(memory).title.get_text() != soup_of(roles).title.get_text()
    assert memory.context["meta_description"] != roles.context["meta_description"]


def test_a_topic_only_drafts_carry_is_404(client, tagged_cluster):
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


def test_the_topic_index_counts_public_pages_and_answers(client, tagged_cluster):
    response = client.get("/tags/")
    soup = soup_of(response)
    assert_site_page(soup, h1="All topics")
    tags = {a["href"]: a.find(class_="tag-count").get_text() for a in soup.select("a.tag")}
    assert tags == {"/tags/memory/": "3 pages and answers", "/tags/roles/": "1 page or answer"}


def test_item_pages_link_their_tags_to_topic_pages(client, tagged_cluster):
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
    monkeypatch.setattr(topic_views, "TAG_ENTRIES_PER_PAGE", 4)
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
        answers = [summary.get_text() for summary in soup.select("main details summary")]
        return soup, cards + answers

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
