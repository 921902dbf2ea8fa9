"""Revisions of content: what each one holds, field-by-field differences, restoring one.

django-reversion stores the revisions (docs/decisions/0030). Every save of a role, comparison,
page or FAQ entry through the admin, a bulk action, a restore or an import keeps one revision
holding the item, its base row, its rows and shared points, its FAQ placements, its cards and
its tags; restoring writes all of that back as a new revision.
"""

import difflib
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils.text import capfirst
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from harness_cms.core.text import moment
from harness_cms.core.versions import bump_version, touch
from harness_cms.core.visibility import publishable_models

# Never written back by a restore: the publishing state stays as it is now (restoring brings
# back content, it does not publish or unpublish), and the bookkeeping fields.
NOT_RESTORED = {"status", "publish_at", "unpublish_at", "version", "updated_by", "updated_at"}


@dataclass(frozen=True)
class Child:
    """Rows that belong to an item and travel with its revisions."""

    model: type
    fk: str  # the field pointing at the owner
    label: str


def children_of(model):
    """The rows that travel with ``model``'s revisions, as its ``REVISION_CHILDREN`` name them."""
    children = []
    for relation, label in getattr(model, "REVISION_CHILDREN", ()):
        related = model._meta.get_field(relation)
        children.append(Child(related.related_model, related.field.name, label))
    return children


def register_models():
    """Tell django-reversion what each revision holds (called once, from AppConfig.ready):
    every publishable kind with its base row, its tags and its ``REVISION_CHILDREN``."""
    for model in publishable_models():
        if reversion.is_registered(model):
            continue
        parents = [field.name for field in model._meta.parents.values() if field is not None]
        for parent in model._meta.parents:
            if not reversion.is_registered(parent):
                # Tags are stored against the concrete kind (Role, not ContentItem): they are
                # followed from there.
                relations = [relation for relation, _label in parent.REVISION_CHILDREN]
                reversion.register(parent, exclude=["tags"], follow=relations)
        own = [
            relation
            for relation, _label in model.REVISION_CHILDREN
            if model._meta.get_field(relation).model is model
        ]
        exclude = [] if parents else ["tags"]
        reversion.register(model, exclude=exclude, follow=[*parents, "tagged_items", *own])
        for child in children_of(model):
            if not reversion.is_registered(child.model):
                reversion.register(child.model)
    if not reversion.is_registered(TaggedItem):
        reversion.register(Tag)
        reversion.register(TaggedItem, follow=["tag"])


@cache
def owners_of_rows():
    """``{row model: [(owner model, field pointing at the owner)]}`` for every row that an
    editor's form shows as part of an object (``REVISION_CHILDREN``): an FAQ placement belongs
    to its item and to its FAQ entry, a card to the item it is on."""
    owners = defaultdict(list)
    for model in publishable_models():
        for child in children_of(model):
            owner = child.model._meta.get_field(child.fk).related_model
            pair = (owner, child.model._meta.get_field(child.fk).attname)
            if pair not in owners[child.model]:
                owners[child.model].append(pair)
    return owners


def connect_row_signals():
    """Whenever a row of an object changes, from anywhere (its own form's inlines, the card
    admin, the FAQ form's "Appears on", imports, restores), the object takes the next version
    and records who changed it, so that a form opened before is refused instead of writing
    the old row back (decision 0031); inside a revision, the object joins it, so its history
    shows the change. Called once, from the app's ``ready()``."""
    owners = {owner for pairs in owners_of_rows().values() for owner, _ in pairs}
    for owner in owners:
        uid = f"row-version:{owner._meta.label}"
        pre_delete.connect(_owner_deleting, sender=owner, dispatch_uid=f"{uid}:pre-delete")
        post_delete.connect(_owner_deleted, sender=owner, dispatch_uid=f"{uid}:post-delete")
    for row_model in owners_of_rows():
        uid = f"row-version:{row_model._meta.label}"
        post_save.connect(_row_changed, sender=row_model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_row_changed, sender=row_model, dispatch_uid=f"{uid}:delete")


# Objects being deleted right now: their rows go first (a cascade), and there is nothing left
# to refuse an old form of.
_deleting = set()


def _owner_deleting(sender, instance, **kwargs):
    _deleting.add((sender, instance.pk))


def _owner_deleted(sender, instance, **kwargs):
    _deleting.discard((sender, instance.pk))


def _row_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    user = reversion.get_user() if reversion.is_active() else None
    for owner_model, attname in owners_of_rows()[sender]:
        pk = getattr(instance, attname)
        if pk is None or (owner_model, pk) in _deleting:
            continue
        if not touch(owner_model, pk, by=user) or not reversion.is_active():
            continue
        owner = owner_model._base_manager.filter(pk=pk).first()
        specific = getattr(owner, "specific", None)
        reversion.add_to_revision(specific() if specific else owner)


def history(obj):
    """The object's versions, newest first, each with its revision number (1 = oldest)."""
    versions = list(
        Version.objects.get_for_object(obj).select_related("revision", "revision__user")
    )
    for number, version in zip(range(len(versions), 0, -1), versions, strict=True):
        version.number = number
    return versions


# --- What a revision holds -------------------------------------------------------------------


@dataclass
class Snapshot:
    """An item as one revision holds it: field values, child rows and tag names."""

    model: type
    values: dict  # attname -> value, parents' fields included
    children: dict = field(default_factory=dict)  # Child -> [unsaved instances, in order]
    tags: list = field(default_factory=list)


def snapshot(version):
    """Read the item of ``version`` and everything that belongs to it from its revision."""
    model = version._model
    versions = list(version.revision.version_set.all())
    by_model = defaultdict(list)
    for entry in versions:
        by_model[entry._model].append(entry)
    pk = _pk_value(model, version.object_id)
    snap = Snapshot(model=model, values=dict(version.field_dict))
    for child in children_of(model):
        attname = child.model._meta.get_field(child.fk).attname
        rows = [
            entry._object_version.object
            for entry in by_model.get(child.model, [])
            if getattr(entry._object_version.object, attname) == pk
        ]
        snap.children[child] = sorted(rows, key=lambda row: (getattr(row, "position", 0), row.pk))
    content_type = ContentType.objects.get_for_model(model)
    tag_names = {
        int(entry.object_id): entry._object_version.object.name for entry in by_model.get(Tag, [])
    }
    snap.tags = sorted(
        tag_names.get(item.tag_id, f"tag #{item.tag_id}")
        for item in (entry._object_version.object for entry in by_model.get(TaggedItem, []))
        if item.object_id == pk and item.content_type_id == content_type.pk
    )
    return snap


def current_snapshot(obj):
    """The item as it is in the database now, in the same shape as :func:`snapshot`."""
    model = type(obj)
    values = {}
    for model_field in model._meta.concrete_fields:
        values[model_field.attname] = getattr(obj, model_field.attname)
    snap = Snapshot(model=model, values=values)
    for child in children_of(model):
        snap.children[child] = list(child.model.objects.filter(**{child.fk: obj.pk}))
    snap.tags = sorted(obj.tags.names())
    return snap


def _pk_value(model, object_id):
    return model._meta.pk.to_python(object_id)


# --- Differences -----------------------------------------------------------------------------


@dataclass
class FieldDiff:
    label: str
    lines: list  # (op, text): op is " ", "-", "+" or "…" (unchanged lines left out)
    changed: bool


def shown_fields(model):
    """The fields an editor writes, in form order: editable, not computed."""
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.editable and not model_field.primary_key and not model_field.auto_created
    ]


def is_markdown(model, model_field):
    return any(f.name == f"{model_field.name}_html" for f in model._meta.concrete_fields)


def as_lines(model, snap, *, skip=()):
    """Each field of a snapshot as (label, lines) for diffing; rows and cards one per line."""
    result = []
    for model_field in shown_fields(model):
        if model_field.name in skip:
            continue
        value = snap.values.get(model_field.attname)
        label = capfirst(model_field.verbose_name)
        if is_markdown(model, model_field):
            lines = (value or "").splitlines()
        else:
            lines = [_display(model_field, value)]
        result.append((label, lines))
    result.append(("Tags", [", ".join(snap.tags)]))
    for child, rows in snap.children.items():
        result.append((child.label, [_describe_row(child, row) for row in rows]))
    return result


def diff(model, old, new, *, skip=()):
    """Field-by-field differences from snapshot ``old`` to ``new``; Markdown by lines.

    ``skip`` names fields to leave out (a restore's preview leaves out what it keeps).
    """
    result = []
    old_fields, new_fields = as_lines(model, old, skip=skip), as_lines(model, new, skip=skip)
    for (label, before), (_, after) in zip(old_fields, new_fields, strict=True):
        result.append(FieldDiff(label, line_diff(before, after), before != after))
    return result


def line_diff(before, after, *, context=2):
    """Lines removed ("-"), added ("+") and kept (" "), long kept runs shortened to "…"."""
    lines = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            kept = before[a0:a1]
            if len(kept) > 2 * context + 1:
                head = kept[:context] if a0 > 0 else []
                tail = kept[-context:] if a1 < len(before) else []
                lines += [(" ", text) for text in head]
                lines.append(("…", f"{len(kept) - len(head) - len(tail)} unchanged lines"))
                lines += [(" ", text) for text in tail]
            else:
                lines += [(" ", text) for text in kept]
            continue
        lines += [("-", text) for text in before[a0:a1]]
        lines += [("+", text) for text in after[b0:b1]]
    return lines


def _display(model_field, value):
    if value is None or value == "":
        return "(empty)"
    if isinstance(model_field, models.ForeignKey):
        return _name_of(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField):
        return moment(value)
    if isinstance(model_field, models.BooleanField):
        return "yes" if value else "no"
    return str(value)


def _describe_row(child, row):
    return row.revision_line(owner=child.fk, name_of=_name_of)


def _name_of(model, pk):
    obj = model._base_manager.filter(pk=pk).first()
    if obj is not None:
        return str(obj)
    return f"{_last_known_name(model, pk)} (deleted)"


def _last_known_name(model, pk):
    version = Version.objects.get_for_object_reference(model, pk).first()
    if version is None:
        return f"{model._meta.verbose_name} #{pk}"
    return f"{model._meta.verbose_name} “{version.object_repr}”"


# --- Restoring -------------------------------------------------------------------------------


class RestoreError(Exception):
    """The revision cannot be written back; ``problems`` says why, nothing was written."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def missing_references(snap):
    """What the revision points at that no longer exists, as sentences for the editor."""
    problems = []
    for model_field in shown_fields(snap.model):
        value = snap.values.get(model_field.attname)
        if (
            isinstance(model_field, models.ForeignKey)
            and value is not None
            and not model_field.related_model._base_manager.filter(pk=value).exists()
        ):
            name = _last_known_name(model_field.related_model, value)
            problems.append(f"{capfirst(model_field.verbose_name)}: {name} has been deleted.")
    for child, rows in snap.children.items():
        for row in rows:
            for model_field in row._meta.concrete_fields:
                if not isinstance(model_field, models.ForeignKey) or model_field.name == child.fk:
                    continue
                value = getattr(row, model_field.attname)
                if value is None:
                    continue
                if not model_field.related_model._base_manager.filter(pk=value).exists():
                    name = _last_known_name(model_field.related_model, value)
                    problems.append(f"{child.label}: {name} has been deleted.")
    return problems


def restored_snapshot(obj, version):
    """What restoring ``version`` would write to ``obj``, in the shape of :func:`snapshot`:
    its editor's fields as the revision holds them, then everything a save works out from
    them (a comparison's slug follows its roles' slugs now, whatever it was then)."""
    snap = snapshot(version)
    # A fresh copy: the item in hand shares its related-object cache with nothing.
    restored = type(obj)._base_manager.get(pk=obj.pk)
    for model_field in shown_fields(snap.model):
        if model_field.name not in NOT_RESTORED and model_field.attname in snap.values:
            setattr(restored, model_field.attname, snap.values[model_field.attname])
    derive = getattr(restored, "derive", None)
    if derive is not None:
        # A role it names may have been deleted: missing_references() says so.
        with suppress(ObjectDoesNotExist):
            derive()
    values = {f.attname: getattr(restored, f.attname) for f in snap.model._meta.concrete_fields}
    return Snapshot(model=snap.model, values=values, children=snap.children, tags=snap.tags)


def restore(*, obj, version, user):
    """Write the content of ``version`` back to ``obj`` as a new revision, rows and all.

    Status and publish times stay as they are now. Raises :class:`RestoreError` (and writes
    nothing) when the revision refers to deleted items or would break a uniqueness rule.
    """
    snap = snapshot(version)
    check_content(obj, snap, kept=NOT_RESTORED)
    number = getattr(version, "number", None)
    comment = f"Restored revision {number}" if number else "Restored an earlier revision"
    comment += f" of {moment(version.revision.date_created)}."
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(comment)
            bump_version(obj)
            write_content(obj, snap, user=user)
    except IntegrityError as error:
        raise RestoreError([f"The database refused the restored content: {error}"]) from error
    return obj


def check_content(obj, snap, *, kept=()):
    """Set the fields of ``snap`` on ``obj`` (those an editor writes, less the names in
    ``kept``, which keep their current values) and validate it and its rows; raise
    :class:`RestoreError` if not."""
    problems = missing_references(snap)
    if problems:
        raise RestoreError(problems)
    for model_field in shown_fields(snap.model):
        if model_field.name not in kept and model_field.attname in snap.values:
            setattr(obj, model_field.attname, snap.values[model_field.attname])
    try:
        obj.full_clean()
        # The rows as the snapshot holds them, by the same rules (they may predate a rule).
        for child, rows in snap.children.items():
            for row in rows:
                row.full_clean(
                    exclude=[child.fk], validate_unique=False, validate_constraints=False
                )
    except ValidationError as error:
        raise RestoreError([_sentence(name, msgs) for name, msgs in _items(error)]) from error


def write_content(obj, snap, *, user):
    """Save ``obj`` and replace its rows and tags with those of ``snap`` (inside the caller's
    transaction and revision, after the caller took the next version)."""
    obj.updated_by = user
    obj.save()
    for child, rows in snap.children.items():
        child.model.objects.filter(**{child.fk: obj.pk}).delete()
        for row in rows:
            row.pk = None
            row._state.adding = True
            setattr(row, child.model._meta.get_field(child.fk).attname, obj.pk)
            row.save()
    obj.tags.set(snap.tags)


def _items(error):
    if hasattr(error, "error_dict"):
        return [
            (name, [m for e in errors for m in e.messages])
            for name, errors in error.error_dict.items()
        ]
    return [(None, error.messages)]


def _sentence(field_name, messages):
    text = " ".join(messages)
    return f"{capfirst(field_name.replace('_', ' '))}: {text}" if field_name else text
