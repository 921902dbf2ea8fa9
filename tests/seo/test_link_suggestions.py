"""Internal-link suggestions (decision 0137): the pages that name an item without linking to
it, and the items it names without linking to them; whole words in any case, not itself, not
what already links, its own cluster first, at a cost that does not grow with the site."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harness_cms.core.visibility import Status
from harness_cms.seo.suggestions import items_mentioned, pages_mentioning
from tests.factories import make_comparison, make_link, make_page, make_role
from tests.seo.conftest import soup_of

pytestmark = pytest.mark.django_db


def titles(suggestions):
    return [suggestion.item.title for suggestion in suggestions]


@pytest.fixture
def harness():
    return make_role("Harness Engineer", target_keyword="context engineering")


def test_pages_that_name_an_item_in_any_case_are_suggested(harness):
    make_page("Lower case", body="Every harness engineer keeps long tasks on track.")
    make_page("By keyword", body="Context Engineering decides what the model reads.")
    suggestions = pages_mentioning(harness)
    assert sorted(titles(suggestions)) == ["By keyword", "Lower case"]
    by_title = {s.item.title: s.phrase for s in suggestions}
    assert by_title == {"Lower case": "Harness Engineer", "By keyword": "context engineering"}


def test_only_whole_words_count(harness):
    make_page("Plural", body="Harness Engineers own the runtime.")
    make_page("Longer word", body="Harness Engineering is a discipline.")
    make_page("Glued", body="The harness_engineer module.")
    assert pages_mentioning(harness) == []


def test_itself_pages_that_link_already_and_mentions_inside_links_are_left_out(harness):
    harness.body = "A Harness Engineer designs the harness."
    harness.save()
    make_page("By reference", body=f"A [Harness Engineer](item:{harness.pk}) or two.")
    make_page("By address", body=f"The [role]({harness.path}) of a Harness Engineer.")
    card = make_page("By card", body="Ask a Harness Engineer.")
    make_link(card, harness)
    other = make_role("AI Engineer")
    make_page("In another link", body=f"[Harness Engineer vs AI](item:{other.pk})")
    suggestions = pages_mentioning(harness, linked_from={card.pk})
    assert titles(suggestions) == []


def test_the_items_own_cluster_comes_first(harness):
    data = make_role("Data Engineer")
    make_page("Elsewhere", role=data, body="No Harness Engineer here.")
    make_page("At home", role=harness, body="What a Harness Engineer does.")
    suggestions = pages_mentioning(harness)
    assert titles(suggestions) == ["At home", "Elsewhere"]
    assert [s.same_cluster for s in suggestions] == [True, False]


def test_the_items_an_item_names_without_linking_are_suggested(harness):
    data, ai = make_role("Data Engineer"), make_role("AI Engineer")
    make_role("Prompt Engineer", status=Status.DRAFT)
    comparison = make_comparison(harness, ai)
    page = make_page(
        "Reading list",
        role=harness,
        body="A data engineer, an AI Engineer, a Prompt Engineer and a Harness Engineer vs "
        "AI Engineer page. Also the Reading list.",
    )
    make_link(page, ai)
    suggestions = items_mentioned(page)
    # Not the AI Engineer (a card links it), not the draft, not itself; its cluster first.
    assert titles(suggestions) == [harness.title, comparison.title, data.title]
    assert [s.same_cluster for s in suggestions] == [True, True, False]
    assert suggestions[2].phrase == "Data Engineer"
    page.body += f" [Data](item:{data.pk})"
    page.save()
    assert titles(items_mentioned(page)) == [harness.title, comparison.title]


def test_the_cost_does_not_grow_with_the_site(harness):
    page = make_page("Reading list", body="A Harness Engineer and a Data Engineer.")
    make_role("Data Engineer")

    def cost():
        with CaptureQueriesContext(connection) as captured:
            pages_mentioning(harness)
            items_mentioned(page)
        return len(captured)

    few = cost()
    for number in range(30):
        make_page(f"Guide {number}", body=f"Guide {number} for the Harness Engineer.")
        make_role(f"Role {number}")
    assert cost() == few


def test_the_form_offers_both_directions(editor_client, harness):
    source = make_page("Lower case", body="Every harness engineer keeps long tasks on track.")
    make_role("Data Engineer")
    harness.body = "Works beside the Data Engineer."
    harness.save()
    section = soup_of(editor_client.get(harness.admin_url())).find(id="harness-suggestions")
    link = section.find("a", string="Lower case")
    assert link["href"] == (
        f"{source.admin_url()}?insert_link={harness.pk}&mention=Harness%20Engineer"
    )
    button = section.find("button", class_="link-suggestion-insert")
    assert button["data-mention"] == "Data Engineer"
