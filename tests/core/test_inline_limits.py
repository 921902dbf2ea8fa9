"""Inline rows are bounded with a form error, and the request-field limit fits the largest
change form the admin can make: an item with many rows stays savable, and a forged row count
cannot make the server build millions of forms."""

import pytest
from django.conf import settings
from django.urls import reverse

from comparisons.models import ComparisonRow, SharedPoint
from faq.models import FAQ, FAQPlacement
from harness_cms.core.models import RelatedLink
from harness_cms.core.widgets import MAX_INLINE_ROWS
from tests.admin_forms import add_inline_rows, form_fields, submit
from tests.factories import make_comparison, make_faq, make_role

pytestmark = pytest.mark.django_db


def test_a_comparison_with_180_rows_saves(editor_client):
    """180 rows made a form of 1,289 fields: every save and preview was a bare 400."""
    comparison = make_comparison(rows=180, lead="Old lead.")
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = submit(
        editor_client, url, {"lead": "A new lead typed by the editor."}, button="_publish"
    )
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert comparison.lead == "A new lead typed by the editor."
    assert comparison.rows.count() == 180


@pytest.fixture
def fullest_comparison():
    """A comparison with every inline at its limit: the largest form the admin makes."""
    comparison = make_comparison(rows=MAX_INLINE_ROWS)
    SharedPoint.objects.bulk_create(
        SharedPoint(comparison=comparison, text=f"Point {n}", position=n)
        for n in range(MAX_INLINE_ROWS)
    )
    faqs = [make_faq(f"Question {n}?") for n in range(MAX_INLINE_ROWS)]
    FAQPlacement.objects.bulk_create(
        FAQPlacement(item=comparison, faq=faq, position=n) for n, faq in enumerate(faqs)
    )
    target = make_role("Target")
    RelatedLink.objects.bulk_create(
        RelatedLink(source=comparison, target=target, blurb=f"Card {n}", position=n)
        for n in range(MAX_INLINE_ROWS)
    )
    return comparison


def test_the_largest_change_form_fits_the_request_field_limit(editor_client, fullest_comparison):
    url = reverse("admin:comparisons_comparison_change", args=[fullest_comparison.pk])
    fields = form_fields(editor_client.get(url))
    assert len(fields) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    fields["lead"] = "Saved with every inline full."
    assert editor_client.post(url, fields).status_code == 302


def test_one_row_past_the_limit_is_a_form_error_and_nothing_is_saved(editor_client):
    comparison = make_comparison(rows=MAX_INLINE_ROWS, lead="Old lead.")
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    response = submit(
        editor_client,
        url,
        {"lead": "New lead."},
        inlines={"rows": [{"dimension": "One too many", "position": MAX_INLINE_ROWS}]},
    )
    assert response.status_code == 200
    errors = " ".join(
        str(error)
        for inline in response.context["inline_admin_formsets"]
        for error in inline.formset.non_form_errors()
    )
    assert f"At most {MAX_INLINE_ROWS} rows" in errors
    comparison.refresh_from_db()
    assert comparison.lead == "Old lead." and comparison.rows.count() == MAX_INLINE_ROWS


@pytest.mark.parametrize(
    ("url_name", "prefix", "fixture"),
    [
        ("admin:comparisons_comparison_change", "rows", "comparison"),
        ("admin:comparisons_comparison_change", "faq_placements", "comparison"),
        ("admin:comparisons_comparison_change", "links", "comparison"),
        ("admin:comparisons_comparison_change", "shared_points", "comparison"),
        ("admin:faq_faq_change", "placements", "faq"),
    ],
)
def test_a_forged_row_count_builds_no_more_than_the_limit(editor_client, url_name, prefix, fixture):
    """TOTAL_FORMS=99999999 made Django build 2,000 forms per inline (a worker timeout)."""
    obj = make_comparison(lead="Old lead.") if fixture == "comparison" else make_faq("Q?")
    url = reverse(url_name, args=[obj.pk])
    data = form_fields(editor_client.get(url))
    data[f"{prefix}-TOTAL_FORMS"] = "99999999"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    built = [
        len(inline.formset.forms)
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    assert built and max(built) <= MAX_INLINE_ROWS
    assert not ComparisonRow.objects.exists() and FAQ.objects.count() <= 1


def test_rows_added_in_one_post_are_bounded_too(faq_staff_client):
    faq = make_faq("Where?", status="draft")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    data = form_fields(faq_staff_client.get(url))
    role = make_role("Somewhere")
    add_inline_rows(
        data, "placements", [{"item": role.pk, "position": n} for n in range(MAX_INLINE_ROWS + 1)]
    )
    response = faq_staff_client.post(url, data)
    assert response.status_code == 200
    assert not FAQPlacement.objects.exists()
