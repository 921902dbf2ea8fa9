"""Review: FAQ staff propose changes to a live FAQ as a draft submitted with a note; editors
find it on the admin index and the queue, approve it (which publishes it) or request changes
with a comment; the author is emailed; every step is kept with the item."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from faq.models import FAQ
from harness_cms.editorial import drafts
from harness_cms.editorial.models import Draft, ReviewComment
from tests.admin_forms import form_fields
from tests.factories import make_faq, make_role

pytestmark = pytest.mark.django_db


def change_url(faq):
    return reverse("admin:faq_faq_change", args=[faq.pk])


def draft_url(faq):
    return reverse("admin:faq_faq_draft", args=[faq.pk])


@pytest.fixture
def people(editor, faq_staff):
    faq_staff.email = "helper@example.com"
    faq_staff.save()
    clients = {}
    for name, user in (("editor", editor), ("staff", faq_staff)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


@pytest.fixture
def live_faq():
    return make_faq("Is it live?", answer="The live answer.", on=[make_role("Harness Engineer")])


def propose(client, faq, answer, note="Clearer answer."):
    data = form_fields(client.get(change_url(faq)))
    data.update({"answer": answer, "review_note": note, "_submit_review": "1"})
    return client.post(change_url(faq), data)


def test_faq_staff_propose_changes_to_a_live_faq_for_review(people, live_faq, client):
    form = BeautifulSoup(people["staff"].get(change_url(live_faq)).content, "html.parser")
    assert form.select_one("#id_answer") is not None  # no longer read-only
    assert form.select_one("#id_status") is None  # whether it is live is not theirs to change
    assert form.select_one("input[name=_publish]") is None
    assert form.select_one("input[name=_submit_review]") is not None

    response = propose(people["staff"], live_faq, "A proposed answer.")
    assert response.status_code == 302
    live_faq.refresh_from_db()
    assert live_faq.answer == "The live answer." and live_faq.status == "published"
    draft = Draft.objects.get()
    assert draft.awaiting_review and draft.review_note == "Clearer answer."
    assert "A proposed answer." not in client.get("/faq/").text

    # They cannot publish it themselves.
    data = form_fields(people["staff"].get(change_url(live_faq)))
    data["_publish"] = "1"
    assert people["staff"].post(change_url(live_faq), data).status_code == 403
    assert people["staff"].post(draft_url(live_faq), {"action": "approve"}).status_code == 403
    assert people["staff"].post(draft_url(live_faq), {"action": "publish"}).status_code == 403


def test_editors_see_it_awaiting_review_and_approving_publishes_and_emails(people, live_faq):
    propose(people["staff"], live_faq, "A proposed answer.")
    index = BeautifulSoup(people["editor"].get(reverse("admin:index")).content, "html.parser")
    box = index.select_one("#awaiting-review")
    assert "Is it live?" in box.get_text() and "Clearer answer." in box.get_text()
    queue = people["editor"].get(box.select("a")[-1]["href"])
    assert queue.status_code == 200 and "Is it live?" in queue.text
    # FAQ staff see no queue.
    staff_index = people["staff"].get(reverse("admin:index")).text
    assert "Awaiting review" not in staff_index

    page = BeautifulSoup(people["editor"].get(draft_url(live_faq)).content, "html.parser")
    seen = page.select_one("input[name=seen]")["value"]
    response = people["editor"].post(
        draft_url(live_faq), {"action": "approve", "seen": seen, "comment": "Thanks."}
    )
    assert response.status_code == 302
    live_faq.refresh_from_db()
    assert live_faq.answer == "A proposed answer." and not Draft.objects.exists()
    approved = ReviewComment.objects.get(action="approved")
    assert approved.revision is not None and approved.text == "Thanks."
    assert [m.to for m in mail.outbox] == [["helper@example.com"]]
    assert "approved and published" in mail.outbox[0].body


def test_request_changes_with_a_comment_sends_it_back_and_keeps_the_comment(people, live_faq):
    propose(people["staff"], live_faq, "A rushed answer.")
    seen = Draft.objects.get().saved_at.isoformat()
    empty = people["editor"].post(
        draft_url(live_faq), {"action": "changes", "seen": seen, "comment": " "}, follow=True
    )
    assert "Say what should change" in empty.text and Draft.objects.get().awaiting_review
    response = people["editor"].post(
        draft_url(live_faq),
        {"action": "changes", "seen": seen, "comment": "Name the two roles."},
        follow=True,
    )
    assert "Changes requested" in response.text
    draft = Draft.objects.get()
    assert not draft.awaiting_review
    assert ReviewComment.objects.get(action="changes").text == "Name the two roles."
    assert "Name the two roles." in mail.outbox[0].body
    # The author reads the comment where they work, and the live answer never changed.
    page = people["staff"].get(draft_url(live_faq)).text
    assert "Name the two roles." in page
    assert FAQ.objects.get().answer == "The live answer."


def test_approving_a_draft_that_has_a_newer_draft_is_refused_clearly(people, live_faq):
    propose(people["staff"], live_faq, "First proposal.")
    seen = Draft.objects.get().saved_at.isoformat()
    data = form_fields(people["staff"].get(change_url(live_faq)))
    data.update({"answer": "A newer proposal.", "_continue": "1"})
    assert people["staff"].post(change_url(live_faq), data).status_code == 302
    response = people["editor"].post(
        draft_url(live_faq), {"action": "approve", "seen": seen}, follow=True
    )
    assert "saved a newer draft" in response.text
    assert FAQ.objects.get().answer == "The live answer."
    assert not ReviewComment.objects.filter(action="approved").exists()


def test_a_review_step_on_a_draft_gone_meanwhile_says_so(people, live_faq):
    propose(people["staff"], live_faq, "Proposal.")
    draft = Draft.objects.get()
    drafts.discard_draft(draft=draft)
    with pytest.raises(drafts.DraftError, match="published or discarded"):
        drafts.approve(draft=draft, user=None, seen_saved_at=draft.saved_at)


def test_an_editor_opens_a_proposal_on_the_form_with_the_items_publishing_fields(people, live_faq):
    propose(people["staff"], live_faq, "A proposed answer.")
    response = people["editor"].get(change_url(live_faq))
    form = response.context["adminform"].form
    assert not form.errors
    assert form["answer"].value() == "A proposed answer."
    assert form["status"].value() == "published"
    data = form_fields(response)
    data["_publish"] = "1"
    assert people["editor"].post(change_url(live_faq), data).status_code == 302
    live_faq.refresh_from_db()
    assert live_faq.answer == "A proposed answer." and live_faq.status == "published"
    assert not Draft.objects.exists()
