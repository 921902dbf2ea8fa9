"""The "Insert link" picker of Markdown fields (decision 0136): an admin JSON search of items
by title for editors and FAQ staff, and the fields that offer it."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.urls import reverse

from harness_cms.core.visibility import Status
from tests.factories import make_faq, make_page, make_role, make_staff

pytestmark = pytest.mark.django_db

URL = "/admin/harness_cms/contentitem/link-picker/"


@pytest.fixture
def items():
    return {
        "harness": make_role("Harness Engineer"),
        "prompt": make_role("Prompt Engineer"),
        "draft": make_page("Engineer onboarding draft", status=Status.DRAFT),
        "guide": make_page("Memory layers"),
    }


def found(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()["results"]


def test_the_url_is_named():
    assert reverse("admin:harness_cms_contentitem_link_picker") == URL


def test_editors_search_items_by_title_starting_words_first(editor_client, items):
    results = found(editor_client, "engineer")
    titles = [result["title"] for result in results]
    assert titles == ["Engineer onboarding draft", "Harness Engineer", "Prompt Engineer"]
    first = results[0]
    assert first == {
        "id": items["draft"].pk,
        "title": "Engineer onboarding draft",
        "kind": "Guide",
        "path": items["draft"].path,
        "live": False,
    }
    assert results[1]["live"] is True


def test_faq_staff_may_pick_links_for_faq_answers(faq_staff_client, items):
    assert [result["title"] for result in found(faq_staff_client, "memory")] == ["Memory layers"]


def test_an_empty_query_lists_a_bounded_number_of_items(editor_client, items):
    for number in range(25):
        make_page(f"Guide {number:02}")
    assert len(found(editor_client, "")) == 20


@pytest.mark.parametrize("who", ["anonymous", "staff without rights"])
def test_everyone_else_is_refused(client, items, who):
    if who != "anonymous":
        client.force_login(User.objects.create_user("nobody", password="pw", is_staff=True))
    response = client.get(URL, {"q": "engineer"})
    assert response.status_code in (302, 403)
    assert b"Harness Engineer" not in response.content


@pytest.mark.parametrize("who", ["editor", "faq staff"])
def test_the_markdown_fields_offer_the_picker_to_editors_and_faq_staff(client, items, who):
    if who == "editor":
        client.force_login(make_staff("editor", "Editors"))
        url, name = items["guide"].admin_url(), "body"
    else:
        client.force_login(make_staff("faqstaff", "FAQ staff"))
        faq = make_faq("Where next?", status=Status.DRAFT)
        url, name = reverse("admin:faq_faq_change", args=[faq.pk]), "answer"
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert soup.find("textarea", attrs={"name": name})["data-link-picker"] == URL
    assert soup.find("script", src=lambda src: src and "link-picker" in src)


def test_the_markdown_preview_shows_a_reference_at_its_items_address(editor_client, items):
    url = reverse("admin:pages_page_markdown_preview")
    text = f"See [the role](item:{items['harness'].pk}) and [the draft](item:{items['draft'].pk})."
    html = editor_client.post(url, {"text": text}).json()["html"]
    assert f'href="{items["harness"].path}"' in html and "item:" not in html
