"""Previews render the real public template for staff only, never save, never get cached."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from comparisons.models import Comparison, ComparisonRow, Role
from faq.models import FAQ
from tests.admin_forms import add_inline_rows, form_fields
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def assert_is_a_preview(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.context["noindex"] is True
    banner = BeautifulSoup(response.content, "html.parser").select_one(".preview-banner")
    assert banner is not None and "Preview" in banner.get_text()
    return BeautifulSoup(response.content, "html.parser")


def test_saved_draft_previews_in_the_comparison_template(editor_client):
    comparison = make_comparison(status="draft", rows=2, lead="A **draft** lead.")
    assert editor_client.get(comparison.path).status_code == 404
    response = editor_client.get(
        reverse("admin:comparisons_comparison_preview", args=[comparison.pk])
    )
    page = assert_is_a_preview(response)
    assert "comparisons/comparison_detail.html" in [t.name for t in response.templates]
    assert page.h1.get_text() == comparison.title
    assert len(page.select("table tbody tr")) == 2
    assert "<strong>draft</strong>" in str(page.select_one(".lead"))


def test_unsaved_changes_preview_with_in_memory_rows_and_nothing_is_saved(editor_client):
    comparison = make_comparison(status="published", rows=1, title="Saved title")
    version = Comparison.objects.get().version
    faq = make_faq("Placed in the form only?")
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    data = form_fields(editor_client.get(url))
    data.update({"title": "Unsaved title", "verdict": "An *unsaved* verdict.", "tags": "agents"})
    data["rows-0-dimension"] = "Renamed dimension"
    add_inline_rows(
        data,
        "rows",
        [{"dimension": "New row", "role_a_text": "a", "role_b_text": "b", "position": 5}],
    )
    add_inline_rows(data, "shared_points", [{"text": "Shared, unsaved.", "position": 0}])
    add_inline_rows(data, "faq_placements", [{"faq": faq.pk, "position": 0}])
    response = editor_client.post(
        reverse("admin:comparisons_comparison_preview", args=[comparison.pk]), data
    )
    page = assert_is_a_preview(response)
    assert page.h1.get_text() == "Unsaved title"
    assert [th.get_text() for th in page.select("tbody th")] == ["Renamed dimension", "New row"]
    assert "Shared, unsaved." in page.select_one(".shared").get_text()
    assert "Placed in the form only?" in page.select_one(".faq").get_text()
    assert "<em>unsaved</em>" in str(page.select_one(".verdict"))
    comparison.refresh_from_db()
    assert comparison.title == "Saved title" and comparison.version == version
    assert list(ComparisonRow.objects.values_list("dimension", flat=True)) == ["Dimension 0"]
    assert not comparison.shared_points.exists() and not comparison.faq_placements.exists()


def test_a_new_item_previews_from_the_add_form(editor_client):
    a, b = make_role("Harness Engineer"), make_role("AI Engineer")
    data = form_fields(editor_client.get(reverse("admin:comparisons_comparison_add")))
    data.update({"role_a": a.pk, "role_b": b.pk, "title": "New pair", "lead": "Brand new."})
    add_inline_rows(data, "rows", [{"dimension": "Focus", "role_a_text": "x", "role_b_text": "y"}])
    data["rows-0-position"] = "0"
    response = editor_client.post(reverse("admin:comparisons_comparison_preview_add"), data)
    page = assert_is_a_preview(response)
    assert page.h1.get_text() == "New pair"
    assert page.select_one("thead").get_text(" ").split() == [
        "Dimension",
        "Harness",
        "Engineer",
        "AI",
        "Engineer",
    ]
    assert "not saved yet" in page.select_one(".preview-banner").get_text()
    assert not Comparison.objects.exists()


def test_a_draft_cluster_page_previews_with_its_neighbours(editor_client):
    role = make_role("Harness Engineer")
    make_page("Job description", role=role, position=1)
    draft = make_page("Workflow", role=role, position=2, status="draft")
    response = editor_client.get(reverse("admin:pages_page_preview", args=[draft.pk]))
    page = assert_is_a_preview(response)
    assert page.select_one("a[rel=prev]")["href"] == "/roles/harness-engineer/job-description/"


def test_the_home_hub_previews(editor_client):
    home = make_page("Welcome", page_kind="hub", is_home=True, status="draft")
    response = editor_client.get(reverse("admin:pages_page_preview", args=[home.pk]))
    assert assert_is_a_preview(response).h1.get_text() == "Welcome"


def test_an_faq_previews_on_the_faq_index_with_where_it_appears(faq_staff_client):
    role = make_role("Harness Engineer")
    faq = make_faq("A draft question?", status="draft", on=[role])
    response = faq_staff_client.get(reverse("admin:faq_faq_preview", args=[faq.pk]))
    page = assert_is_a_preview(response)
    assert "A draft question?" in page.select_one(".faq-list").get_text()
    assert "Appears on: Harness Engineer" in page.select_one(".preview-banner").get_text()


def test_an_invalid_form_explains_why_there_is_no_preview(editor_client):
    role = make_role()
    data = form_fields(editor_client.get(reverse("admin:comparisons_comparison_add")))
    data.update({"role_a": role.pk, "role_b": role.pk})
    response = editor_client.post(reverse("admin:comparisons_comparison_preview_add"), data)
    assert response.status_code == 400
    assert "cannot be compared with itself" in response.content.decode()


def test_preview_is_for_staff_only(client, db):
    role = make_role(status="draft")
    url = reverse("admin:comparisons_role_preview", args=[role.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_faq_staff_cannot_preview_a_role(faq_staff_client):
    role = make_role(status="draft")
    url = reverse("admin:comparisons_role_preview", args=[role.pk])
    assert faq_staff_client.get(url).status_code == 403


def test_change_forms_link_preview_and_view_on_site(editor_client):
    role = make_role("Harness Engineer")
    response = editor_client.get(reverse("admin:comparisons_role_change", args=[role.pk]))
    page = BeautifulSoup(response.content, "html.parser")
    preview_url = reverse("admin:comparisons_role_preview", args=[role.pk])
    assert page.select_one("a.previewlink")["href"] == preview_url
    assert page.select_one("a.viewsitelink") is not None
    button = page.select_one("button.preview-changes")
    assert button["formaction"] == preview_url and button["formtarget"] == "_blank"
    assert button.find_parent("form")["id"] == "role_form"


def test_markdown_live_preview_uses_the_sanitising_pipeline(editor_client):
    url = reverse("admin:comparisons_role_markdown_preview")
    response = editor_client.post(
        url, {"text": "# Title\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.json()["html"]
    assert '<h2 id="title">Title</h2>' in html and "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_markdown_fields_carry_the_live_preview_endpoint(editor_client):
    response = editor_client.get(reverse("admin:comparisons_comparison_add"))
    page = BeautifulSoup(response.content, "html.parser")
    marked = {field["name"] for field in page.select("textarea[data-markdown-preview]")}
    assert marked == {"lead", "body", "next_step", "role_a_summary", "role_b_summary", "verdict"}
    assert page.select_one('script[src$="harness_cms/markdown-preview.js"]') is not None


def test_markdown_preview_refuses_anonymous_and_get(editor_client):
    url = reverse("admin:faq_faq_markdown_preview")
    assert Client().post(url, {"text": "x"}).status_code == 302
    assert editor_client.get(url).status_code == 405


def test_preview_never_writes_even_the_role_it_reads(editor_client):
    role = make_role("Harness Engineer", status="draft", body="Body.")
    before = Role.objects.values().get()
    editor_client.get(reverse("admin:comparisons_role_preview", args=[role.pk]))
    assert Role.objects.values().get() == before
    assert FAQ.objects.count() == 0


def test_the_live_preview_draws_each_field_where_the_public_page_puts_it(editor_client):
    """Each Markdown field names the element its public page renders it in, and the frame
    loads the public site's stylesheet (not the admin's)."""
    response = editor_client.get(reverse("admin:comparisons_comparison_add"))
    page = BeautifulSoup(response.content, "html.parser")
    shown_in = {
        field["name"]: field["data-markdown-shown-in"]
        for field in page.select("textarea[data-markdown-preview]")
    }
    assert shown_in == {
        "lead": "lead",
        "body": "prose",
        "next_step": "next-step-text",
        "role_a_summary": "role-summary",
        "role_b_summary": "role-summary",
        "verdict": "callout",
    }
    sheets = page.select_one("textarea[name=body]")["data-markdown-stylesheets"].split()
    assert [sheet.rsplit("/", 1)[-1].split(".")[0] for sheet in sheets] == [
        "site",
        "preview-frame",
    ]
    assert sheets[0].startswith("/static/css/site")
    faq = BeautifulSoup(
        editor_client.get(reverse("admin:faq_faq_add")).content, "html.parser"
    ).select_one("textarea[name=answer]")
    assert faq["data-markdown-shown-in"] == "faq-answer"


def test_table_cells_say_whether_they_take_markdown(editor_client):
    """The inline tables' text columns are plain text on the public page: each heading says so,
    with a sentence in its help, and each cell's input carries it in its name."""
    response = editor_client.get(reverse("admin:comparisons_comparison_add"))
    page = BeautifulSoup(response.content, "html.parser")
    headings = {
        th["class"][0]: " ".join(th.get_text().split())
        for th in page.select("#rows-group thead th[class^=column-]")
    }
    assert headings["column-dimension"] == "Dimension (plain text)"
    assert headings["column-role_a_text"] == "Role A (plain text)"
    assert headings["column-position"] == "Position"
    help_icon = page.select_one("#rows-group thead th.column-role_b_text img.help-tooltip")
    assert "Markdown is not rendered here" in help_icon["title"]
    assert page.select_one("#shared_points-group thead th.column-text").get_text().strip() == (
        "Text (plain text)"
    )
    cell = page.select_one("#id_rows-__prefix__-role_a_text")
    assert cell["aria-label"] == "New comparison row: Role A (plain text)"
