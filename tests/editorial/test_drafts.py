"""Drafts over live items: a plain save keeps the changes aside, every public surface keeps
reading the live rows until someone with the publish permission publishes them."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from comparisons.models import Comparison, ComparisonRow
from faq.models import FAQPlacement
from harness_cms.core.generation import current_generation
from harness_cms.core.models import RelatedLink
from harness_cms.core.text import moment
from harness_cms.editorial import drafts
from harness_cms.editorial.models import Draft
from harness_cms.editorial.services import change_status
from tests.admin_forms import add_inline_rows, form_fields
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


def change_url(item):
    return reverse("admin:comparisons_comparison_change", args=[item.pk])


def draft_url(item):
    return reverse("admin:comparisons_comparison_draft", args=[item.pk])


@pytest.fixture
def live():
    comparison = make_comparison(rows=1, title="Live title", lead="The live lead.")
    comparison.tags.add("agents")
    return Comparison.objects.get(pk=comparison.pk)


def save_draft(client, item, *, button="_continue", **changes):
    data = form_fields(client.get(change_url(item)))
    data.update(changes)
    data[button] = "1"
    return client.post(change_url(item), data), data


def test_a_plain_save_of_a_live_comparison_keeps_a_draft_and_the_public_reads_live(
    editor_client, client, live
):
    faq = make_faq("Drafted question?")
    target = make_page("Drafted card target")
    data = form_fields(editor_client.get(change_url(live)))
    generation = current_generation()
    data.update({"title": "Zanzibar title", "lead": "The **draft** lead.", "tags": "memory"})
    data["rows-0-dimension"] = "Drafted dimension"
    add_inline_rows(data, "faq_placements", [{"faq": faq.pk, "position": 0}])
    cards = next(key[: -len("-TOTAL_FORMS")] for key in data if "links" in key and "TOTAL" in key)
    add_inline_rows(data, cards, [{"section": "related", "target": target.pk, "position": 0}])
    data["_continue"] = "1"
    response = editor_client.post(change_url(live), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    live.refresh_from_db()
    assert live.title == "Live title" and live.lead == "The live lead."
    assert list(live.tags.names()) == ["agents"]
    assert list(ComparisonRow.objects.values_list("dimension", flat=True)) == ["Dimension 0"]
    assert not FAQPlacement.objects.exists()
    # The public page, search, sitemap and feed read the live rows; no cache was invalidated.
    assert current_generation() == generation
    page = client.get(live.path)
    assert "Live title" in page.text and "Zanzibar title" not in page.text
    assert "Drafted dimension" not in page.text
    assert client.get("/search/?q=Zanzibar").context["results"].paginator.count == 0
    assert client.get("/search/?q=Live").context["results"].paginator.count == 1
    assert "Zanzibar title" not in client.get("/feed/").text
    assert "Live title" in client.get("/feed/").text
    # The draft holds everything the form held.
    draft = Draft.objects.get()
    snap = drafts.snapshot_of(draft)
    assert snap.values["title"] == "Zanzibar title" and snap.tags == ["memory"]
    kept = {child.label: rows for child, rows in snap.children.items()}
    assert [row.dimension for row in kept["Comparison rows"]] == ["Drafted dimension"]
    assert [row.faq_id for row in kept["FAQs on this page"]] == [faq.pk]
    assert [row.target_id for row in kept["Cards"]] == [target.pk]


def test_the_form_opens_on_the_draft_saying_whose_with_a_diff_and_a_preview(editor_client, live):
    save_draft(editor_client, live, title="Draft title", lead="Drafted lead.")
    response = editor_client.get(change_url(live))
    page = BeautifulSoup(response.content, "html.parser")
    notice = page.select_one(".harness-draft").get_text(" ", strip=True)
    assert "Changes not yet published, saved by" in notice
    assert page.select_one("#id_title")["value"] == "Draft title"
    assert page.select_one("input[name=_publish]") is not None
    assert page.select_one("input[name=_save]")["value"] == "Save draft"

    diff = editor_client.get(draft_url(live))
    assert diff.status_code == 200
    changed = [d.label for d in diff.context["diffs"] if d.changed]
    assert changed == ["Title", "Lead"]

    preview = editor_client.get(
        reverse("admin:comparisons_comparison_preview", args=[live.pk]) + "?draft=1"
    )
    assert preview.status_code == 200
    assert BeautifulSoup(preview.content, "html.parser").h1.get_text() == "Draft title"
    assert "no-store" in preview["Cache-Control"]

    listing = editor_client.get(reverse("admin:comparisons_comparison_changelist"))
    assert "Live + draft" in listing.text


def test_publish_changes_writes_the_draft_to_the_live_page_and_removes_it(
    editor_client, client, live
):
    _response, data = save_draft(editor_client, live, title="Published title")
    data = form_fields(editor_client.get(change_url(live)))
    data["_publish"] = "1"
    response = editor_client.post(change_url(live), data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Published title"
    assert not Draft.objects.exists()
    assert "Published title" in client.get(live.path).text
    assert Version.objects.get_for_object(live).count() == 1  # the publish is a revision


def test_publishing_from_the_draft_page_and_twice_at_once(editor_client, client, live):
    save_draft(editor_client, live, title="From the draft page", lead="New lead.")
    draft = Draft.objects.get()
    stale_copy = Draft.objects.get()
    response = editor_client.post(draft_url(live), {"action": "publish"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "From the draft page"
    assert "New lead." in client.get(live.path).text
    # The second editor's publish of the same draft: a clear refusal, nothing written twice.
    with pytest.raises(drafts.DraftError, match="published or discarded by someone else"):
        drafts.publish_draft(draft=stale_copy, user=None)
    assert draft.pk is not None and not Draft.objects.exists()


def test_a_draft_of_an_item_unpublished_meanwhile_is_not_published(editor_client, live):
    save_draft(editor_client, live, title="Drafted")
    live.refresh_from_db()
    change_status([live], to="draft", user=None, comment="Unpublished.")
    with pytest.raises(drafts.DraftError, match="changed after these changes were saved"):
        drafts.publish_draft(draft=Draft.objects.get(), user=None)
    live.refresh_from_db()
    assert live.title == "Live title" and live.status == "draft"
    # The form opens on the draft, with the item's status as it is now, and says so.
    page = BeautifulSoup(editor_client.get(change_url(live)).content, "html.parser")
    assert page.select_one(".harness-draft-stale") is not None
    assert page.select_one("#id_status option[selected]")["value"] == "draft"


def test_a_deleted_item_takes_its_draft_and_the_draft_page_says_so(editor_client, live):
    save_draft(editor_client, live, title="Drafted")
    live.delete()
    assert not Draft.objects.exists()
    response = editor_client.post(draft_url(live), {"action": "publish"}, follow=True)
    assert "no unpublished changes" in response.text


def test_a_form_opened_before_a_draft_was_saved_is_refused(editor_client, live):
    stale = form_fields(editor_client.get(change_url(live)))
    save_draft(editor_client, live, title="First draft")
    stale.update({"title": "Second editor", "_continue": "1"})
    response = editor_client.post(change_url(live), stale)
    assert response.status_code == 200
    assert "Not saved" in response.text and "Second editor" in response.text
    assert "(their change: a draft, not yet published)" in response.text
    assert drafts.snapshot_of(Draft.objects.get()).values["title"] == "First draft"


def test_discard_keeps_the_live_item(editor_client, live):
    save_draft(editor_client, live, title="Thrown away")
    editor_client.post(draft_url(live), {"action": "discard"})
    assert not Draft.objects.exists()
    page = BeautifulSoup(editor_client.get(change_url(live)).content, "html.parser")
    assert page.select_one("#id_title")["value"] == "Live title"


def test_publish_these_changes_at_a_time_publishes_them_when_it_comes(editor_client, client, live):
    when = timezone.localtime(timezone.now() + timedelta(hours=2))
    save_draft(
        editor_client,
        live,
        title="Scheduled title",
        draft_publish_at_0=when.strftime("%Y-%m-%d"),
        draft_publish_at_1=when.strftime("%H:%M:%S"),
    )
    assert Draft.objects.get().publish_at is not None
    call_command("publish_scheduled", stdout=StringIO())
    live.refresh_from_db()
    assert live.title == "Live title"
    with time_machine.travel(when + timedelta(minutes=1)):
        out = StringIO()
        call_command("publish_scheduled", stdout=out)
        assert "changes  " in out.getvalue()
    live.refresh_from_db()
    assert live.title == "Scheduled title" and not Draft.objects.exists()


def test_a_past_time_to_publish_the_changes_is_a_form_error(editor_client, live):
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    response, _ = save_draft(
        editor_client,
        live,
        title="Too late",
        draft_publish_at_0=past.strftime("%Y-%m-%d"),
        draft_publish_at_1=past.strftime("%H:%M:%S"),
    )
    assert response.status_code == 200
    assert "This time has passed" in response.text
    assert not Draft.objects.exists()


def test_a_draft_item_still_saves_straight_away(editor_client):
    draft_item = make_comparison(status="draft", title="Not live")
    data = form_fields(editor_client.get(change_url(draft_item)))
    data.update({"title": "Saved straight", "_continue": "1"})
    editor_client.post(change_url(draft_item), data)
    draft_item.refresh_from_db()
    assert draft_item.title == "Saved straight" and not Draft.objects.exists()


def test_cards_are_part_of_the_draft(editor_client, live):
    target = make_role("Card target")
    RelatedLink.objects.create(source=live, target=target, position=0)
    save_draft(editor_client, live, title="Cards drafted")
    snap = drafts.snapshot_of(Draft.objects.get())
    cards = next(rows for child, rows in snap.children.items() if child.model is RelatedLink)
    assert [card.target_id for card in cards] == [target.pk]


def test_a_draft_that_unpublishes_is_published_from_the_form_only(editor_client, live):
    """The form asks where the address leads when an item goes offline; the draft page cannot."""
    save_draft(editor_client, live, status="draft")
    with pytest.raises(drafts.DraftError, match="unpublish or reschedule"):
        drafts.publish_draft(draft=Draft.objects.get(), user=None)
    live.refresh_from_db()
    assert live.status == "published" and Draft.objects.exists()


def test_publishing_a_draft_writes_its_rows_placements_and_tags(editor_client, client, live):
    faq = make_faq("Placed by the draft?")
    data = form_fields(editor_client.get(change_url(live)))
    data["rows-0-dimension"] = "Published dimension"
    data["tags"] = "memory, sessions"
    add_inline_rows(data, "faq_placements", [{"faq": faq.pk, "position": 0}])
    data["_continue"] = "1"
    assert editor_client.post(change_url(live), data).status_code == 302
    assert editor_client.post(draft_url(live), {"action": "publish"}).status_code == 302
    live.refresh_from_db()
    assert list(live.rows.values_list("dimension", flat=True)) == ["Published dimension"]
    assert list(live.faq_placements.values_list("faq_id", flat=True)) == [faq.pk]
    assert sorted(live.tags.names()) == ["memory", "sessions"]
    page = client.get(live.path).text
    assert "Published dimension" in page and "Placed by the draft?" in page


def test_the_draft_preview_banner_says_it_shows_a_draft_and_whose(editor_client, live):
    """The banner of a draft's preview names what it shows (the draft, its author and save
    time), not the live item's status."""
    save_draft(editor_client, live, title="Banner draft title")
    draft = Draft.objects.get()
    preview = editor_client.get(
        reverse("admin:comparisons_comparison_preview", args=[live.pk]) + "?draft=1"
    )
    banner = BeautifulSoup(preview.content, "html.parser").select_one(".preview-banner")
    text = banner.get_text(" ", strip=True)
    assert "Published" not in text
    assert f"Draft, saved by {draft.saved_by.username}" in text
    assert moment(draft.saved_at) in text


def test_the_preview_of_unsaved_changes_says_so(editor_client, live):
    data = form_fields(editor_client.get(change_url(live)))
    data["title"] = "Typed, not saved"
    preview = editor_client.post(
        reverse("admin:comparisons_comparison_preview", args=[live.pk]), data
    )
    banner = BeautifulSoup(preview.content, "html.parser").select_one(".preview-banner")
    text = banner.get_text(" ", strip=True)
    assert "Unsaved changes" in text and "Published" not in text


def test_two_editors_pressing_publish_changes_on_the_same_draft_publish_it_once(editor, live):
    """Both open the form on the same draft and press Publish changes: the first publishes,
    the second is refused with the conflict message and keeps the text; nothing is written
    twice."""
    from tests.editorial.test_edit_conflicts import clients_for
    from tests.factories import make_staff

    alice, bob = clients_for(editor, make_staff("bob", "Editors"))
    save_draft(alice, live, title="The drafted title")
    alice_form = form_fields(alice.get(change_url(live)))
    bob_form = form_fields(bob.get(change_url(live)))
    assert alice_form["title"] == bob_form["title"] == "The drafted title"
    alice_form["_publish"] = bob_form["_publish"] = "1"
    assert alice.post(change_url(live), alice_form).status_code == 302
    revisions = Version.objects.get_for_object(Comparison.objects.get(pk=live.pk)).count()

    refused = bob.post(change_url(live), bob_form)
    assert refused.status_code == 200
    assert "Not saved: " in refused.text and "after you opened it" in refused.text
    assert 'value="The drafted title"' in refused.text
    live.refresh_from_db()
    assert live.title == "The drafted title" and not Draft.objects.exists()
    assert Version.objects.get_for_object(live).count() == revisions
