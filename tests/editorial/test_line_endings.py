"""Line endings change nothing by themselves: a browser's CRLF is stored as LF on every way in,
so the history names only what changed and an export imports back unchanged."""

import pytest
from django.urls import reverse
from reversion.models import Version

from comparisons.models import Comparison, ComparisonRow
from harness_cms.content_files.services import export_content, import_content
from tests.admin_forms import form_fields
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db


def crlf(data):
    """What a browser posts: every textarea's line breaks as CRLF."""
    return {key: value.replace("\n", "\r\n") for key, value in data.items()}


@pytest.fixture
def comparison():
    item = make_comparison(
        status="draft",
        lead="First line.\nSecond line.",
        role_a_summary="A.\n\nMore A.",
        role_b_summary="B.\n\nMore B.",
        body="## Body\n\nText.\n\nMore text.",
        verdict="Pick.\nOr not.",
        next_step="Read\nthis.",
    )
    ComparisonRow.objects.create(
        comparison=item, dimension="Focus", role_a_text="One\ntwo", role_b_text="Three\nfour"
    )
    return Comparison.objects.get(pk=item.pk)


def test_changing_only_the_lead_in_the_browser_changes_only_the_lead(editor_client, comparison):
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    data = form_fields(editor_client.get(url))
    data["lead"] = "A new lead.\nOn two lines."
    assert editor_client.post(url, crlf(data)).status_code == 302
    comment = Version.objects.get_for_object(comparison).first().revision.comment
    assert comment == "Changed Lead."
    comparison.refresh_from_db()
    assert comparison.lead == "A new lead.\nOn two lines."
    assert "\r" not in comparison.body and "\r" not in comparison.verdict
    assert "\r" not in ComparisonRow.objects.get().role_a_text


def test_an_admin_save_exports_and_imports_back_unchanged(editor_client, comparison, tmp_path):
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    data = form_fields(editor_client.get(url))
    assert editor_client.post(url, crlf(data)).status_code == 302
    export_content(tmp_path)
    report = import_content(tmp_path, dry_run=True)
    assert report.updated == []


def test_models_store_lf_whatever_they_are_given(comparison):
    comparison.body = "One\r\nTwo\rThree"
    comparison.save()
    comparison.refresh_from_db()
    assert comparison.body == "One\nTwo\nThree"
