"""The admin side: SEO checks and preview, what links here, redirects offered on unpublish and
delete, the redirect manager, and the Cluster health page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from comparisons.models import Role
from harness_cms.core.models import Redirect
from harness_cms.core.visibility import Status
from pages.models import Page
from tests.admin_forms import submit
from tests.factories import make_faq, make_link, make_page, make_role
from tests.seo.conftest import soup_of

pytestmark = pytest.mark.django_db


def change_url(item):
    return item.admin_url()


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response):
    return response.context["adminform"].form.errors


# -- the change form ---------------------------------------------------------------------------


def test_the_change_form_shows_what_links_here_and_the_preview(editor_client):
    role = make_role("Harness Engineer", seo_title="What Is a Harness Engineer?")
    card_source = make_page("Workflow", role=role)
    make_link(card_source, role, blurb="The role behind this workflow.")
    make_page("Reading list", body=f"Start with [the role]({role.path}).")
    faq_host = make_role("AI Engineer")
    make_faq("Who owns the harness?", answer=f"The [Harness Engineer]({role.path}).", on=[faq_host])
    soup = soup_of(editor_client.get(change_url(role)))
    links = soup.find(id="harness-links").get_text(" ")
    assert "Workflow" in links and "card" in links
    assert "Reading list" in links and "link in the text" in links
    assert "AI Engineer" in links and "Who owns the harness?" in links
    preview = soup.find(id="harness-seo")
    assert preview["data-path"] == role.path
    assert preview.find(attrs={"data-serp": "title"}).text == "What Is a Harness Engineer?"
    assert soup.find("script", src=lambda s: s and s.endswith("admin/harness/seo.js"))


def test_publishing_an_orphan_is_warned_before_and_after(editor_client, hub_limits):
    # A guide past the ones the home page lists, with no card or link to it.
    hub_limits(HUB_GUIDES=0)
    page = make_page("Lonely guide", status=Status.DRAFT)
    soup = soup_of(editor_client.get(change_url(page)))
    notice = soup.find(attrs={"data-harness-when": "publishing"})
    assert "orphan" in notice.text
    response = submit(editor_client, change_url(page), {"status": "published"})
    assert response.status_code == 302
    assert any("No published page links to this one" in m for m in messages_of(response))


def test_unpublishing_a_linked_item_is_warned(editor_client):
    role = make_role("Harness Engineer")
    make_link(make_page("Workflow", role=role), role)
    soup = soup_of(editor_client.get(change_url(role)))
    notice = soup.find(attrs={"data-harness-when": "unpublishing"})
    assert "1 published page links here" in " ".join(notice.text.split())


def test_seo_problems_and_duplicates_are_warned_after_saving(editor_client):
    make_role("AI Engineer", seo_title="Same title for two pages")
    role = make_role("Harness Engineer")
    response = submit(
        editor_client,
        change_url(role),
        {"seo_title": "Same title for two pages", "seo_description": "Short."},
        button="_publish",
    )
    assert response.status_code == 302
    warnings = messages_of(response)
    assert any("has the same SEO title" in m for m in warnings)
    assert any("meta description has 6 characters" in m for m in warnings)


def test_unpublishing_with_a_redirect_target_redirects_the_address(editor_client, client):
    role, target = make_role("Harness Engineer"), make_role("AI Engineer")
    response = submit(
        editor_client,
        change_url(role),
        {"status": "draft", "redirect_to": str(target.pk)},
        button="_publish",
    )
    assert response.status_code == 302, form_errors(response)
    redirect = Redirect.objects.get(old_path=role.path)
    assert redirect.target_id == target.pk and redirect.reason == Redirect.Reason.UNPUBLISHED
    assert client.get(role.path)["Location"] == target.path


def test_a_redirect_target_while_staying_published_is_a_form_error(editor_client):
    role, target = make_role("Harness Engineer"), make_role("AI Engineer")
    response = submit(editor_client, change_url(role), {"redirect_to": str(target.pk)})
    assert response.status_code == 200
    assert "Leave this empty" in str(form_errors(response)["redirect_to"])
    assert not Redirect.objects.exists()


def test_a_redirect_target_that_is_not_public_is_a_form_error(editor_client):
    role, target = make_role("Harness Engineer"), make_role("Draft", status=Status.DRAFT)
    response = submit(
        editor_client, change_url(role), {"status": "draft", "redirect_to": str(target.pk)}
    )
    assert response.status_code == 200
    assert "not public" in str(form_errors(response)["redirect_to"])
    role.refresh_from_db()
    assert role.status == Status.PUBLISHED  # nothing half-saved


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "9" * 30])
def test_a_redirect_target_that_is_no_key_is_a_form_error(editor_client, value):
    """Found by fuzzing: the form re-renders with an error instead of failing with a 500."""
    page = make_page("Harness Engineer Architecture")
    response = submit(editor_client, change_url(page), {"status": "draft", "redirect_to": value})
    assert response.status_code == 200
    assert "redirect_to" in form_errors(response)
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED


# -- deleting ----------------------------------------------------------------------------------


def delete_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_delete", args=[item.pk])


def test_deleting_offers_a_redirect_target_and_lists_what_links_here(editor_client):
    page = make_page("Old guide")
    make_link(make_page("Reading list"), page)
    soup = soup_of(editor_client.get(delete_url(page)))
    assert soup.find("select", attrs={"name": "redirect_to"}) is not None
    assert "Reading list" in soup.get_text()


def test_deleting_with_a_redirect_target_keeps_every_old_address_working(editor_client, client):
    page, target = make_page("Old guide", slug="first"), make_page("New guide")
    page.slug = "second"
    page.save()  # /guides/first/ -> page
    response = editor_client.post(delete_url(page), {"post": "yes", "redirect_to": target.pk})
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert client.get("/guides/second/")["Location"] == target.path
    assert client.get("/guides/first/")["Location"] == target.path


def test_deleting_without_a_target_leaves_a_404(editor_client, client):
    page = make_page("Old guide")
    editor_client.post(delete_url(page), {"post": "yes"})
    assert client.get(page.path).status_code == 404


def test_a_bad_redirect_target_on_delete_deletes_nothing(editor_client):
    page, draft = make_page("Old guide"), make_page("Draft", status=Status.DRAFT)
    response = editor_client.post(delete_url(page), {"post": "yes", "redirect_to": draft.pk})
    assert response.status_code == 302
    assert Page.objects.filter(pk=page.pk).exists()
    assert any("not public" in m for m in messages_of(response))
    response = editor_client.post(delete_url(page), {"post": "yes", "redirect_to": "nonsense"})
    assert Page.objects.filter(pk=page.pk).exists()


# -- the redirect manager ----------------------------------------------------------------------


def test_editors_add_a_redirect_in_the_manager(editor_client, client):
    target = make_role("Harness Engineer")
    response = submit(
        editor_client,
        reverse("admin:harness_cms_redirect_add"),
        {"old_path": "/harness/", "target": str(target.pk), "reason": "manual"},
    )
    assert response.status_code == 302, form_errors(response)
    assert client.get("/harness/")["Location"] == target.path
    listing = editor_client.get(reverse("admin:harness_cms_redirect_changelist"))
    assert "/harness/" in listing.content.decode()


def test_the_manager_refuses_a_redirect_from_a_live_address(editor_client):
    target, live = make_role("Harness Engineer"), make_role("AI Engineer")
    response = submit(
        editor_client,
        reverse("admin:harness_cms_redirect_add"),
        {"old_path": live.path, "target": str(target.pk), "reason": "manual"},
    )
    assert response.status_code == 200
    assert "cannot redirect" in str(form_errors(response)["old_path"])


# -- Cluster health ----------------------------------------------------------------------------


def test_editors_see_cluster_health_with_findings_matrix_and_graph(editor_client, demo):
    Role.objects.filter(slug="ai-engineer").update(seo_description="Too short.")
    response = editor_client.get(reverse("admin:harness_cms_clusterhealth_changelist"))
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.text == "Cluster health"
    assert "meta description has 10 characters" in soup.find("table", class_="health-findings").text
    assert "published" in soup.find("table", class_="health-matrix").text
    svg = soup.find("figure", class_="link-graph").svg
    assert len(svg.find_all("a", class_="dot")) == 9
    assert len(svg.find_all("line")) > 9
    assert not soup.find_all(style=True)  # the admin's CSP forbids inline styles


def test_faq_staff_cannot_see_cluster_health(faq_staff_client):
    url = reverse("admin:harness_cms_clusterhealth_changelist")
    assert faq_staff_client.get(url).status_code == 403
    assert b"Cluster health" not in faq_staff_client.get(reverse("admin:index")).content


def test_cluster_health_is_on_the_admin_index_for_editors(editor_client):
    assert b"Cluster health" in editor_client.get(reverse("admin:index")).content


# -- deleting several at once ------------------------------------------------------------------


def test_the_bulk_delete_confirmation_offers_a_redirect_for_each_public_page(editor_client):
    first, second = make_page("First old guide"), make_page("Second old guide")
    hidden = make_page("Draft guide", status=Status.DRAFT)
    data = {"action": "delete_selected", "_selected_action": [first.pk, second.pk, hidden.pk]}
    soup = soup_of(editor_client.post(reverse("admin:pages_page_changelist"), data))
    names = {select["name"] for select in soup.select("select[name^=redirect_to_]")}
    assert names == {f"redirect_to_{first.pk}", f"redirect_to_{second.pk}"}
    assert Page.objects.filter(pk__in=[first.pk, second.pk, hidden.pk]).count() == 3


def test_a_bulk_delete_redirects_the_addresses_chosen_and_leaves_404s_for_the_rest(
    editor_client, client
):
    first, second, target = make_page("First"), make_page("Second"), make_page("Kept guide")
    response = editor_client.post(
        reverse("admin:pages_page_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [first.pk, second.pk],
            "post": "yes",
            f"redirect_to_{first.pk}": target.pk,
        },
    )
    assert response.status_code == 302
    assert not Page.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert client.get(first.path)["Location"] == target.path
    assert client.get(second.path).status_code == 404


def test_a_bad_target_in_a_bulk_delete_deletes_nothing(editor_client):
    first, second = make_page("First"), make_page("Second")
    draft = make_page("Draft", status=Status.DRAFT)
    url = reverse("admin:pages_page_changelist")
    base = {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    for target, error in [(draft.pk, "not public"), (second.pk, "being deleted too")]:
        response = editor_client.post(url, {**base, f"redirect_to_{first.pk}": target})
        assert response.status_code == 200
        assert error in soup_of(response).select_one(".errorlist").get_text()
        assert Page.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    response = editor_client.post(url, {**base, f"redirect_to_{first.pk}": "nonsense"})
    assert response.status_code == 200
    assert Page.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
