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

    The Comparison and Page querysets say the same from their own tables; a test keeps the
    three in agreement.
    """
    return published_q(prefix, now=now) & (
        Q(**{f"{prefix}kind": "role"})
        | (
            Q(**{f"{prefix}kind": "comparison"})
            & published_q(f"{prefix}as_comparison__role_a__", now=now)
            & published_q(f"{prefix}as_comparison__role_b__", now=now)
        )
        | (
            Q(**{f"{prefix}kind": "page"})
            & (
                Q(**{f"{prefix}as_page__role__isnull": True})
                | published_q(f"{prefix}as_page__role__", now=now)
            )
        )
    )


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
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        super().save(*args, **kwargs)

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
