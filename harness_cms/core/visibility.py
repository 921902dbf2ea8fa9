"""The one visibility rule: what the public may see, and when.

An item is visible while its status is published, its publish time has come and its unpublish
time (if any) has not. :func:`published_q` says it as a query, :func:`is_visible` for values in
hand. A content item also needs the items it depends on to be visible (a comparison its two
roles, a cluster page its role): every save stores the window in which all of that holds
(:func:`live_window`), so :func:`public_item_q` tests two columns of one table.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from harness_cms.core.text import moment


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def published_q(prefix="", *, now=None):
    """Q object for "visible to the public now", optionally across a relation (``prefix``).

    Published status, a publish time that has come, and an unpublish time (if any) that has not:
    schedules take effect on the clock, with no job needed.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now})
    )


def is_visible(status, publish_at, unpublish_at, *, now=None):
    """:func:`published_q` for values in hand (an object's, or a form's)."""
    now = now or timezone.now()
    return (
        status == Status.PUBLISHED
        and publish_at is not None
        and publish_at <= now
        and (unpublish_at is None or unpublish_at > now)
    )


def public_item_q(prefix="", *, now=None):
    """``published_q`` for a ContentItem (reached through ``prefix``), plus what its kind adds:
    a comparison is public only while both its roles are, a cluster page while its role is.

    Every save works out the window in which all of that holds and stores it on the item
    (``live_from``, ``live_until``; see :func:`live_window`), so this is a test of two columns
    of one table instead of the same rule joined across three. A test keeps it and the full
    rule in agreement.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}live_from__lte": now}) & (
        Q(**{f"{prefix}live_until__isnull": True}) | Q(**{f"{prefix}live_until__gt": now})
    )


def in_window(live_from, live_until, *, now=None):
    """:func:`public_item_q` for values in hand."""
    now = now or timezone.now()
    return live_from is not None and live_from <= now and (live_until is None or live_until > now)


def own_window(status, publish_at, unpublish_at):
    """``(start, end)`` in which an item with these values is published (``end`` None: no
    end); None when it is not published at all."""
    if status != Status.PUBLISHED or publish_at is None:
        return None
    return publish_at, unpublish_at


def live_window(*windows):
    """The window in which every one of ``windows`` is open: ``(live_from, live_until)``,
    ``(None, None)`` when one of them is None (never public). An empty window (start after
    end) stays as it is: no time falls in it."""
    if not windows or any(window is None for window in windows):
        return None, None
    start = max(window[0] for window in windows)
    ends = [window[1] for window in windows if window[1] is not None]
    return start, min(ends) if ends else None


@dataclass(frozen=True)
class State:
    """What the public sees of an object now, in words: its effective state."""

    code: str  # draft, review, archived, scheduled, live, waiting, expired
    label: str  # "Scheduled: goes live at …", "Live until …", "Waits for AI Engineer (draft)"

    def __str__(self):
        return self.label


# The effective states, for list filters: code and what editors read.
STATES = [
    ("live", "Live"),
    ("scheduled", "Scheduled"),
    ("waiting", "Waits for another item"),
    ("expired", "Expired"),
    (Status.DRAFT.value, Status.DRAFT.label),
    (Status.REVIEW.value, Status.REVIEW.label),
    (Status.ARCHIVED.value, Status.ARCHIVED.label),
]


def _when(value):
    return moment(value)


def effective_state(status, publish_at, unpublish_at, *, window=None, parents=(), now=None):
    """The :class:`State` of an object with these values, by the rule above: the status while
    it is not published, else whether its window has ended, is open or is still to come.

    ``window``: the stored public window of an item that depends on others (``live_from``,
    ``live_until``); ``parents``: those others as ``(name, status, publish_at, unpublish_at)``,
    to name the one it waits for.
    """
    now = now or timezone.now()
    if status != Status.PUBLISHED:
        return State(status, Status(status).label)
    if unpublish_at is not None and unpublish_at <= now:
        return State("expired", f"Expired: offline since {_when(unpublish_at)}")
    start, end = window if window is not None else (publish_at or now, unpublish_at)
    if in_window(start, end, now=now):
        return State("live", f"Live until {_when(end)}" if end else "Live")
    if start is None or (end is not None and (end <= now or end <= start)):
        blocking = []
        for name, *values in parents:
            state = effective_state(*values, now=now)
            ends_first = start is not None and values[2] is not None and values[2] <= start
            if state.code not in ("live", "scheduled") or ends_first:
                blocking.append(f"{name} ({state.label.split(':')[0].lower()})")
        return State("waiting", "Waits for " + (", ".join(blocking) or "the items it shows"))
    return State("scheduled", f"Scheduled: goes live at {_when(start)}")


def state_q(code, *, now=None, stored=False):
    """Q object for the objects in effective state ``code`` (see :func:`effective_state`);
    ``stored``: content items, judged by their stored public window."""
    now = now or timezone.now()
    if code not in ("live", "scheduled", "waiting", "expired"):
        return Q(status=code)
    expired = Q(unpublish_at__lte=now)
    if code == "expired":
        return Q(status=Status.PUBLISHED) & expired
    live = public_item_q(now=now) if stored else published_q(now=now)
    if code == "live":
        return live
    pending = Q(status=Status.PUBLISHED) & ~expired & ~live
    if not stored:
        return pending & Q(publish_at__gt=now) if code == "scheduled" else Q(pk__in=[])
    waiting = Q(live_from__isnull=True) | Q(live_until__lte=now) | Q(live_until__lte=F("live_from"))
    return pending & (waiting if code == "waiting" else ~waiting & Q(live_from__gt=now))


class PublishableQuerySet(models.QuerySet):
    def published(self, *, now=None):
        return self.filter(published_q(now=now))


class Publishable(models.Model):
    """Status and publishing window, shared by every item the public can see."""

    status = models.CharField(
        max_length=12,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published items whose publish time has come are visible to the public.",
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="When a published item goes live. Left empty, publishing sets it to now.",
    )
    unpublish_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        help_text="Optional: when the item stops being visible.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(unpublish_at__isnull=True)
                | Q(unpublish_at__gt=F("publish_at")),
                name="%(app_label)s_%(class)s_unpublish_after_publish",
            ),
        ]

    def save(self, *args, **kwargs):
        self.fill_publish_at()
        super().save(*args, **kwargs)

    def fill_publish_at(self):
        """Publishing without a time means now."""
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def own_window(self):
        return own_window(self.status, self.publish_at, self.unpublish_at)

    @property
    def is_published(self):
        """Whether the object's own status and window make it visible now."""
        return is_visible(self.status, self.publish_at, self.unpublish_at)

    @property
    def state(self):
        """Its :func:`effective_state` now: Draft, Scheduled, Live until …, Expired…"""
        return effective_state(self.status, self.publish_at, self.unpublish_at)

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {"unpublish_at": "The unpublish time must come after the publish time."}
            )


def publishing_tables():
    """The models whose own table holds the publishing columns (the content item base table and
    the FAQ, say): one query each covers every row with a publishing window."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable)
        and not model._meta.proxy
        and model._meta.get_field("status").model is model
    ]


def publishable_models():
    """Every kind of publishable object, as editors name them (Role, Comparison, Page, FAQ):
    concrete models with a publishing window that no other concrete model extends."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.proxy
    ]
    return [
        model
        for model in found
        if not any(other is not model and issubclass(other, model) for other in found)
    ]
