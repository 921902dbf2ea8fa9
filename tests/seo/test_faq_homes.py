"""One home per question: each public question is FAQPage markup on exactly one page of the
site — its first public placement, or the FAQ index when it is placed on no public item — and
shows as plain content everywhere else."""

from collections import defaultdict
from html.parser import HTMLParser

import pytest

from faq.models import FAQ
from harness_cms.core.models import SiteSettings
from harness_cms.core.visibility import Status
from tests.admin_forms import submit
from tests.factories import make_faq, make_page, make_role, make_topic
from tests.seo.conftest import graph_of, json_ld_blocks

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag in ("a", "link") and href and href.startswith("/"):
            self.hrefs.append(href.split("#")[0])


def marked_up(response):
    """The questions a page's JSON-LD marks up as FAQPage."""
    return [
        question["name"]
        for block in json_ld_blocks(response)
        for node in block.get("@graph", [])
        if node["@type"] == "FAQPage"
        for question in node["mainEntity"]
    ]


def crawl(client):
    """{question: [pages marking it up]} and the pages seen, crawling from / and the sitemap's
    pages."""
    homes, seen, queue = defaultdict(list), set(), ["/", "/faq/", "/tags/"]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(("/admin", "/static", "/search", "/feed", "/media")):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        for question in marked_up(response):
            homes[question].append(path)
        parser = Links()
        parser.feed(response.content.decode())
        queue.extend(parser.hrefs)
    return homes, seen


def test_the_demo_site_marks_up_every_question_once(client, demo):
    homes, seen = crawl(client)
    twice = {question: pages for question, pages in homes.items() if len(pages) > 1}
    assert twice == {}
    published = set(FAQ.objects.published().values_list("question", flat=True))
    assert set(homes) == published
    # The crawl saw the pages that repeat questions: items, the FAQ index and topics.
    assert {"/faq/", "/roles/harness-engineer/"} <= seen
    assert any(path.startswith("/tags/") and path != "/tags/" for path in seen)


def test_a_question_is_marked_up_on_its_first_public_placement_only(client):
    first, second = make_role("Harness Engineer"), make_role("AI Engineer")
    faq = make_faq("Does one role replace the other?", on=[first, second])
    faq.tags.add("roles")
    assert marked_up(client.get(first.path)) == [faq.question]
    second_page = client.get(second.path)
    assert marked_up(second_page) == []
    assert faq.question in second_page.content.decode()  # still shown, as content
    assert marked_up(client.get("/faq/")) == []
    assert marked_up(client.get("/tags/roles/")) == []


def test_when_the_first_placement_goes_offline_the_next_one_is_home(client):
    first, second = make_role("Harness Engineer"), make_role("AI Engineer")
    faq = make_faq("Does one role replace the other?", on=[first, second])
    first.status = Status.DRAFT
    first.save()
    assert marked_up(client.get(second.path)) == [faq.question]


def test_a_question_on_no_public_page_is_marked_up_on_the_faq_index(client):
    make_topic("The role")
    hidden = make_page("Draft guide", status=Status.DRAFT)
    faq = make_faq("Who writes the harness?", on=[hidden])
    make_faq("Placed question?", on=[make_role("Harness Engineer")])
    assert marked_up(client.get("/faq/")) == [faq.question]
    graph = graph_of(client.get("/faq/"))
    assert graph["FAQPage"][0]["mainEntity"][0]["acceptedAnswer"]["@type"] == "Answer"


def test_with_faq_rich_results_off_no_page_marks_up_a_question(client):
    role = make_role("Harness Engineer")
    make_faq("Does one role replace the other?", on=[role])
    make_faq("Unplaced?")
    settings = SiteSettings.load()
    settings.faq_rich_results = False
    settings.save()
    assert marked_up(client.get(role.path)) == [] and marked_up(client.get("/faq/")) == []


def test_a_marked_placement_is_home_while_its_page_is_public(client):
    first, chosen = make_role("Harness Engineer"), make_role("AI Engineer")
    faq = make_faq("Does one role replace the other?", on=[first, chosen])
    faq.placements.filter(item=chosen).update(is_home=True)
    assert marked_up(client.get(chosen.path)) == [faq.question]
    assert marked_up(client.get(first.path)) == []
    chosen.status = Status.DRAFT
    chosen.save()
    assert marked_up(client.get(first.path)) == [faq.question]


def test_editors_mark_the_home_in_the_admin_and_a_second_one_is_a_form_error(editor_client):
    first, second = make_role("Harness Engineer"), make_role("AI Engineer")
    faq = make_faq("Does one role replace the other?", on=[first, second])
    response = submit(
        editor_client, first.admin_url(), {"faq_placements-0-is_home": "on"}, button="_publish"
    )
    assert response.status_code == 302
    assert faq.placements.get(is_home=True).item_id == first.pk
    response = submit(
        editor_client, second.admin_url(), {"faq_placements-0-is_home": "on"}, button="_publish"
    )
    assert response.status_code == 200
    assert "already marked up on another page" in response.content.decode()
    assert list(faq.placements.filter(is_home=True).values_list("item", flat=True)) == [first.pk]
