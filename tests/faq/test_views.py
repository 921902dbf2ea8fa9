"""The FAQ index groups published questions by topic."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from faq.models import topic_counts
from harness_cms.core.visibility import Status
from tests.factories import make_faq, make_topic

pytestmark = pytest.mark.django_db


def test_faq_index_groups_by_topic_in_order(client):
    memory = make_topic("Sessions and memory", position=2)
    role = make_topic("The role", position=1)
    make_faq("What is a session?", topic=memory)
    make_faq("What does the role own?", topic=role)
    make_faq("Unfinished?", topic=role, status=Status.DRAFT)
    response = client.get("/faq/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert [h2.text for h2 in soup.find_all("h2")] == ["The role", "Sessions and memory"]
    assert "Unfinished?" not in soup.get_text()
    assert soup.find("details", id="what-is-a-session")


def test_faq_index_without_questions_says_so(client, db):
    assert b"No questions are published yet." in client.get("/faq/").content


@pytest.mark.parametrize("query", ["?page=-1", "?page=99999", "?page=abc"])
def test_faq_index_ignores_odd_page_numbers(client, db, query):
    assert client.get("/faq/" + query).status_code in (200, 404)


# ---- Pages of the index ----------------------------------------------------------------------


@pytest.fixture
def paged(monkeypatch):
    """Seven questions, three to a page: two topics and two questions without one."""
    from faq import models

    monkeypatch.setattr(models, "FAQS_PER_PAGE", 3)
    second = make_topic("Second topic", position=2)
    first = make_topic("First topic", position=1)
    faqs = [
        make_faq("A first question?", topic=first),
        make_faq("B first question?", topic=first),
        make_faq("C first question?", topic=first),
        make_faq("A second question?", topic=second),
        make_faq("B second question?", topic=second),
        make_faq("A loose question?"),
        make_faq("B loose question?"),
    ]
    return faqs


def soup_of(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return BeautifulSoup(response.content, "html.parser")


def test_the_index_is_paginated_in_topic_order(client, paged):
    questions = [
        [summary.text for summary in soup_of(client, address).select("details.faq summary")]
        for address in ["/faq/", "/faq/page/2/", "/faq/page/3/"]
    ]
    assert questions == [
        ["A first question?", "B first question?", "C first question?"],
        ["A second question?", "B second question?", "A loose question?"],
        ["B loose question?"],
    ]


def test_pages_that_cut_topics_in_two_hold_the_right_share_of_each(client, paged, monkeypatch):
    from faq import models

    monkeypatch.setattr(models, "FAQS_PER_PAGE", 2)
    questions = [
        [summary.text for summary in soup_of(client, address).select("details.faq summary")]
        for address in ["/faq/", "/faq/page/2/", "/faq/page/3/", "/faq/page/4/"]
    ]
    assert questions == [
        ["A first question?", "B first question?"],
        ["C first question?", "A second question?"],
        ["B second question?", "A loose question?"],
        ["B loose question?"],
    ]


@pytest.mark.parametrize("page", ["4", "0", "1", "-1", "abc", "2.5", "99999999999999999999"])
def test_pages_that_do_not_exist_are_404(client, paged, page):
    """Page 1 is /faq/ only: one address per page."""
    assert client.get(f"/faq/page/{page}/").status_code == 404


def test_each_page_links_its_neighbours_and_names_itself(client, paged):
    middle = soup_of(client, "/faq/page/2/")
    assert middle.find("link", rel="canonical")["href"].endswith("/faq/page/2/")
    assert middle.find("link", rel="prev")["href"] == "/faq/"
    assert middle.find("link", rel="next")["href"] == "/faq/page/3/"
    assert middle.select_one(".pagination a[rel=prev]")["href"] == "/faq/"
    assert "page 2 of 3" in middle.title.text
    first = soup_of(client, "/faq/")
    assert first.find("link", rel="canonical")["href"].endswith("/faq/")
    assert not first.find("link", rel="prev")


def test_the_topic_list_links_to_the_page_each_topic_starts_on(client, paged):
    links = {
        a.text.split(" (")[0]: a["href"]
        for a in soup_of(client, "/faq/page/2/").select(".topic-nav a")
    }
    assert links == {
        "First topic": "/faq/#topic-first-topic",
        "Second topic": "#topic-second-topic",
        "Other questions": "#topic-other",
    }


def test_every_answer_links_to_the_page_that_lists_it(client, paged):
    for faq in paged:
        address = faq.get_absolute_url()
        page, anchor = address.split("#")
        assert soup_of(client, page).find("details", id=anchor), address


def test_search_links_an_answer_to_its_page_of_the_index(client, paged):
    soup = soup_of(client, "/search/?q=loose")
    assert {a["href"] for a in soup.select("main a")} >= {
        "/faq/page/2/#a-loose-question",
        "/faq/page/3/#b-loose-question",
    }


@pytest.mark.parametrize("per_page", [1, 2, 3])
@pytest.mark.parametrize("from_page_starts", [True, False], ids=["page starts", "counted"])
def test_search_finds_each_answers_page_as_the_answer_does(
    client, paged, monkeypatch, per_page, from_page_starts
):
    """The questions that open each page (cached) place every answer on the same page as
    counting the questions before it does, pages that cut topics in two included; a database
    that orders text otherwise than Python counts instead."""
    from faq import models

    monkeypatch.setattr(models, "FAQS_PER_PAGE", per_page)
    if not from_page_starts:
        monkeypatch.setattr(models, "CODE_POINT_COLLATIONS", set())
    entries = {
        faq.pk: {"slug": faq.slug, "topic_id": faq.topic_id, "question": faq.question}
        for faq in paged
    }
    found = models.index_urls_of(entries)
    assert (models.page_starts() is not None) is from_page_starts
    assert found == {faq.pk: faq.get_absolute_url() for faq in paged}
    for address in found.values():
        page, anchor = address.split("#")
        assert soup_of(client, page).find("details", id=anchor), address


def test_the_page_starts_follow_a_renamed_question_and_a_new_one(paged, monkeypatch):
    """The page starts are cached: a question renamed into another place in its topic, or a
    new question, moves the answers after it, and the next search sees where."""
    from faq import models

    monkeypatch.setattr(models, "FAQS_PER_PAGE", 2)

    def found_as_the_answers_are():
        faqs = models.FAQ.objects.published()
        entries = {
            faq.pk: {"slug": faq.slug, "topic_id": faq.topic_id, "question": faq.question}
            for faq in faqs
        }
        return models.index_urls_of(entries) == {faq.pk: faq.get_absolute_url() for faq in faqs}

    assert found_as_the_answers_are()
    first = paged[0]
    first.question = "Z first question?"
    first.save()
    assert found_as_the_answers_are()
    make_faq("0 loose question?")
    assert found_as_the_answers_are()


def test_the_topic_counts_change_when_a_scheduled_time_passes(db):
    """The counts are cached per content generation; a scheduled publish time that passes
    must start a new one, with the page cache on or off (it is off in this suite)."""
    topic = make_topic("Memory", position=1)
    make_faq("A first question?", topic=topic)
    now = timezone.now()
    make_faq("B scheduled question?", topic=topic, publish_at=now + timedelta(seconds=30))
    make_faq(
        "C closing question?",
        topic=topic,
        publish_at=now - timedelta(seconds=1),
        unpublish_at=now + timedelta(seconds=90),
    )
    with time_machine.travel(now, tick=False) as traveller:
        assert [t["count"] for t in topic_counts()] == [2]
        traveller.shift(timedelta(seconds=31))
        assert [t["count"] for t in topic_counts()] == [3]
        traveller.shift(timedelta(seconds=60))
        assert [t["count"] for t in topic_counts()] == [2]
