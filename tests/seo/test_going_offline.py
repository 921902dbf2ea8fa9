"""What goes offline with an item, and links to pages that are not live (issue point 8).

Unpublishing a role takes its comparisons and cluster pages offline with it: before it
happens the form lists them and the pages that link to them, and offers a redirect for each;
a link in stored text to a page that is not live is shown to visitors as plain text and named
to editors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harness_cms.core.models import Redirect
from tests.admin_forms import submit
from tests.factories import make_comparison, make_faq, make_page, make_role
from tests.seo.conftest import soup_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    harness = make_role("Harness Engineer")
    data = make_role("Data Engineer")
    comparison = make_comparison(harness, data)
    guide = make_page("Reading list", body=f"Compare [the two roles]({comparison.path}).")
    host = make_role("Prompt Engineer")
    make_faq(
        "Where is the comparison?", answer=f"In [the comparison]({comparison.path}).", on=[host]
    )
    landing = make_page("Roles overview")
    return {
        "role": data,
        "comparison": comparison,
        "guide": guide,
        "host": host,
        "landing": landing,
    }


def test_the_role_form_lists_what_goes_offline_with_it_and_who_links_there(editor_client, cluster):
    soup = soup_of(editor_client.get(cluster["role"].admin_url()))
    notice = soup.find(attrs={"data-harness-when": "unpublishing"}).get_text(" ")
    assert "goes offline with it" in notice
    assert "Harness Engineer vs Data Engineer" in notice
    assert "Reading list" in notice and "Prompt Engineer" in notice
    field = f"redirect_to_{cluster['comparison'].pk}"
    assert soup.find(attrs={"name": field}) is not None


def test_unpublishing_a_role_offers_a_redirect_for_each_page_that_goes_offline(
    editor_client, client, cluster
):
    role, comparison, landing = cluster["role"], cluster["comparison"], cluster["landing"]
    response = submit(
        editor_client,
        role.admin_url(),
        {
            "status": "draft",
            "redirect_to": landing.pk,
            f"redirect_to_{comparison.pk}": landing.pk,
        },
        button="_publish",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    answer = client.get(comparison.path)
    assert answer.status_code == 301 and answer["Location"] == landing.path
    assert client.get(role.path)["Location"] == landing.path
    assert Redirect.objects.get(old_path=comparison.path).reason == "unpublished"


def test_scheduling_the_end_of_a_role_takes_the_redirects_too(editor_client, cluster):
    role, comparison, landing = cluster["role"], cluster["comparison"], cluster["landing"]
    later = timezone.localtime(timezone.now() + timedelta(days=2))
    response = submit(
        editor_client,
        role.admin_url(),
        {
            "unpublish_at_0": later.strftime("%Y-%m-%d"),
            "unpublish_at_1": later.strftime("%H:%M:%S"),
            f"redirect_to_{comparison.pk}": landing.pk,
        },
        button="_publish",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Redirect.objects.get(old_path=comparison.path).target_id == landing.pk


def test_a_redirect_to_a_page_that_goes_offline_too_is_refused(editor_client, cluster):
    role, comparison = cluster["role"], cluster["comparison"]
    response = submit(
        editor_client, role.admin_url(), {"status": "draft", "redirect_to": comparison.pk}
    )
    assert response.status_code == 200
    assert "goes offline too" in str(response.context["adminform"].form.errors)


def test_text_links_to_pages_that_are_not_live_are_plain_text_for_visitors(client, cluster):
    comparison, guide, host = cluster["comparison"], cluster["guide"], cluster["host"]
    link = f'href="{comparison.path}"'
    assert link in client.get(guide.path).content.decode()
    assert link in client.get(host.path).content.decode()
    role = cluster["role"]
    role.status = "draft"
    role.save()
    assert client.get(comparison.path).status_code == 404
    page = client.get(guide.path).content.decode()
    assert link not in page and "Compare the two roles." in soup_of_text(page)
    answer = client.get(host.path).content.decode()
    assert link not in answer and "In the comparison." in soup_of_text(answer)


def soup_of_text(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text(" ").replace(" .", ".")


def test_editors_are_told_about_text_links_to_pages_that_are_not_live(editor_client, cluster):
    role, guide = cluster["role"], cluster["guide"]
    role.status = "draft"
    role.save()
    soup = soup_of(editor_client.get(guide.admin_url()))
    assert cluster["comparison"].path in soup.find(id="harness-links").get_text()
    response = submit(editor_client, guide.admin_url(), {"lead": "Changed."}, button="_publish")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(cluster["comparison"].path in m and "plain text" in m for m in messages)


def test_a_link_to_a_live_page_stays_a_link(client, cluster):
    page = make_page("Pointer", body=f"See [the guide]({cluster['guide'].path}).")
    assert f'href="{cluster["guide"].path}"' in client.get(page.path).content.decode()
