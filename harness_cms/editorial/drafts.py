"""Drafts over live items: a save of a live item keeps its changes aside until they are published.

Like Wagtail's "live + draft" pages (a live row and a newer revision): the live rows stay as they
are, so the page, sitemap, search, feed, JSON-LD, page cache and static export keep reading
them; the draft holds the form as posted (to open the form on it again) and the content it
describes (fields, rows, cards, FAQ placements, tags), which publishing writes in one
transaction and one revision (docs/decisions/0090).
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

import reversion
import reversion.models
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.utils import timezone

from harness_cms.core.signals import publication_changed
from harness_cms.core.text import moment
from harness_cms.core.versions import EditConflict, claim_version
from harness_cms.core.visibility import Status, publishable_models
from harness_cms.editorial import audit
from harness_cms.editorial.models import Draft, ReviewComment
from harness_cms.editorial.revisions import (
    RestoreError,
    Snapshot,
    check_content,
    children_of,
    shown_fields,
    write_content,
)

# Posted names that are not the content: the buttons, the token, the version the form was
# opened at (the draft's own version replaces it when the form opens on the draft).
NOT_CONTENT = {
    "csrfmiddlewaretoken",
    "_save",
    "_continue",
    "_addanother",
    "_publish",
    "_preview",
    "loaded_version",
    "_submit_review",
}


log = logging.getLogger(__name__)

PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")


class DraftError(Exception):
    """The draft cannot be published (or saved); the message says why, nothing was written."""


def is_live(obj):
    """Whether the public sees ``obj`` now: then a plain save keeps a draft instead."""
    if obj is None or obj.pk is None:
        return False
    public = getattr(type(obj), "is_public", None)
    return obj.is_public if public is not None else obj.is_published


def draft_of(obj):
    """The draft of ``obj``, or None."""
    if obj is None or obj.pk is None:
        return None
    return (
        Draft.objects.filter(content_type=_type_of(obj), object_id=obj.pk)
        .select_related("saved_by", "scheduled_by")
        .first()
    )


def drafts_of(model):
    """The drafts of ``model``'s objects (for a list's "Live + draft")."""
    return Draft.objects.filter(content_type=ContentType.objects.get_for_model(model))


def _type_of(obj):
    return ContentType.objects.get_for_model(type(obj))


def save_draft(*, obj, rows, tags, form_data, user, expected_version, publish_at=None):
    """Keep the changes of ``obj`` (changed in memory, not saved) as its draft.

    ``rows`` maps each row model to the rows the form holds, ``tags`` are the topic names.
    The item takes the next version (only that column: the public rows stay as they are), so
    a form opened before this save is refused as for any save (decision 0031); raises
    :class:`~harness_cms.core.versions.EditConflict` when someone saved since
    ``expected_version``.
    """
    content = {
        "values": {f.attname: f.value_from_object(obj) for f in shown_fields(type(obj))},
        "rows": {
            child.model._meta.label: serializers.serialize("python", rows.get(child.model, []))
            for child in children_of(type(obj))
        },
        "tags": sorted(tags or []),
    }
    data = {key: values for key, values in form_data.lists() if key not in NOT_CONTENT}
    now = timezone.now()
    with transaction.atomic():
        claim_version(obj, expected=expected_version)
        draft, _created = Draft.objects.update_or_create(
            content_type=_type_of(obj),
            object_id=obj.pk,
            defaults={
                "form_data": data,
                "content": content,
                "base_version": obj.version,
                "saved_by": user,
                "saved_at": now,
                "publish_at": publish_at,
                "scheduled_by": user if publish_at else None,
            },
        )
    return draft


def snapshot_of(draft, model=None):
    """The content ``draft`` holds, in the shape of :func:`revisions.snapshot`."""
    model = model or draft.content_type.model_class()
    values = {}
    for model_field in shown_fields(model):
        if model_field.attname in draft.content["values"]:
            raw = draft.content["values"][model_field.attname]
            values[model_field.attname] = None if raw is None else model_field.to_python(raw)
    children = {}
    for child in children_of(model):
        stored = draft.content["rows"].get(child.model._meta.label, [])
        rows = [entry.object for entry in serializers.deserialize("python", stored)]
        children[child] = sorted(rows, key=_in_model_order(child.model))
    return Snapshot(model=model, values=values, children=children, tags=draft.content["tags"])


def _in_model_order(model):
    """A sort key in ``model``'s own ordering, as the live rows are read (new rows last)."""
    names = [name for name in model._meta.ordering if "__" not in name.lstrip("-")]

    def key(row):
        values = [getattr(row, name.lstrip("-")) for name in names if name.lstrip("-") != "pk"]
        return (*((value is None, value) for value in values), (row.pk is None, row.pk))

    return key


def as_item(draft, obj):
    """A copy of ``obj`` with the draft's fields set (nothing saved), for a preview."""
    item = type(obj)._base_manager.get(pk=obj.pk)
    for attname, value in snapshot_of(draft, type(obj)).values.items():
        setattr(item, attname, value)
    return item


def opened_data(draft, obj):
    """The data to open ``obj``'s change form on: the draft's, at the item's current version.

    When the item changed after the draft was saved (unpublished, say), or the draft was made
    by someone who may not publish, its publishing fields are the item's as they are now, so
    that saving the draft's form never undoes that.
    """
    data = {key: list(values) for key, values in draft.form_data.items()}
    data["loaded_version"] = [str(obj.version)]
    # A proposal made without the publish permission carries no publishing fields (they were
    # read-only): an editor opening it sees the item's own.
    if draft.base_version != obj.version or "status" not in data:
        for name in PUBLISHING_FIELDS:
            value = getattr(obj, name)
            if name == "status":
                data[name] = [value]
            else:
                local = timezone.localtime(value) if value else None
                data[f"{name}_0"] = [local.strftime("%Y-%m-%d") if local else ""]
                data[f"{name}_1"] = [local.strftime("%H:%M:%S") if local else ""]
                data.pop(name, None)
    return data


def is_stale(draft, obj):
    """Whether ``obj`` changed (was published, unpublished, restored…) after the draft."""
    return draft.base_version != obj.version


def publish_draft(*, draft, user, comment="Published the draft."):
    """Write ``draft`` to its item as a new revision, rows and tags included, and remove it.

    Refused (:class:`DraftError`, nothing written) when the draft was published or discarded
    meanwhile, the item was deleted or changed since the draft was saved, or the content no
    longer validates (a role deleted, a slug taken).
    """
    model = draft.content_type.model_class()
    with transaction.atomic():
        current = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if current is None:
            raise DraftError(
                "Nothing published: these changes were published or discarded by someone else "
                "a moment ago. Open the item to see what is live now."
            )
        obj = model._base_manager.filter(pk=current.object_id).first()
        if obj is None:
            current.delete()
            raise DraftError(
                f"Nothing published: the {model._meta.verbose_name} was deleted after these "
                "changes were saved."
            )
        if is_stale(current, obj):
            raise DraftError(
                f"Nothing published: “{obj}” changed after these changes were saved (it may have "
                "been published, unpublished or restored). Open the form, which shows the draft "
                "over what is live now, check it and save it again."
            )
        if obj.status != Status.PUBLISHED:
            raise DraftError(
                f"Nothing published: “{obj}” is {obj.get_status_display().lower()}, not live. "
                "Open the form to save the changes straight to it."
            )
        was_live = is_live(obj)
        snap = snapshot_of(current, model)
        if any(
            name in snap.values and not _same(snap.values[name], getattr(obj, name))
            for name in PUBLISHING_FIELDS
        ):
            # Taking it offline or moving its window asks where its address should lead: the
            # form asks that, this does not.
            raise DraftError(
                f"Nothing published: these changes unpublish or reschedule “{obj}”. Open the "
                "form and press Publish changes there, where you choose where its address "
                "leads."
            )
        try:
            check_content(obj, snap)
        except RestoreError as error:
            raise DraftError("Nothing published. " + " ".join(error.problems)) from error
        try:
            with reversion.create_revision():
                reversion.set_user(user)
                reversion.set_comment(comment)
                claim_version(obj, expected=current.base_version)
                write_content(obj, snap, user=user)
        except EditConflict as conflict:
            raise DraftError(
                f"Nothing published: someone saved “{obj}” at the same moment. Open the form."
            ) from conflict
        except IntegrityError as error:
            raise DraftError(f"Nothing published: the database refused it ({error}).") from error
        current.delete()
        audit.record(audit.Action.PUBLISHED, obj, user=user, detail=comment)
    if is_live(obj) != was_live:
        publication_changed.send(
            sender=Status,
            instances=[obj],
            went="live" if is_live(obj) else "offline",
            by="editor",
        )
    return obj


def _same(drafted, live):
    """Equal, times to the second (the form shows seconds, the item keeps microseconds)."""
    if isinstance(drafted, datetime) and isinstance(live, datetime):
        return abs(drafted - live) < timedelta(seconds=1)
    return drafted == live


def discard_draft(*, draft):
    """Remove the draft: the live item stays as it is. False if it was already gone."""
    deleted, _ = Draft.objects.filter(pk=draft.pk).delete()
    return bool(deleted)


def discard_drafts_of(obj):
    """Remove the draft of ``obj`` (published from its form, or deleted)."""
    Draft.objects.filter(content_type=_type_of(obj), object_id=obj.pk).delete()


def connect_draft_signals():
    """A deleted item takes its draft with it (called once, from the app's ``ready()``)."""
    for model in publishable_models():
        post_delete.connect(
            _item_deleted, sender=model, dispatch_uid=f"draft:{model._meta.label}:delete"
        )


def _item_deleted(sender, instance, **kwargs):
    discard_drafts_of(instance)


@dataclass
class DueReport:
    published: list
    refused: list  # (draft, reason)


def publish_due_drafts(*, now=None):
    """Publish every draft whose "publish these changes at" time has come, as the editor who
    scheduled it; a draft that can no longer be published is left, with the reason."""
    now = now or timezone.now()
    report = DueReport([], [])
    due = Draft.objects.filter(publish_at__lte=now).select_related("content_type", "scheduled_by")
    for draft in list(due):
        try:
            obj = publish_draft(
                draft=draft,
                user=draft.scheduled_by,
                comment="Published the draft at its scheduled time.",
            )
        except DraftError as error:
            report.refused.append((draft, str(error)))
        else:
            report.published.append(obj)
    return report


# --- Review -----------------------------------------------------------------------------------


def awaiting_review():
    """Drafts submitted for review, oldest first (the queue and the admin index read it)."""
    return (
        Draft.objects.filter(submitted_at__isnull=False)
        .select_related("content_type", "submitted_by", "saved_by")
        .order_by("submitted_at")
    )


def comments_on(obj):
    """The review steps of ``obj``, newest first."""
    return ReviewComment.objects.filter(
        content_type=_type_of(obj), object_id=obj.pk
    ).select_related("by", "revision")


def submit_for_review(*, draft, user, note=""):
    """Ask an editor to review ``draft``; the note stays with the item's review steps."""
    now = timezone.now()
    Draft.objects.filter(pk=draft.pk).update(submitted_by=user, submitted_at=now, review_note=note)
    draft.submitted_by, draft.submitted_at, draft.review_note = user, now, note
    _keep_comment(draft, ReviewComment.Action.SUBMITTED, note, user=user, at=now)


def _check_reviewed(draft, seen_saved_at):
    """The reviewer decided on the draft as it was at ``seen_saved_at``; a newer save is not
    what they read."""
    current = Draft.objects.filter(pk=draft.pk).select_related("saved_by").first()
    if current is None:
        raise DraftError(
            "Nothing done: these changes were published or discarded by someone else meanwhile."
        )
    if seen_saved_at is None or current.saved_at != seen_saved_at:
        who = current.saved_by.get_username() if current.saved_by else "Someone"
        raise DraftError(
            f"Nothing done: {who} saved a newer draft at "
            f"{moment(current.saved_at)} after you opened this "
            "one. Read the newer changes below and decide on them."
        )
    if current.submitted_at is None:
        raise DraftError("Nothing done: these changes are not awaiting review any more.")
    return current


def _keep_comment(draft, action, text, *, user, at=None, revision=None):
    """A step of ``draft``'s review, kept with its item (and the revision it published)."""
    ReviewComment.objects.create(
        content_type_id=draft.content_type_id,
        object_id=draft.object_id,
        action=action,
        text=text,
        by=user,
        at=at or timezone.now(),
        revision=revision,
    )


def request_changes(*, draft, user, comment, seen_saved_at):
    """Send ``draft`` back to its author with ``comment``; it stays a draft, not submitted."""
    if not comment.strip():
        raise DraftError("Say what should change: the comment is what the author reads.")
    current = _check_reviewed(draft, seen_saved_at)
    author = current.submitted_by or current.saved_by
    Draft.objects.filter(pk=current.pk).update(submitted_at=None)
    _keep_comment(current, ReviewComment.Action.CHANGES_REQUESTED, comment, user=user)
    item = current.item
    _notify(
        author,
        f"Changes requested: {item}",
        f"{_who(user)} asked for changes to your draft of “{item}”:\n\n{comment}\n",
    )


def approve(*, draft, user, seen_saved_at, comment=""):
    """Publish ``draft`` as its reviewer; the approval is kept with the revision it made."""
    current = _check_reviewed(draft, seen_saved_at)
    author = current.submitted_by or current.saved_by
    obj = publish_draft(draft=current, user=user, comment="Approved and published the draft.")
    version = reversion.models.Version.objects.get_for_object(obj).first()
    _keep_comment(
        current,
        ReviewComment.Action.APPROVED,
        comment,
        user=user,
        revision=version.revision if version else None,
    )
    _notify(
        author,
        f"Published: {obj}",
        f"{_who(user)} approved and published your changes to “{obj}”.\n\n"
        f"{settings.SITE_URL}{obj.get_absolute_url()}\n",
    )
    return obj


def _who(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def _notify(user, subject, body):
    """Tell ``user`` by email (Django's mail framework); a failing mail server is logged, the
    review step itself stands."""
    if user is None or not user.email:
        return
    try:
        send_mail(f"[Harness CMS] {subject}", body, None, [user.email])
    except (smtplib.SMTPException, OSError):
        log.exception("review: the email to %s could not be sent", user.email)
