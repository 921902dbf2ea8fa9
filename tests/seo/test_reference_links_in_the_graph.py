"""Links by reference count in the cluster's link graph, in "What links here" and in the
audit's broken links (decision 0135)."""

import pytest

from harness_cms.seo.audit import find_broken_references
from harness_cms.seo.graph import build_graph, inbound_links
from tests.factories import make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def test_a_reference_is_a_text_link_of_the_graph():
    target = make_role("Data Engineer")
    source = make_page("Reading list", body=f"See [the role](item:{target.pk}#memory).")
    links = [link for link in build_graph().links if link.via == "text"]
    assert [(link.source, link.target, link.href) for link in links] == [
        (source.pk, target.pk, f"item:{target.pk}#memory")
    ]


def test_what_links_here_finds_references_and_not_a_longer_id():
    target = make_role("Data Engineer")
    make_page("Reading list", body=f"See [the role](item:{target.pk}).")
    host = make_role("Prompt Engineer")
    make_faq("Where next?", answer=f"In [the role](item:{target.pk}#why).", on=[host])
    # An id that starts with the target's digits is another item.
    make_page("Elsewhere", body=f"[other](item:{target.pk}0)")
    found = {(source_item.title, via) for source_item, via, _ in inbound_links(target)}
    assert ("Reading list", "link in the text") in found
    assert ("Prompt Engineer", "link in an FAQ answer") in found
    assert not any(title == "Elsewhere" for title, _ in found)


def test_a_reference_to_a_deleted_item_is_a_broken_link_of_the_audit():
    target = make_role("Data Engineer")
    make_page("Reading list", body=f"See [the role](item:{target.pk}).")
    target_id = target.pk
    target.delete()
    graph = build_graph()
    assert [(link.href, reason) for link, reason in graph.broken] == [
        (f"item:{target_id}", "the linked page was deleted")
    ]
    messages = [finding.message for finding in find_broken_references(graph)]
    assert any(f"item:{target_id}" in message for message in messages)
