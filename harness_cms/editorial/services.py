"""Publishing services: who may publish, state changes, and what must happen when a scheduled
publish or unpublish time comes."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harness_cms.core.models import PublishingRun
from harness_cms.core.signals import publication_changed
from harness_cms.core.versions import bump_version
from harness_cms.core.visibility import Status, publishable_models, published_q
from harness_cms.editorial import audit
from harness_cms.editorial.drafts import publish_due_drafts

log = logging.getLogger(__name__)

# What someone without the publish permission may set the status to.
UNPUBLISHED_STATES = (Status.DRAFT, Status.REVIEW)


def publish_permission(model):
    """The ``app.publish_<model>`` permission that guards publishing ``model``."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def can_publish(user, model):
    return user.has_perm(publish_permission(model))


@dataclass
class Outcome:
    changed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (object, reason)


def change_status(objects, *, to, user, comment):
    """Move each object to status ``to`` (publish, unpublish, send to review), one revision each.

    Publishing publishes now: an empty or future publish time becomes now, and an unpublish time
    that has passed is cleared. Sending to review only moves drafts. Returns an :class:`Outcome`.
    """
    outcome = Outcome()
    went_live, went_offline = [], []
    now = timezone.now()
    for obj in objects:
        reason = _why_not(obj, to, now)
        if reason:
            outcome.skipped.append((obj, reason))
            continue
        was_live = obj.is_published
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(comment)
            bump_version(obj)
            obj.status = to
            if to == Status.PUBLISHED:
                if obj.publish_at is None or obj.publish_at > now:
                    obj.publish_at = now
                if obj.unpublish_at is not None and obj.unpublish_at <= now:
                    obj.unpublish_at = None
            obj.updated_by = user
            obj.save()
        outcome.changed.append(obj)
        audit.publishing_change(obj, user=user, was_live=was_live)
        if obj.is_published and not was_live:
            went_live.append(obj)
        elif was_live and not obj.is_published:
            went_offline.append(obj)
    _announce(went_live, "live", "editor")
    _announce(went_offline, "offline", "editor")
    return outcome


def _why_not(obj, to, now):
    if to == Status.REVIEW and obj.status != Status.DRAFT:
        return f"it is {obj.get_status_display().lower()}, not a draft"
    if to == Status.PUBLISHED and obj.is_published:
        return "it is already live"
    if to == Status.DRAFT and obj.status == Status.DRAFT:
        return "it is already a draft"
    return ""


def _announce(instances, went, by):
    if instances:
        publication_changed.send(sender=Status, instances=instances, went=went, by=by)


@dataclass
class ScheduleReport:
    window_start: object
    window_end: object
    went_live: list
    went_offline: list
    drafts_published: list = field(default_factory=list)
    drafts_refused: list = field(default_factory=list)


def run_schedule(*, now=None, since=None):
    """Handle every publish / unpublish time that came in (since, now]; record the run.

    Visibility itself needs no job (``published()`` reads the clock); this is for what must
    happen at that moment: a log line per item and the ``publication_changed`` signal that
    caches and sitemaps listen to. Each window starts where the last run ended, so a change is
    handled once even when runs are late or missed.
    """
    now = now or timezone.now()
    if since is None:
        last = PublishingRun.objects.order_by("-window_end").first()
        since = last.window_end if last else now - timedelta(days=1)
    went_live, went_offline = [], []
    for model in publishable_models():
        went_live += model.objects.filter(published_q(now=now), publish_at__gt=since)
        # Visible at the window's start and past its unpublish time by its end.
        went_offline += model.objects.filter(published_q(now=since), Q(unpublish_at__lte=now))
    for obj in went_live:
        log.info("Went live at %s: %s (%s)", obj.publish_at.isoformat(), obj, _where(obj))
    for obj in went_offline:
        log.info("Went offline at %s: %s (%s)", obj.unpublish_at.isoformat(), obj, _where(obj))
    drafts = publish_due_drafts(now=now)
    for obj in drafts.published:
        log.info("Published its draft at its scheduled time: %s (%s)", obj, _where(obj))
    for draft, reason in drafts.refused:
        log.warning("Draft %s not published: %s", draft, reason)
    PublishingRun.objects.create(
        window_start=since,
        window_end=now,
        went_live=len(went_live),
        went_offline=len(went_offline),
    )
    _announce(went_live, "live", "schedule")
    _announce(went_offline, "offline", "schedule")
    return ScheduleReport(since, now, went_live, went_offline, drafts.published, drafts.refused)


def _where(obj):
    return obj.get_absolute_url()
