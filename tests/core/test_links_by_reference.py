"""Links to items by reference (decision 0135): ``[text](item:42)`` is shown with the item's
address now, follows it when it moves, is plain text to visitors and named to editors when the
item is not live, and refreshes the stored pages that show it."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harness_cms.core import references
from harness_cms.core.links import dead_links
from harness_cms.core.markdown import render_html
from harness_cms.core.models import ContentItem, Redirect
from harness_cms.core.visibility import Status
from tests.admin_forms import submit
from tests.factories import make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def links_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    prose = soup.select(".prose a, .lead a, .faq-list a, details a")
    return {a.get_text(): a.get("href") for a in prose}


@pytest.fixture
def pair():
    target = make_role("Data Engineer")
    source = make_page("Reading list", body=f"Start with [the data role](item:{target.pk}).")
    return source, target


def test_a_reference_is_shown_with_the_items_address(client, pair):
    source, target = pair
    assert 'href="item:' in source.body_html
    assert links_of(client.get(source.path))["the data role"] == target.path


def test_a_renamed_item_is_linked_at_its_new_address_without_a_redirect_hop(client, pair):
    source, target = pair
    old = target.path
    target.slug = "data-engineering"
    target.save()
    assert Redirect.objects.filter(old_path=old).exists()  # the old address still answers...
    href = links_of(client.get(source.path))["the data role"]
    assert href == "/roles/data-engineering/" != old  # ...but the page no longer sends there


def test_a_fragment_and_a_title_are_kept(client):
    target = make_role("Data Engineer", body="## Memory\n\nText.")
    source = make_page("Pointer", body=f'[memory](item:{target.pk}#memory "Memory layers")')
    soup = BeautifulSoup(client.get(source.path).content, "html.parser")
    link = soup.select_one(".prose a")
    assert link["href"] == f"{target.path}#memory" and link["title"] == "Memory layers"


def test_a_reference_in_an_faq_answer_is_resolved_too(client):
    target = make_role("Data Engineer")
    host = make_role("Prompt Engineer")
    make_faq("Where next?", answer=f"Read [the data role](item:{target.pk}).", on=[host])
    assert f'href="{target.path}"' in client.get(host.path).content.decode()


@pytest.mark.parametrize("offline", ["unpublished", "deleted"])
def test_a_reference_to_an_item_that_is_not_live_is_plain_text(client, pair, offline):
    source, target = pair
    if offline == "deleted":
        target.delete()
    else:
        target.status = Status.DRAFT
        target.save()
    page = client.get(source.path).content.decode()
    assert "item:" not in page and "the data role" in page
    assert "the data role" not in links_of(client.get(source.path))


def test_editors_are_told_which_item_a_dead_reference_names(pair):
    source, target = pair
    assert dead_links(source) == []
    target.status = Status.DRAFT
    target.save()
    assert dead_links(source) == [f"item:{target.pk} (“Data Engineer”, not live)"]
    ContentItem.objects.filter(pk=target.pk).delete()
    assert dead_links(source) == [f"item:{target.pk} (a page since deleted)"]


def test_a_dead_reference_is_named_on_the_form(editor_client, pair):
    source, target = pair
    target.status = Status.DRAFT
    target.save()
    text = editor_client.get(source.admin_url()).content.decode()
    assert f"item:{target.pk} (“Data Engineer”, not live)" in text


def test_only_well_formed_references_survive_the_sanitiser():
    html = render_html(
        "[a](item:12) [b](item:x) [c](item:12javascript) ![d](item:3) [e](item:4#part-two)"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [a.get("href") for a in soup.find_all("a")] == ["item:12", None, None, "item:4#part-two"]
    assert soup.find("img").get("src") is None


def test_a_reference_to_no_item_is_a_form_error(editor_client):
    page = make_page("Pointer", status=Status.DRAFT)
    response = submit(editor_client, page.admin_url(), {"body": "See [x](item:999999)."})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "No page item:999999" in str(errors["body"])
    page.refresh_from_db()
    assert page.body == ""


def test_a_saved_reference_to_a_since_deleted_item_does_not_block_a_save(editor_client, pair):
    source, target = pair
    source.status = Status.DRAFT
    source.save()
    target_id = target.pk
    target.delete()
    response = submit(editor_client, source.admin_url(), {"lead": "A new lead."})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.lead == "A new lead." and f"item:{target_id}" in source.body


def test_thirty_references_cost_no_more_queries_than_one(client, pair):
    source, _target = pair
    targets = [make_role(f"Role number {n}") for n in range(30)]
    many = make_page("Many", body=" ".join(f"[{t.title}](item:{t.pk})" for t in targets))
    counts = []
    for page in (source, many):
        client.get(page.path)  # the live addresses are read once per content change
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        counts.append(len(captured))
    assert len(links_of(response)) == 30
    assert counts[1] <= counts[0]


def test_the_markdown_helpers_write_references_by_address_and_back():
    text = '[a](item:1) [b](item:2#x "t") [gone](item:3)\n\n[ref]: item:1\n'
    paths = {1: "/roles/a/", 2: "/b/"}
    written, missing = references.by_address(text, paths.get)
    assert written == '[a](item:/roles/a/) [b](item:/b/#x "t") gone\n\n[ref]: item:/roles/a/\n'
    assert missing == [3]
    ids = {path: pk for pk, path in paths.items()}
    assert references.by_id(written, ids.get) == text.replace("[gone](item:3)", "gone")
    assert references.referenced_ids(text) == {1, 2, 3}
