"""The one visibility rule: what the public may see, and when."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


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


def public_item_q(prefix="", *, now=None):
    """``published_q`` for a ContentItem (reached through ``prefix``), plus what its kind adds:
    a comparison is public only while both its roles are, a cluster page while its role is.

    Every save works out the window in which all of that holds and stores it on the item
    (``live_from``, ``live_until``; see :func:`live_window`), so this is a test of two columns
    of one table instead of the same rule joined across three. The Comparison and Page
    querysets say the same; a test keeps them and the full rule in agreement.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}live_from__lte": now}) & (
        Q(**{f"{prefix}live_until__isnull": True}) | Q(**{f"{prefix}live_until__gt": now})
    )


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
        """The instance twin of :func:`published_q`, for templates that hold the object."""
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {"unpublish_at": "The unpublish time must come after the publish time."}
            )


class ContentItemQuerySet(PublishableQuerySet):
    def published(self, *, now=None):
        """Items of every kind that the public may see now (see :func:`public_item_q`)."""
        return self.filter(public_item_q(now=now))


def refresh_live_windows(item_ids=None, *, models=None):
    """Store the right ``live_from`` / ``live_until`` on the items of ``item_ids`` (all items
    when None) whose stored window is out of step with their data; return how many changed.

    For writes that bypass ``ContentItem.save()``: a role's save (its comparisons and cluster
    pages), the migration that added the columns, a restore of an older export, bulk inserts.
    ``models`` passes (ContentItem, Comparison, Page) for use inside a migration.
    """
    if models is None:
        from comparisons.models import Comparison
        from harness_cms.models import ContentItem
        from pages.models import Page

        models = (ContentItem, Comparison, Page)
    content_item, comparison, page = models

    def only(queryset, field="pk"):
        return queryset if item_ids is None else queryset.filter(**{f"{field}__in": item_ids})

    fields = ("pk", "status", "publish_at", "unpublish_at", "live_from", "live_until")
    rows = list(only(content_item.objects.values_list(*fields)).iterator(chunk_size=2000))
    roles = {
        pk: own_window(status, publish_at, unpublish_at)
        for pk, status, publish_at, unpublish_at in content_item.objects.filter(
            kind="role"
        ).values_list("pk", "status", "publish_at", "unpublish_at")
    }
    depends_on = {
        pk: (role_a, role_b)
        for pk, role_a, role_b in only(comparison.objects.values_list("pk", "role_a", "role_b"))
    }
    depends_on.update(
        (pk, (role,) if role else ()) for pk, role in only(page.objects.values_list("pk", "role"))
    )
    changed = []
    for pk, status, publish_at, unpublish_at, live_from, live_until in rows:
        windows = [own_window(status, publish_at, unpublish_at)]
        windows += [roles.get(role) for role in depends_on.get(pk, ())]
        window = live_window(*windows)
        if window != (live_from, live_until):
            changed.append(content_item(pk=pk, live_from=window[0], live_until=window[1]))
    content_item.objects.bulk_update(changed, ["live_from", "live_until"], batch_size=500)
    return len(changed)
