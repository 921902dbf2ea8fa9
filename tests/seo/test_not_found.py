"""The 404 monitor: each address that answers 404 is counted with its last visit and the page
that linked to it — nothing about the visitor — in a bounded table, and is one click from a
redirect."""

import pytest
from django.urls import reverse

from harness_cms.core.models import NotFoundAddress, Redirect
from harness_cms.seo import redirects
from tests.admin_forms import submit
from tests.factories import make_role

pytestmark = pytest.mark.django_db


def test_a_404_is_counted_with_its_referrer_and_no_visitor_data(client):
    client.get(
        "/no-such-page/?email=someone@example.com",
        HTTP_REFERER="https://user:pw@blog.example/post/?utm=x#top",
    )
    client.get("/no-such-page/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Secret/1.0")
    (row,) = NotFoundAddress.objects.all()
    assert (row.path, row.hits) == ("/no-such-page/", 2)
    assert row.referrer == "https://blog.example/post/"  # kept from the first: none the second time
    assert row.last_seen >= row.first_seen
    stored = " ".join(str(value) for value in NotFoundAddress.objects.values_list().get())
    for personal in ("someone@example.com", "203.0.113.9", "Secret", "pw", "utm"):
        assert personal not in stored


def test_what_answers_is_not_counted(client):
    role = make_role("Harness Engineer")
    Redirect.objects.create(old_path="/roles/old-name/", target=role)
    assert client.get(role.path).status_code == 200
    assert client.get("/roles/old-name/").status_code == 301
    client.get("/admin/nothing-here/")
    client.get("/static/missing.css")
    client.post("/no-such-form/")
    assert not NotFoundAddress.objects.exists()


def test_odd_addresses_are_not_recorded():
    redirects.record_not_found("/" + "x" * 500)
    redirects.record_not_found("/bad\x00path/")
    redirects.record_not_found("no-slash")
    assert not NotFoundAddress.objects.exists()


def test_the_table_is_bounded_and_a_flood_evicts_itself(monkeypatch):
    monkeypatch.setattr(redirects, "NOT_FOUND_KEPT", 5)
    for _ in range(3):
        redirects.record_not_found("/often-asked/")
    for i in range(20):
        redirects.record_not_found(f"/random-{i}/")
    assert NotFoundAddress.objects.count() == 5
    assert NotFoundAddress.objects.filter(path="/often-asked/", hits=3).exists()
    assert NotFoundAddress.objects.filter(path="/random-19/").exists()


def test_one_click_from_the_monitor_to_a_redirect(editor_client, client):
    role = make_role("Harness Engineer")
    client.get("/roles/harnes-engineer/")
    listing = editor_client.get(reverse("admin:harness_cms_notfoundaddress_changelist"))
    assert listing.status_code == 200
    add_url = reverse("admin:harness_cms_redirect_add") + "?old_path=%2Froles%2Fharnes-engineer%2F"
    assert add_url.replace("&", "&amp;") in listing.content.decode()
    form = editor_client.get(add_url)
    assert 'value="/roles/harnes-engineer/"' in form.content.decode()
    response = submit(editor_client, add_url, {"target": str(role.pk)})
    assert response.status_code == 302
    assert client.get("/roles/harnes-engineer/")["Location"] == role.path
    assert not NotFoundAddress.objects.exists()


def test_faq_staff_do_not_see_the_monitor(faq_staff_client, client):
    client.get("/missing/")
    response = faq_staff_client.get(reverse("admin:harness_cms_notfoundaddress_changelist"))
    assert response.status_code == 403
