"""The audit log: one row per action that changes what the public sees (publishing,
unpublishing, scheduling, deleting, restoring, redirects) or who may do what (permissions)."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.utils import timezone

from harness_cms.core.models import Redirect
from harness_cms.core.text import moment
from harness_cms.editorial.models import AuditEntry

Action = AuditEntry.Action


def record(action, obj, *, user, detail=""):
    """Note that ``user`` did ``action`` to ``obj`` now."""
    return AuditEntry.objects.create(
        at=timezone.now(),
        user=user if getattr(user, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        detail=detail,
    )


def publishing_change(obj, *, user, was_live, scheduled_changed=False):
    """Record what a save did to ``obj``'s publishing, if anything; whether it did."""
    live = getattr(obj, "is_public", None)
    live = obj.is_published if live is None else live
    if live and not was_live:
        record(Action.PUBLISHED, obj, user=user)
    elif was_live and not live:
        record(Action.UNPUBLISHED, obj, user=user)
    elif not (scheduled_changed and obj.status == "published"):
        return False
    else:
        times = [
            f"{label} {moment(value)}"
            for label, value in (("from", obj.publish_at), ("until", obj.unpublish_at))
            if value
        ]
        record(Action.SCHEDULED, obj, user=user, detail=", ".join(times))
    return True


# Admin changes of these models are audited from the admin's own log entry (it knows who).
AUDITED_MODELS = {Redirect: Action.REDIRECTS, User: Action.PERMISSIONS, Group: Action.PERMISSIONS}


def connect_audit_signals():
    """Audit redirect, user and group changes made in the admin (called from ``ready()``)."""
    post_save.connect(_logged, sender=LogEntry, dispatch_uid="editorial:audit-log-entry")


def _logged(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.content_type_id is None:
        return
    model = instance.content_type.model_class()
    action = AUDITED_MODELS.get(model)
    if action is None:
        return
    AuditEntry.objects.create(
        at=instance.action_time,
        user_id=instance.user_id,
        action=action,
        content_type_id=instance.content_type_id,
        object_id=instance.object_id or "",
        object_repr=instance.object_repr[:300],
        detail=f"{_verb(instance)}: {instance.get_change_message() or 'no fields changed'}",
    )


def _verb(entry):
    if entry.is_addition():
        return "Added"
    if entry.is_deletion():
        return "Deleted"
    return "Changed"
