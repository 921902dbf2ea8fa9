"""Earlier addresses answer with one 301 to where the item is now; nothing loops or chains."""

import pytest
from django.core.exceptions import ValidationError

from harness_cms.core.models import Redirect
from harness_cms.core.visibility import Status
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db


def rename(item, slug):
    item.slug = slug
    item.save()
    return item


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, f"{old} answered {response.status_code}"
    assert response["Location"] == new


def test_a_changed_slug_redirects_permanently(client):
    rename(make_role("Harness Engineer"), "harness-engineers")
    assert_moved(client, "/roles/harness-engineer/", "/roles/harness-engineers/")
    assert client.get("/roles/harness-engineers/").status_code == 200


def test_every_earlier_address_leads_to_the_current_one_in_one_hop(client):
    role = make_role("Harness Engineer", slug="one")
    rename(role, "two")
    rename(role, "three")
    assert_moved(client, "/roles/one/", "/roles/three/")
    assert_moved(client, "/roles/two/", "/roles/three/")


def test_a_slug_changed_back_serves_the_page_and_never_loops(client):
    role = make_role("Harness Engineer", slug="first")
    rename(role, "second")
    rename(role, "first")
    assert client.get("/roles/first/").status_code == 200
    assert_moved(client, "/roles/second/", "/roles/first/")
    assert not Redirect.objects.filter(old_path="/roles/first/").exists()
    for _ in range(3):  # back and forth again
        rename(role, "second")
        rename(role, "first")
    assert Redirect.objects.count() == 1


def test_a_role_rename_moves_its_pages_and_comparisons_too(client):
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    page = make_page("Workflow", role=harness)
    comparison = make_comparison(harness, ai)
    rename(harness, "harness-eng")
    assert_moved(client, "/roles/harness-engineer/workflow/", page.__class__.objects.get().path)
    assert_moved(
        client,
        "/compare/harness-engineer-vs-ai-engineer/",
        "/compare/harness-eng-vs-ai-engineer/",
    )
    comparison.refresh_from_db()
    assert comparison.path == "/compare/harness-eng-vs-ai-engineer/"


def test_the_reversed_pair_of_a_comparison_redirects_to_the_canonical_one(client):
    make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"))
    assert_moved(
        client,
        "/compare/ai-engineer-vs-harness-engineer/",
        "/compare/harness-engineer-vs-ai-engineer/",
    )
    assert client.get("/compare/ai-engineer-vs-prompt-engineer/").status_code == 404
    assert client.get("/compare/nothing-vs-/").status_code == 404


def test_the_reversed_pair_under_an_old_role_slug_still_lands_in_one_hop(client):
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    make_comparison(harness, ai)
    rename(harness, "harness-eng")
    assert_moved(
        client,
        "/compare/ai-engineer-vs-harness-engineer/",
        "/compare/harness-eng-vs-ai-engineer/",
    )


def test_a_redirect_to_an_item_that_is_not_public_is_a_404(client):
    role = rename(make_role("Harness Engineer"), "moved")
    role.status = Status.DRAFT
    role.save()
    assert client.get("/roles/harness-engineer/").status_code == 404


def test_a_redirect_keeps_the_query_string(client):
    rename(make_role("Harness Engineer"), "moved")
    assert_moved(
        client, "/roles/harness-engineer/?utm_source=mail", "/roles/moved/?utm_source=mail"
    )


def test_live_pages_are_never_redirected(client):
    """A redirect row for a live address (made by hand in the database) is ignored."""
    role, other = make_role("Harness Engineer"), make_role("AI Engineer")
    Redirect.objects.create(old_path=role.path, target=other)
    assert client.get(role.path).status_code == 200


def test_a_redirect_to_its_own_address_is_never_served(client):
    role = make_role("Harness Engineer")
    Redirect.objects.create(old_path="/roles/gone/", target=role)
    role.slug = "gone"
    role.save()  # the live path wins and its redirect is removed
    assert client.get("/roles/gone/").status_code == 200
    assert not Redirect.objects.filter(old_path="/roles/gone/").exists()


@pytest.mark.parametrize(
    ("old_path", "message"),
    [
        ("roles/x/", "starts with a slash"),
        ("/roles/x/?a=1", "starts with a slash"),
        ("https://harness.example/roles/x/", "path only"),
        ("/roles/harness-engineer/", "cannot redirect"),
    ],
)
def test_a_manual_redirect_is_validated(old_path, message):
    target = make_role("AI Engineer")
    make_role("Harness Engineer")
    redirect = Redirect(old_path=old_path, target=target)
    with pytest.raises(ValidationError, match=message):
        redirect.full_clean()


def test_a_manual_redirect_to_its_own_target_is_refused():
    target = make_role("AI Engineer")
    with pytest.raises(ValidationError, match="cannot"):
        Redirect(old_path=target.path, target=target).full_clean()


def test_hostile_addresses_do_not_crash_the_fallback(client):
    for path in ["/compare/%00/", "/roles/" + "x" * 3000 + "/", "/compare/a-vs-b-vs-c/"]:
        assert client.get(path).status_code in (400, 404)
