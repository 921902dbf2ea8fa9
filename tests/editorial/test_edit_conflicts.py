"""Two editors, one item: the second save is refused, names the first, and keeps the text."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from faq.models import FAQ
from harness_cms.core import versions
from harness_cms.editorial import admin as workflow_admin
from tests.admin_forms import form_fields
from tests.factories import make_faq, make_role, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(db):
    alice = make_staff("alice", "Editors")
    alice.first_name, alice.last_name = "Alice", "Archer"
    alice.save()
    bob = make_staff("bob", "Editors")
    clients = []
    for user in (alice, bob):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def errors_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(node.get_text(" ") for node in soup.select(".errornote, .errorlist"))


def test_second_save_from_an_old_form_is_refused_and_keeps_the_text(two_editors):
    alice, bob = two_editors
    faq = make_faq("Does one role replace the other?", status="draft", answer="Original.")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    alice_form, bob_form = form_fields(alice.get(url)), form_fields(bob.get(url))

    alice_form["answer"] = "Alice's answer."
    assert alice.post(url, alice_form).status_code == 302

    bob_form["answer"] = "Bob's long careful answer."
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    message = errors_text(response)
    assert "Not saved: Alice Archer saved this FAQ entry at" in message
    assert "nothing you typed is lost" in message
    assert "Bob's long careful answer." in form_fields(response)["answer"]
    faq.refresh_from_db()
    assert faq.answer == "Alice's answer." and faq.version == 2


def test_a_fresh_form_after_the_conflict_saves(two_editors):
    alice, bob = two_editors
    role = make_role("Harness Engineer", status="draft")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    stale = form_fields(bob.get(url))
    data = form_fields(alice.get(url))
    data["lead"] = "Alice."
    assert alice.post(url, data).status_code == 302
    stale["lead"] = "Bob."
    assert bob.post(url, stale).status_code == 200
    fresh = form_fields(bob.get(url))
    fresh["lead"] = "Bob, after reading Alice's version."
    assert bob.post(url, fresh).status_code == 302
    role.refresh_from_db()
    assert role.lead == "Bob, after reading Alice's version." and role.version == 3


def test_the_version_is_checked_in_the_update_itself(two_editors, monkeypatch):
    """Bob's form passes its checks; another save lands just before his conditional UPDATE.

    The other save is simulated inside Bob's request, so it is rolled back with it; what this
    shows is that the UPDATE finds no row at Bob's version and nothing of Bob's is written.
    """
    _alice, bob = two_editors
    faq = make_faq("A race?", status="draft", answer="Original.")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    bob_form = form_fields(bob.get(url))
    real_claim = versions.claim_version
    raced = []

    def claim_after_someone_else(obj, *, expected):
        if not raced:
            raced.append(True)
            FAQ.objects.filter(pk=obj.pk).update(answer="Alice's.", version=expected + 1)
        return real_claim(obj, expected=expected)

    monkeypatch.setattr(workflow_admin, "claim_version", claim_after_someone_else)
    bob_form["answer"] = "Bob's."
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    assert "Not saved" in errors_text(response)
    assert form_fields(response)["answer"].strip() == "Bob's."
    faq.refresh_from_db()
    assert faq.answer == "Original." and faq.version == 1


def test_claim_version_refuses_a_stale_version(db):
    faq = make_faq("Stale?", status="draft")
    versions.claim_version(faq, expected=1)
    assert FAQ.objects.get().version == 2
    with pytest.raises(versions.EditConflict):
        versions.claim_version(faq, expected=1)
    assert FAQ.objects.get().version == 2


def test_a_form_without_its_version_is_refused(editor_client):
    role = make_role("Harness Engineer")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    data = form_fields(editor_client.get(url))
    del data["loaded_version"]
    data["lead"] = "Changed."
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "does not say which version" in errors_text(response)
    role.refresh_from_db()
    assert role.lead == ""
