"""Duplicating an item or an FAQ entry as a new draft: its fields, rows, cards, FAQ placements
and topics copied under a new address, never public, no redirect, one revision and an audit
entry (decision 0122)."""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction

from harness_cms.core.visibility import Status
from harness_cms.editorial import audit

# Fields a copy never takes from its original: it starts as a draft of its own.
RESET = {"status": Status.DRAFT, "publish_at": None, "unpublish_at": None, "version": 1}
# The longest suffix tried before giving up on a free slug ("-copy-99").
MAX_COPIES = 99


def copy_slug(obj):
    """The first free slug of "<slug>-copy", "<slug>-copy-2", … for a copy of ``obj``."""
    model = type(obj)
    limit = model._meta.get_field("slug").max_length
    for number in range(1, MAX_COPIES + 1):
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = f"{obj.slug[: limit - len(suffix)]}{suffix}"
        if not model._default_manager.filter(slug=candidate).exists():
            return candidate
    return f"{obj.slug[: limit - 5]}-copy"  # taken too: the form says so


def copy_title(obj):
    name = "question" if hasattr(obj, "question") else "title"
    limit = type(obj)._meta.get_field(name).max_length
    return f"{getattr(obj, name)[: limit - 7]} (copy)"


def build(obj, *, user, changes):
    """The unsaved copy of ``obj`` with ``changes`` (slug, title, roles…), checked as a save
    would check it; raises ValidationError (by field) and writes nothing."""
    model = type(obj)
    copy = model._default_manager.get(pk=obj.pk)
    # A new row, not the original's (with a parent table, both keys go).
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    # Not the original's address: saving it announces no move (no redirect).
    copy._saved_path = None
    copy._was_public = False
    for name, value in {**RESET, **changes}.items():
        setattr(copy, name, value)
    if hasattr(copy, "is_home"):
        copy.is_home = False  # one home page
    copy.updated_by = user
    if hasattr(copy, "derive"):
        copy.derive()
    copy.full_clean()
    return copy


@transaction.atomic
def duplicate(*, obj, user, changes=None):
    """Save a copy of ``obj`` as a new draft with its rows, cards, placements and topics;
    returns it. ValidationError (nothing written) when the copy could not be saved."""
    copy = build(obj, user=user, changes=changes or {})
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Duplicated from “{obj}”.")
        copy.save()
        copy.tags.set(list(obj.tags.names()))
        for relation, _label in type(obj).REVISION_CHILDREN:
            _copy_rows(obj, copy, relation)
    audit.record(audit.Action.DUPLICATED, copy, user=user, detail=f"From “{obj}”.")
    return copy


def _copy_rows(obj, copy, relation):
    rel = type(obj)._meta.get_field(relation)
    for row in getattr(obj, relation).all():
        row.pk = None
        row._state.adding = True
        setattr(row, rel.field.name, copy)
        if hasattr(row, "is_home"):
            row.is_home = False  # the original stays the question's home
        row.save()


def duplicate_many(objs, *, user):
    """Duplicate each of ``objs`` with the default slug and title; returns (copies, skipped:
    [(obj, reason)])."""
    copies, skipped = [], []
    for obj in objs:
        changes = {"slug": copy_slug(obj)}
        changes["question" if hasattr(obj, "question") else "title"] = copy_title(obj)
        if getattr(obj, "role_a_id", None):
            skipped.append(
                (
                    obj,
                    "a comparison's address is its two roles: duplicate it from its form, "
                    "choosing two other roles",
                )
            )
            continue
        try:
            copies.append(duplicate(obj=obj, user=user, changes=changes))
        except ValidationError as error:
            skipped.append((obj, " ".join(error.messages)))
    return copies, skipped
