"""The FAQ index groups published questions by topic."""

import pytest
from bs4 import BeautifulSoup

from harness_cms.publishing import Status
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
