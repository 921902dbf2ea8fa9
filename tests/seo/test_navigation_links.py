"""The link graph counts the links visitors see (decision 0071): the pages' own navigation
as well as cards and links in text, exactly as the public pages render them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harness_cms.core.links import local_path
from harness_cms.core.models import ContentItem
from harness_cms.seo import audit
from harness_cms.seo.graph import build_graph
from tests.admin_forms import submit
from tests.demo import load_demo
from tests.factories import make_comparison, make_page, make_role
from tests.seo.conftest import soup_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(db):
    load_demo()
    data = make_role("Data Engineer", summary="Moves data.")
    harness = ContentItem.objects.get(path="/roles/harness-engineer/").specific()
    make_comparison(harness, data, lead="Data and harness.")
    make_page("Data pipelines", role=data, body="## Pipes\n\nx")
    make_page("Loose guide")


def rendered_targets(client, node, paths):
    """The items a public page links to, read from its HTML (itself left out)."""
    soup = soup_of(client.get(node.path))
    found = set()
    for anchor in soup.find_all("a", href=True):
        path = local_path(anchor["href"], node.path)
        if path in paths and paths[path] != node.id:
            found.add(paths[path])
    return found


def test_the_graph_holds_exactly_the_links_each_public_page_shows(client, cluster):
    graph = build_graph()
    paths = {node.path: node.id for node in graph.public_nodes()}
    for node in graph.public_nodes():
        shown = rendered_targets(client, node, paths)
        counted = graph.outbound_targets(node.id) & set(paths.values()) - {node.id}
        assert counted == shown, node.path


def test_a_new_item_linked_only_by_navigation_is_no_orphan(cluster, roomy_hub):
    report = audit.run()
    assert [f.message for f in report.findings if f.rule in ("orphan", "hub-link")] == []


def test_a_new_comparison_is_not_told_it_is_an_orphan(editor_client, cluster, roomy_hub):
    a, b = make_role("ML Engineer"), make_role("Ops Engineer")
    response = submit(
        editor_client,
        reverse("admin:comparisons_comparison_add"),
        {
            "role_a": a.pk,
            "role_b": b.pk,
            "title": "ML Engineer vs Ops Engineer",
            "status": "published",
        },
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert not any("No published page links" in m for m in messages)
    comparison = ContentItem.objects.get(title="ML Engineer vs Ops Engineer")
    links = soup_of(editor_client.get(comparison.admin_url())).find(id="harness-links")
    text = links.get_text(" ")
    assert "Counted as links:" in text and "breadcrumb" in text
    assert "ML Engineer" in text and "role page: comparisons" in text
    assert "home page: comparisons" in text


def test_building_the_graph_costs_the_same_queries_with_more_items(cluster):
    with CaptureQueriesContext(connection) as small:
        build_graph()
    for n in range(10):
        role = make_role(f"Grown role {n}")
        make_page(f"Grown page {n}", role=role)
        make_comparison(role, make_role(f"Grown partner {n}"))
        make_page(f"Grown guide {n}")
    with CaptureQueriesContext(connection) as large:
        build_graph()
    assert len(large) == len(small)
