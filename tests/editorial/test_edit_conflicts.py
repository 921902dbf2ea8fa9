"""Two editors, one item: the second save is refused, names the first, and keeps the text."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from comparisons.models import Role
from faq.models import FAQ, FAQPlacement
from harness_cms.core import versions
from harness_cms.editorial import admin as workflow_admin
from harness_cms.editorial import revisions
from tests.admin_forms import form_fields
from tests.factories import make_comparison, make_faq, make_link, make_role, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(db):
    alice = make_staff("alice", "Editors")
    alice.first_name, alice.last_name = "Alice", "Archer"
    alice.save()
    return clients_for(alice, make_staff("bob", "Editors"))


def clients_for(*users):
    """A logged-in test client per user, as separate browsers would be."""
    clients = []
    for user in users:
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


# --- The version covers everything the form shows (rows, cards, FAQ placements) --------------


@pytest.fixture
def editor_and_faq_staff(db):
    return clients_for(make_staff("eddie", "Editors"), make_staff("fay", "FAQ staff"))


def test_a_card_changed_on_its_own_form_makes_the_items_open_form_stale(two_editors):
    """Editor A opens a comparison; B edits one of its cards on the card's own form; A's save
    of the lead is refused, names B and what changed, keeps A's text, and B's card stays."""
    alice, bob = two_editors
    comparison = make_comparison(status="draft")
    card = make_link(comparison, make_role("Target"), title="Old title", blurb="Old blurb.")
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    alice_form = form_fields(alice.get(url))

    card_url = reverse("admin:pages_relatedlink_change", args=[card.pk])
    bob_form = form_fields(bob.get(card_url))
    bob_form.update(title="Bob's title", blurb="Bob's blurb.")
    assert bob.post(card_url, bob_form).status_code == 302

    alice_form["lead"] = "Alice's lead."
    response = alice.post(url, alice_form)
    assert response.status_code == 200
    message = errors_text(response)
    assert "Not saved: Alice" not in message
    assert "Not saved: bob saved this comparison at" in message
    assert "Bob's title" in message  # what changed: the card
    assert form_fields(response)["lead"].strip() == "Alice's lead."
    card.refresh_from_db()
    comparison.refresh_from_db()
    assert (card.title, card.blurb) == ("Bob's title", "Bob's blurb.")
    assert comparison.lead == ""


def test_the_card_change_is_in_the_items_history(two_editors):
    _alice, bob = two_editors
    comparison = make_comparison(status="draft")
    card = make_link(comparison, make_role("Target"), title="Old title")
    card_url = reverse("admin:pages_relatedlink_change", args=[card.pk])
    data = form_fields(bob.get(card_url))
    data["title"] = "Bob's title"
    assert bob.post(card_url, data).status_code == 302
    history = revisions.history(comparison)
    assert history and history[0].revision.user.username == "bob"
    cards = revisions.snapshot(history[0]).children
    assert [
        row.title for child, rows in cards.items() if child.label == "Cards" for row in rows
    ] == ["Bob's title"]


def test_a_placement_moved_from_the_faq_form_makes_the_items_open_form_stale(
    editor_and_faq_staff,
):
    editor, staff = editor_and_faq_staff
    comparison = make_comparison(status="draft")
    faq = make_faq("Which teams benefit?", status="draft", on=[comparison])
    FAQPlacement.objects.filter(faq=faq).update(position=3)
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    editor_form = form_fields(editor.get(url))

    faq_url = reverse("admin:faq_faq_change", args=[faq.pk])
    staff_form = form_fields(staff.get(faq_url))
    staff_form["placements-0-position"] = "7"
    assert staff.post(faq_url, staff_form).status_code == 302

    editor_form["lead"] = "The editor's lead."
    response = editor.post(url, editor_form)
    assert response.status_code == 200
    assert "Not saved: fay saved this comparison at" in errors_text(response)
    assert FAQPlacement.objects.get().position == 7


def test_a_placement_changed_on_the_item_makes_the_faqs_open_form_stale(editor_and_faq_staff):
    editor, staff = editor_and_faq_staff
    comparison = make_comparison(status="draft")
    faq = make_faq("Which teams benefit?", status="draft", on=[comparison])
    faq_url = reverse("admin:faq_faq_change", args=[faq.pk])
    staff_form = form_fields(staff.get(faq_url))

    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    editor_form = form_fields(editor.get(url))
    editor_form["faq_placements-0-position"] = "5"
    assert editor.post(url, editor_form).status_code == 302

    staff_form["answer"] = "Fay's answer."
    response = staff.post(faq_url, staff_form)
    assert response.status_code == 200
    assert "Not saved: eddie saved this FAQ entry at" in errors_text(response)
    assert "Fay's answer." in form_fields(response)["answer"]


def test_a_row_deleted_elsewhere_is_a_clear_refusal_that_keeps_every_typed_value(
    editor_and_faq_staff,
):
    """FAQ staff remove their FAQ from a comparison while the editor's form, opened before,
    still shows it: the editor's save is refused with the conflict message and an error on
    that row, each row keeps its own question and every typed value is still there."""
    editor, staff = editor_and_faq_staff
    comparison = make_comparison(status="draft")
    faqs = [make_faq(f"Question {n}?", status="draft") for n in range(4)]
    for position, faq in enumerate(faqs):
        FAQPlacement.objects.create(faq=faq, item=comparison, position=position)
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    editor_form = form_fields(editor.get(url))

    removed = faqs[1]
    faq_url = reverse("admin:faq_faq_change", args=[removed.pk])
    staff_form = form_fields(staff.get(faq_url))
    staff_form["placements-0-DELETE"] = "on"
    assert staff.post(faq_url, staff_form).status_code == 302

    editor_form["lead"] = "Typed lead."
    editor_form["faq_placements-3-position"] = "9"
    response = editor.post(url, editor_form)
    assert response.status_code == 200
    message = errors_text(response)
    assert "Not saved: fay saved this comparison at" in message
    assert "deleted" in message  # the row that is gone says so where it is
    again = form_fields(response)
    assert again["lead"].strip() == "Typed lead."
    assert again["faq_placements-TOTAL_FORMS"] == "4"
    assert again["faq_placements-3-position"] == "9"
    # Each row shows the question it holds, not its neighbour's.
    soup = BeautifulSoup(response.content, "html.parser")
    for index, faq in enumerate(faqs):
        selected = soup.select_one(f"select[name=faq_placements-{index}-faq] option[selected]")
        assert selected is not None and selected["value"] == str(faq.pk)
        row = soup.select_one(f"#faq_placements-{index}")
        original = row.select_one("td.original p")
        if faq is not removed:
            assert original is not None and faq.question in original.get_text()
    assert FAQPlacement.objects.filter(faq=removed).count() == 0


# --- Races with publishing and deleting lose no text (H8) ------------------------------------


def test_faq_staff_whose_draft_was_published_meanwhile_keep_their_text(editor_and_faq_staff):
    editor, staff = editor_and_faq_staff
    faq = make_faq("Draft question?", status="draft", answer="First.")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    staff_form = form_fields(staff.get(url))
    editor_form = form_fields(editor.get(url))
    editor_form["status"] = "published"
    assert editor.post(url, editor_form).status_code == 302

    staff_form["answer"] = "Fay's long answer."
    response = staff.post(url, staff_form)
    assert response.status_code == 200
    message = errors_text(response)
    # Now live, their save would be a proposal (a draft): refused as any save from an older
    # form, naming who changed it.
    assert "Not saved" in message and "saved this FAQ entry" in message
    assert form_fields(response)["answer"].strip() == "Fay's long answer."
    faq.refresh_from_db()
    assert faq.status == "published" and faq.answer == "First."


def test_saving_an_item_deleted_meanwhile_keeps_the_text_and_says_so(two_editors):
    alice, bob = two_editors
    role = make_role("Doomed role", status="draft")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    bob_form = form_fields(bob.get(url))
    delete_url = reverse("admin:comparisons_role_delete", args=[role.pk])
    assert alice.post(delete_url, {"post": "yes"}).status_code == 302

    bob_form["lead"] = "Bob's lead, typed for ten minutes."
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    message = errors_text(response)
    assert "Not saved" in message and "deleted" in message and "Alice Archer" in message
    assert form_fields(response)["lead"].strip() == "Bob's lead, typed for ten minutes."
    # Saving the re-shown form creates the item again.
    again = form_fields(response)
    action = BeautifulSoup(response.content, "html.parser").select_one("form[id$=_form]")
    assert bob.post(action.get("action") or url, again).status_code == 302
    assert Role.objects.get(slug="doomed-role").lead == "Bob's lead, typed for ten minutes."


def test_a_reorder_from_an_old_form_is_refused_and_the_rows_keep_their_order(two_editors):
    """Reordering posts new positions like any edit: from a form opened before someone else's
    save it is refused with the conflict message, the stored order untouched, the typed
    order kept in the form; from a fresh form it saves."""
    alice, bob = two_editors
    comparison = make_comparison(rows=3, status="draft")
    url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
    alice_form, bob_form = form_fields(alice.get(url)), form_fields(bob.get(url))
    alice_form["lead"] = "Alice's lead."
    assert alice.post(url, alice_form).status_code == 302

    before = list(comparison.rows.values_list("dimension", flat=True))
    for index, position in enumerate([2, 0, 1]):
        bob_form[f"rows-{index}-position"] = str(position)
    refused = bob.post(url, bob_form)
    assert refused.status_code == 200
    assert "after you opened it" in errors_text(refused)
    assert list(comparison.rows.values_list("dimension", flat=True)) == before
    page = BeautifulSoup(refused.content, "html.parser")
    assert page.select_one("[name=rows-0-position]")["value"] == "2"

    fresh = form_fields(bob.get(url))
    for index, position in enumerate([2, 0, 1]):
        fresh[f"rows-{index}-position"] = str(position)
    assert bob.post(url, fresh).status_code == 302
    assert list(comparison.rows.values_list("dimension", flat=True)) == [
        before[1],
        before[2],
        before[0],
    ]
