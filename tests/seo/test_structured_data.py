"""JSON-LD contract: one graph per page, each page kind with its required types and properties,
and no way for text to break out of the script block."""

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from faq.models import FAQ
from harness_cms.core.models import SiteSettings
from tests.factories import make_faq, make_link, make_page, make_role
from tests.seo.conftest import graph_of

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
# Required properties per type: what Google's rich results and schema.org consumers read.
REQUIRED = {
    "WebSite": {"@id", "url", "name", "publisher"},
    "Organization": {"@id", "name", "url"},
    "WebPage": {"@id", "url", "name", "description", "isPartOf"},
    "CollectionPage": {"@id", "url", "name", "description", "isPartOf"},
    "Article": {
        "headline", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage",
    },
    "BreadcrumbList": {"itemListElement"},
    "FAQPage": {"mainEntity"},
    "ItemList": {"itemListElement"},
}  # fmt: skip
PAGE_KINDS = {
    "home": ("/", {"WebSite", "Organization", "CollectionPage", "ItemList"}),
    "role": ("/roles/harness-engineer/", {"WebSite", "Organization", "WebPage", "Article",
                                          "BreadcrumbList", "FAQPage"}),
    "cluster page": ("/roles/harness-engineer/architecture/", {"WebPage", "Article",
                                                               "BreadcrumbList", "FAQPage"}),
    "comparison": ("/compare/harness-engineer-vs-ai-engineer/", {"WebPage", "Article",
                                                                 "BreadcrumbList", "FAQPage"}),
    # Every demo question is placed on an item, whose page marks it up (decision 0102).
    "FAQ index": ("/faq/", {"WebSite", "Organization", "WebPage", "BreadcrumbList"}),
}  # fmt: skip


def check_node(node):
    missing = REQUIRED.get(node["@type"], set()) - set(node)
    assert not missing, f"{node['@type']} lacks {sorted(missing)}"


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_each_page_kind_carries_its_types_and_properties(client, demo, kind):
    path, types = PAGE_KINDS[kind]
    graph = graph_of(client.get(path))
    assert types <= set(graph), f"{kind}: missing {types - set(graph)}"
    for nodes in graph.values():
        for node in nodes:
            check_node(node)
    (page,) = graph.get("WebPage") or graph["CollectionPage"]
    assert page["url"] == SITE + path
    for breadcrumbs in graph.get("BreadcrumbList", []):
        items = breadcrumbs["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))
        assert items[0]["item"] == SITE + "/"
        assert items[-1]["item"] == SITE + path
    for faq_page in graph.get("FAQPage", []):
        for question in faq_page["mainEntity"]:
            assert question["@type"] == "Question" and question["name"]
            assert question["acceptedAnswer"]["@type"] == "Answer"
            assert question["acceptedAnswer"]["text"]


def test_article_dates_and_author_come_from_the_item_and_site_settings(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"organization_name": "Guide Editors"})
    role = make_role("Harness Engineer", body="Owns the harness.")
    graph = graph_of(client.get(role.path))
    (article,) = graph["Article"]
    (organization,) = graph["Organization"]
    assert organization["name"] == "Guide Editors"
    assert article["author"] == {"@id": organization["@id"]}
    assert article["datePublished"] == role.publish_at.isoformat()
    assert article["dateModified"] == role.updated_at.isoformat()


def test_faqpage_lists_exactly_the_faqs_shown_on_the_page(client):
    role = make_role("Harness Engineer")
    make_faq(
        "Does one role replace the other?", answer="No, they **complement** each other.", on=[role]
    )
    make_faq("Not placed here?")
    make_faq("A draft question?", status="draft", on=[role])
    (faq_page,) = graph_of(client.get(role.path))["FAQPage"]
    assert [q["name"] for q in faq_page["mainEntity"]] == ["Does one role replace the other?"]
    assert faq_page["mainEntity"][0]["acceptedAnswer"]["text"] == "No, they complement each other."


def test_the_site_setting_turns_faqpage_off(client):
    role = make_role("Harness Engineer")
    make_faq("Does one role replace the other?", on=[role])
    settings = SiteSettings.load()
    settings.faq_rich_results = False
    settings.save()
    graph = graph_of(client.get(role.path))
    assert "FAQPage" not in graph
    assert "Article" in graph


def test_a_question_with_a_closing_script_tag_cannot_break_out(client):
    hostile = '</script><script>alert("x")</script> & <!-- more?'
    role = make_role("Harness Engineer", lead="</script><b>lead</b>")
    faq = FAQ.objects.create(question=hostile, slug="hostile", answer="Fine.", status="published")
    faq.placements.create(item=role)
    response = client.get(role.path)
    html = response.content.decode()
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<" not in block[len('<script type="application/ld+json">') :]
    assert "alert" in block  # the text is there, escaped, not dropped
    (faq_page,) = graph_of(response)["FAQPage"]
    assert faq_page["mainEntity"][0]["name"] == hostile
    # No script element was created beyond the page's own: the JSON-LD block and site.js.
    scripts = BeautifulSoup(html, "html.parser").find_all("script")
    assert [s.get("type") or s.get("src") for s in scripts] == [
        "application/ld+json",
        "/static/js/site.js",
    ]


def test_a_hub_lists_its_items_in_an_itemlist(client):
    hub = make_page("All the guides", page_kind="hub")
    first, second = make_page("Reading list"), make_role("Harness Engineer")
    make_link(hub, first)
    make_link(hub, second)
    graph = graph_of(client.get(hub.path))
    (item_list,) = graph["ItemList"]
    assert [entry["url"] for entry in item_list["itemListElement"]] == [
        SITE + first.path,
        SITE + second.path,
    ]
    assert "CollectionPage" in graph and "Article" not in graph


def test_json_ld_is_one_valid_json_document(client, demo):
    response = client.get("/compare/harness-engineer-vs-prompt-engineer/")
    html = response.content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    json.loads(html[start : html.index("</script>", start)])
