"""Bulk edit: topics added and removed, an FAQ's topic and the SEO fields set on the selected
items from one intermediate page; validated like the change form, all or nothing; a live item
with a pending draft, or live for someone who may not publish, is left alone and named."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from faq.models import FAQ
from harness_cms.core.visibility import Status
from harness_cms.editorial.models import AuditEntry
from pages.models import Page
from tests.admin_forms import submit
from tests.factories import make_faq, make_page, make_topic

pytestmark = pytest.mark.django_db

PAGES = reverse("admin:pages_page_changelist")
FAQS = reverse("admin:faq_faq_changelist")


def bulk(client, url, objs, **fields):
    data = {"action": "bulk_edit", "_selected_action": [obj.pk for obj in objs]}
    if fields:
        data.update(fields, apply="1")
    return client.post(url, data)


def errors_of(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(node.get_text(" ") for node in page.select(".errornote, .errorlist"))


@pytest.fixture
def two_pages():
    live, draft = make_page("Live guide"), make_page("Draft guide", status=Status.DRAFT)
    live.tags.add("old", "memory")
    draft.tags.add("old")
    return live, draft


def test_the_action_opens_a_form_with_the_fields_of_the_kind(editor_client, two_pages):
    response = bulk(editor_client, PAGES, two_pages)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    names = {field["name"] for field in page.select("form [name]")}
    assert {"add_tags", "remove_tags", "seo_title", "seo_description", "noindex"} <= names
    assert "topic" not in names
    assert "Live guide" in page.get_text() and "Draft guide" in page.get_text()


def test_a_bulk_edit_changes_every_selected_item(editor_client, client, two_pages):
    live, draft = two_pages
    versions = {obj.pk: obj.version for obj in two_pages}
    response = bulk(
        editor_client,
        PAGES,
        two_pages,
        add_tags="agents",
        remove_tags="old",
        seo_title="Harness guides",
        noindex="",
        exclude_from_sitemap="yes",
    )
    assert response.status_code == 302
    for obj in (live, draft):
        obj.refresh_from_db()
        assert "agents" in obj.tags.names() and "old" not in obj.tags.names()
        assert obj.seo_title == "Harness guides" and obj.exclude_from_sitemap
        assert not obj.noindex
        assert obj.version > versions[obj.pk]
    assert sorted(live.tags.names()) == ["agents", "memory"]
    assert live.status == Status.PUBLISHED and draft.status == Status.DRAFT
    assert "Harness guides" in client.get(live.path).text
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.BULK_EDITED)
    assert entries.count() == 2
    assert "SEO title: Harness guides" in entries.first().detail


def test_an_seo_title_over_the_limit_is_a_form_error_and_changes_nothing(editor_client, two_pages):
    response = bulk(editor_client, PAGES, two_pages, add_tags="agents", seo_title="x" * 71)
    assert response.status_code == 200
    assert "at most 70 characters" in errors_of(response)
    for obj in two_pages:
        obj.refresh_from_db()
        assert obj.seo_title == "" and "agents" not in obj.tags.names()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.BULK_EDITED).exists()


def test_an_empty_change_or_a_topic_added_and_removed_is_refused(editor_client, two_pages):
    response = bulk(editor_client, PAGES, two_pages, seo_title="")
    assert "Nothing to change" in errors_of(response)
    response = bulk(editor_client, PAGES, two_pages, add_tags="x", remove_tags="x")
    assert "Added and removed at once" in errors_of(response)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.BULK_EDITED).exists()


def test_a_live_item_with_a_pending_draft_is_left_alone(editor_client, two_pages):
    live, draft = two_pages
    url = reverse("admin:pages_page_change", args=[live.pk])
    assert submit(editor_client, url, {"lead": "Drafted."}, button="_continue").status_code == 302
    response = bulk(editor_client, PAGES, two_pages, seo_title="Bulk title")
    assert response.status_code == 302
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.seo_title == "" and draft.seo_title == "Bulk title"
    shown = editor_client.get(PAGES).text
    assert "left as it is: it has unpublished changes" in shown


def test_faq_topic_by_faq_staff_on_drafts_only(faq_staff_client):
    topic = make_topic("Sessions")
    live, draft = make_faq("Live question?"), make_faq("Draft question?", status=Status.DRAFT)
    response = bulk(faq_staff_client, FAQS, [live, draft], topic=topic.pk, add_tags="memory")
    assert response.status_code == 302
    assert FAQ.objects.get(pk=draft.pk).topic == topic
    assert FAQ.objects.get(pk=live.pk).topic != topic
    assert "propose the change on its form" in faq_staff_client.get(FAQS).text
    assert list(FAQ.objects.get(pk=draft.pk).tags.names()) == ["memory"]
    assert Page.objects.count() == 0
