"""New items go last, a draft's address leaves nothing behind, a restore's preview shows what
restoring writes, and a delete says what happens to the redirects (issue point 11)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from comparisons.models import Role
from harness_cms.core.models import Redirect
from harness_cms.editorial import revisions
from tests.admin_forms import publish, submit
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db


def test_a_new_role_goes_after_the_others_on_every_list(editor_client, client):
    for n, title in enumerate(["Alpha Engineer", "Beta Engineer"], start=1):
        make_role(title, position=n)
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_add"),
        {"title": "Aardvark Engineer", "slug": "aardvark-engineer", "status": "published"},
    )
    assert response.status_code == 302
    assert Role.objects.get(slug="aardvark-engineer").position == 3
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a.get_text() for a in home.select(".role-card-title a")][-1] == "Aardvark Engineer"
    index = client.get(reverse("comparisons:roles")).content.decode()
    assert index.index("Beta Engineer") < index.index("Aardvark Engineer")


def test_the_add_form_shows_the_place_a_new_role_takes(editor_client):
    make_role("Alpha Engineer", position=7)
    soup = BeautifulSoup(
        editor_client.get(reverse("admin:comparisons_role_add")).content, "html.parser"
    )
    assert soup.select_one("#id_position")["value"] == "8"


def test_a_new_page_goes_last_among_the_guides(client):
    make_page("Zeta guide", position=4)
    make_page("Alpha guide")
    home = client.get("/").content.decode()
    assert home.index("Zeta guide") < home.index("Alpha guide")


def test_renaming_a_never_published_draft_leaves_no_redirect(editor_client):
    role = make_role("Draft role", status="draft")
    page = make_page("Draft page", role=role, status="draft")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    assert submit(editor_client, url, {"slug": "renamed-role"}).status_code == 302
    assert not Redirect.objects.exists()
    page.refresh_from_db()
    assert page.path == "/roles/renamed-role/draft-page/"


def test_renaming_a_published_item_still_keeps_its_old_address(editor_client):
    role = make_role("Live role")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    assert publish(editor_client, url, {"slug": "moved-role"}).status_code == 302
    assert Redirect.objects.get().old_path == "/roles/live-role/"


def test_the_restore_preview_shows_only_what_restoring_changes(editor_client):
    """A comparison's slug follows its roles': an old revision's slug is not restored, so the
    preview must not promise it."""
    comparison = make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"))
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    assert publish(editor_client, url, {"lead": "First lead."}).status_code == 302
    role = comparison.role_b
    role_url = reverse("admin:comparisons_role_change", args=[role.pk])
    assert publish(editor_client, role_url, {"slug": "ml-engineer"}).status_code == 302
    comparison.refresh_from_db()
    first = revisions.history(comparison)[-1]
    restore_url = reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    soup = BeautifulSoup(editor_client.get(restore_url).content, "html.parser")
    changed = [
        field.select_one("h2").get_text(" ", strip=True)
        for field in soup.select(".diff-field")
        if field.select(".diff-removed, .diff-added")
    ]
    assert "Slug" not in " ".join(changed)
    assert editor_client.post(restore_url).status_code == 302
    comparison.refresh_from_db()
    assert comparison.slug == "harness-engineer-vs-ml-engineer"


def test_the_delete_confirmation_says_redirects_follow_the_chosen_page(editor_client):
    role = make_role("Old role")
    role.slug = "older-role"
    role.save()
    url = reverse("admin:comparisons_role_delete", args=[role.pk])
    soup = BeautifulSoup(editor_client.get(url).content, "html.parser")
    objects = soup.select_one("#deleted-objects").get_text(" ")
    assert "Redirect" not in objects
    text = soup.get_text(" ")
    assert "/roles/old-role/" in text and "leads there" in text
