"""One way to write a moment across the admin: lists, forms, history, the drafts notice, the
review queue, the trash and the audit log all say "2 Dec 2026, 14:05 UTC"."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Comparison
from harness_cms.core.text import moment
from harness_cms.editorial import drafts
from harness_cms.editorial.models import Draft, TrashedItem
from tests.admin_forms import form_fields, publish
from tests.factories import make_comparison, make_faq, make_page

pytestmark = pytest.mark.django_db

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
OURS = re.compile(
    rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}, \d{{2}}:\d{{2}} [A-Z][A-Za-z+\-0-9]{{1,5}}\b"
)
# What another format would leave in the text: a clock time outside ours, an ISO date, a.m./p.m.,
# Django's default "Dec. 2, 2026" or "midnight"/"noon".
OTHERS = [
    re.compile(r"\b\d{1,2}:\d{2}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b[ap]\.m\.", re.IGNORECASE),
    re.compile(rf"\b(?:{MONTHS})\.? \d{{1,2}}, \d{{4}}"),
    re.compile(r"\b(?:midnight|noon)\b"),
]


def visible_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template", "input", "textarea", "select"]):
        hidden.decompose()
    return soup.get_text(" ", strip=True)


def foreign_dates(text):
    """Whatever looks like a date or a time in ``text`` and is not written our way."""
    rest = OURS.sub("", text)
    return [match.group(0) for pattern in OTHERS for match in pattern.finditer(rest)]


def test_moment_is_the_one_format():
    value = timezone.make_aware(timezone.datetime(2026, 12, 2, 14, 5), timezone.UTC)
    assert moment(value) == "2 Dec 2026, 14:05 UTC"
    assert OURS.fullmatch(moment(value))
    assert foreign_dates("saved 2026-12-02 14:05:00 UTC") == ["14:05", "2026-12-02"]


def test_every_admin_page_an_editor_reads_writes_moments_one_way(editor_client, editor):
    live = make_comparison(rows=1, title="Dated comparison")
    make_faq("Dated question?", on=[live])
    # Two revisions (for the history and the comparison of revisions), then a draft awaiting
    # review over the live item, and an item in the trash.
    change = reverse("admin:comparisons_comparison_change", args=[live.pk])
    publish(editor_client, change, {"lead": "First published lead."})
    publish(editor_client, change, {"lead": "Second published lead."})
    data = form_fields(editor_client.get(change))
    data.update(title="Dated draft", review_note="Please read.", _submit_review="1")
    assert editor_client.post(change, data).status_code == 302
    draft = Draft.objects.get()
    drafts.request_changes(
        draft=draft, user=editor, comment="More detail.", seen_saved_at=draft.saved_at
    )
    gone = make_page("Dated page to delete")
    editor_client.post(reverse("admin:pages_page_delete", args=[gone.pk]), {"post": "yes"})
    trashed = TrashedItem.objects.get()
    history = editor_client.get(reverse("admin:comparisons_comparison_history", args=[live.pk]))
    versions = [version.pk for version in history.context["versions"]]

    pages = [
        reverse("admin:index"),
        reverse("admin:comparisons_comparison_changelist"),
        reverse("admin:pages_page_changelist"),
        reverse("admin:faq_faq_changelist"),
        change,
        reverse("admin:comparisons_comparison_history", args=[live.pk]),
        reverse("admin:comparisons_comparison_compare", args=[live.pk])
        + f"?old={versions[-1]}&new={versions[0]}",
        reverse("admin:comparisons_comparison_restore", args=[live.pk, versions[-1]]),
        reverse("admin:comparisons_comparison_draft", args=[live.pk]),
        reverse("admin:editorial_draft_changelist"),
        reverse("admin:editorial_trasheditem_changelist"),
        reverse("admin:editorial_trasheditem_restore", args=[trashed.pk]),
        reverse("admin:editorial_auditentry_changelist"),
    ]
    found = 0
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response)
        assert foreign_dates(text) == [], url
        found += len(OURS.findall(text))
    # Every page but the index shows at least one moment; the walk read them.
    assert found >= len(pages) - 1
    assert Comparison.objects.get(pk=live.pk).title == "Dated comparison"
