"""The trash: a deleted item keeps its rows, cards, FAQ placements, redirects and topics and
comes back at its address; an address taken since is a clear refusal; old items are purged."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comparisons.models import Comparison
from faq.models import FAQPlacement
from harness_cms.core.models import ContentItem, Redirect, RelatedLink
from harness_cms.editorial import trash
from harness_cms.editorial.models import TrashedItem
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def comparison():
    item = make_comparison(rows=2, title="Harness Engineer vs AI Engineer", lead="Kept lead.")
    item.tags.add("agents")
    make_faq("Placed here?", on=[item])
    RelatedLink.objects.create(source=item, target=make_page("Card target"), position=0)
    RelatedLink.objects.create(source=make_page("Links in"), target=item, position=0)
    Redirect.objects.create(old_path="/compare/old-name/", target=item)
    return Comparison.objects.get(pk=item.pk)


def delete(client, item):
    url = reverse("admin:comparisons_comparison_delete", args=[item.pk])
    return client.post(url, {"post": "yes"}, follow=True)


def restore_url(trashed):
    return reverse("admin:editorial_trasheditem_restore", args=[trashed.pk])


def test_delete_moves_to_the_trash_and_restore_puts_it_all_back(editor_client, client, comparison):
    path = comparison.path
    response = delete(editor_client, comparison)
    assert "is in the trash" in response.text
    assert client.get(path).status_code == 404
    assert not FAQPlacement.objects.exists()
    trashed = TrashedItem.objects.get()
    listing = editor_client.get(reverse("admin:editorial_trasheditem_changelist"))
    assert "Harness Engineer vs AI Engineer" in listing.text
    assert editor_client.get(restore_url(trashed)).status_code == 200  # the confirmation

    response = editor_client.post(restore_url(trashed), follow=True)
    assert "Restored “Harness Engineer vs AI Engineer” at its address" in response.text
    restored = Comparison.objects.get(pk=comparison.pk)
    assert restored.path == path and restored.lead == "Kept lead."
    assert restored.rows.count() == 2
    assert list(restored.tags.names()) == ["agents"]
    assert restored.faq_placements.get().faq.question == "Placed here?"
    assert restored.links.get().target.title == "Card target"
    assert RelatedLink.objects.get(source__title="Links in").target_id == restored.pk
    assert Redirect.objects.get(old_path="/compare/old-name/").target_id == restored.pk
    assert not TrashedItem.objects.exists()
    page = client.get(path)
    assert page.status_code == 200 and "Placed here?" in page.text


def test_restoring_onto_an_address_now_taken_is_refused_and_overwrites_nothing(
    editor_client, comparison
):
    delete(editor_client, comparison)
    newcomer = make_comparison(
        comparison.role_a, comparison.role_b, title="The newcomer", lead="New."
    )
    assert newcomer.path == comparison.path
    response = editor_client.post(restore_url(TrashedItem.objects.get()), follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert f"its address {comparison.path} is now used by the comparison “The newcomer”" in said
    assert ContentItem.objects.get(path=comparison.path).title == "The newcomer"
    assert TrashedItem.objects.exists()


def test_restoring_what_refers_to_something_deleted_since_says_what(editor_client, comparison):
    delete(editor_client, comparison)
    make_faq("Other?")  # unrelated
    from faq.models import FAQ

    FAQ.objects.filter(question="Placed here?").delete()
    with pytest.raises(trash.TrashError, match="has been deleted"):
        trash.restore(trashed=TrashedItem.objects.get(), user=None)
    assert not Comparison.objects.exists()


def test_purge_removes_only_what_is_older_than_the_retention(editor_client, comparison, settings):
    settings.TRASH_RETENTION_DAYS = 30
    delete(editor_client, comparison)
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert "Purged 0" in out.getvalue() and TrashedItem.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        call_command("purge_trash", stdout=out)
    assert not TrashedItem.objects.exists()


def test_a_restore_after_a_purge_says_so(editor_client, comparison):
    delete(editor_client, comparison)
    trashed = TrashedItem.objects.get()
    call_command("purge_trash", days=0, stdout=StringIO())
    with pytest.raises(trash.TrashError, match="restored or purged"):
        trash.restore(trashed=trashed, user=None)
    response = editor_client.post(restore_url(trashed), follow=True)
    assert "restored or purged" in response.text


def test_a_bulk_delete_goes_to_the_trash_too(editor_client, comparison):
    other = make_role("Lonely role", status="draft")
    url = reverse("admin:comparisons_role_changelist")
    editor_client.post(
        url, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )
    assert TrashedItem.objects.get().title == "Lonely role"


def test_faq_staff_see_no_trash(faq_staff_client):
    assert (
        faq_staff_client.get(reverse("admin:editorial_trasheditem_changelist")).status_code == 403
    )
