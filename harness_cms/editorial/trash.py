"""The trash: deleting an item keeps everything the deletion removes, so that it can be put
back at its address; what stays longer than the retention period is purged.

Django's own deletion collector decides what goes with an item (its parent row, rows, shared
points, cards, FAQ placements, redirects, tag rows), so the trash keeps exactly that.
"""

from datetime import timedelta

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from harness_cms.core.models import ContentItem, Redirect
from harness_cms.core.signals import publication_changed
from harness_cms.core.text import moment
from harness_cms.core.visibility import Status
from harness_cms.editorial import audit
from harness_cms.editorial.models import TrashedItem


class TrashError(Exception):
    """Nothing was restored; the message says why."""


def keep(obj, *, user):
    """Put what deleting ``obj`` will remove into the trash (before it is deleted, in the same
    transaction)."""
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=obj)
    collector.collect([obj])
    collector.sort()
    instances = []
    for _model, found in collector.data.items():
        instances += list(found)
    for queryset in collector.fast_deletes:
        instances += list(queryset)
    emptied = []
    for (model_field, value), batches in collector.field_updates.items():
        ids = []
        for batch in batches:
            ids += [row.pk for row in batch]
        emptied.append([model_field.model._meta.label, model_field.name, value, ids])
    # Deletion order is children first; restoring goes the other way.
    data = serializers.serialize("python", list(reversed(instances)))
    # ``emptied`` records the value each reference had: the deleted object's key.
    emptied = [[label, name, obj.pk, ids] for label, name, _value, ids in emptied]
    audit.record(audit.Action.DELETED, obj, user=user, detail=getattr(obj, "path", ""))
    return TrashedItem.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        title=str(obj)[:300],
        path=getattr(obj, "path", ""),
        objects_data=data,
        emptied=emptied,
        deleted_by=user,
        deleted_at=timezone.now(),
    )


def restore(*, trashed, user):
    """Put the trashed item back at its address with everything that went with it.

    Refused (:class:`TrashError`, nothing written) when its address is now another item's,
    when something it refers to was deleted since, or when it was restored or purged
    meanwhile.
    """
    with transaction.atomic():
        current = TrashedItem.objects.select_for_update().filter(pk=trashed.pk).first()
        if current is None:
            raise TrashError(
                f"Nothing restored: “{trashed.title}” was restored or purged from the trash "
                "by someone else meanwhile."
            )
        if current.path:
            other = ContentItem.objects.filter(path=current.path).first()
            if other is not None:
                raise TrashError(
                    f"Nothing restored: its address {current.path} is now used by the "
                    f"{other.get_kind_display().lower()} “{other.title}”. "
                    "Change that item's slug first, or keep this one in the trash."
                )
        model = current.content_type.model_class()
        if model._base_manager.filter(pk=current.object_id).exists():
            raise TrashError(f"Nothing restored: “{current.title}” exists already.")
        try:
            objects = list(serializers.deserialize("python", current.objects_data))
        except serializers.base.DeserializationError as error:
            raise TrashError(f"Nothing restored: {_missing(error)}") from error
        _check_references(objects)
        try:
            with reversion.create_revision():
                reversion.set_user(user)
                reversion.set_comment(f"Restored from the trash (deleted {_when(current)}).")
                for entry in objects:
                    entry.save(save_m2m=False)
                for label, name, value, ids in current.emptied:
                    row_model = apps.get_model(label)
                    row_model._base_manager.filter(pk__in=ids).update(**{name: value})
                obj = model._base_manager.get(pk=current.object_id)
                if current.path:
                    # The deletion may have redirected its address elsewhere: it is back.
                    Redirect.objects.filter(old_path=current.path).delete()
                obj.updated_by = user
                obj.save()  # derives what a save derives (search text, public window)
                reversion.add_to_revision(obj)
        except (IntegrityError, models.ObjectDoesNotExist) as error:
            raise TrashError(f"Nothing restored: the database refused it ({error}).") from error
        current.delete()
        audit.record(audit.Action.RESTORED, obj, user=user, detail=current.path)
    if getattr(obj, "status", None) == Status.PUBLISHED:
        publication_changed.send(sender=Status, instances=[obj], went="live", by="editor")
    return obj


def purge(*, older_than_days=None, now=None):
    """Delete for good what has been in the trash longer than ``older_than_days`` (the
    ``TRASH_RETENTION_DAYS`` setting by default). Returns how many were purged."""
    days = settings.TRASH_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = TrashedItem.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted


def _check_references(objects):
    """Every row it brings back refers to rows that exist, or that come back with it."""
    coming = {(type(entry.object)._meta.concrete_model, entry.object.pk) for entry in objects}
    problems = []
    for entry in objects:
        row = entry.object
        for model_field in row._meta.local_concrete_fields:
            if not isinstance(model_field, models.ForeignKey):
                continue
            value = getattr(row, model_field.attname)
            target = model_field.related_model._meta.concrete_model
            if value is None or (target, value) in coming:
                continue
            if not target._base_manager.filter(pk=value).exists():
                problems.append(
                    f"{model_field.related_model._meta.verbose_name} #{value} "
                    f"(needed by {row._meta.verbose_name} #{row.pk}) has been deleted"
                )
    if problems:
        raise TrashError("Nothing restored: " + "; ".join(sorted(set(problems))) + ".")


def _when(trashed):
    return moment(trashed.deleted_at)


def _missing(error):
    return f"something it refers to no longer exists ({error})."
