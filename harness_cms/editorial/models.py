"""Drafts over live items: changes saved, not yet published, kept beside the live rows."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from harness_cms.core.text import moment


class Draft(models.Model):
    """The unpublished changes of one live item (or FAQ entry): the form as it was saved, to
    open it again, and the content it holds, to compare, preview and publish it.

    The live rows are not touched until the draft is published, so every public surface keeps
    reading them. One draft per item: a later save replaces it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    form_data = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="The change form as it was posted: field name → list of values.",
    )
    content = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="What publishing writes: the item's fields, its rows and its tags.",
    )
    base_version = models.PositiveIntegerField(
        help_text="The item's version when the draft was saved; publishing needs it unchanged."
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField()
    publish_at = models.DateTimeField(
        "publish these changes at",
        null=True,
        blank=True,
        help_text="Empty: the changes wait until someone presses Publish.",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(
        "awaiting review since", null=True, blank=True, help_text="Empty: not submitted for review."
    )
    review_note = models.TextField("note for the reviewer", blank=True, max_length=2000)

    class Meta:
        verbose_name = "unpublished draft"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="editorial_draft_one_per_item"
            )
        ]
        indexes = [models.Index(fields=["publish_at"], name="editorial_draft_publish_at")]

    def __str__(self):
        return f"Draft of {self.content_type.model} #{self.object_id}"

    @property
    def awaiting_review(self):
        return self.submitted_at is not None

    @property
    def item(self):
        """The live object this draft changes, fresh from the database (None if deleted)."""
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first()


class ReviewComment(models.Model):
    """A step of a review — submitted with a note, changes requested with a comment, approved —
    kept with the item, and with the revision the approval published."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes", "Changes requested"
        APPROVED = "approved", "Approved and published"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=Action)
    text = models.TextField(blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision an approval published.",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="editorial_review_item")]

    def __str__(self):
        return f"{self.get_action_display()} ({moment(self.at)})"


class TrashedItem(models.Model):
    """A deleted item (or FAQ entry) with everything its deletion removed — its own rows, its
    rows and shared points, cards on it and to it, FAQ placements, redirects, tag rows — kept
    until it is restored or purged."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    path = models.CharField("address", max_length=400, blank=True)
    objects_data = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="Every deleted row, serialised, in insertion order."
    )
    emptied = models.JSONField(
        encoder=DjangoJSONEncoder,
        default=list,
        help_text="References the deletion emptied: [model label, field, value, [ids]].",
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "item in the trash"
        verbose_name_plural = "trash"
        ordering = ["-deleted_at"]

    def __str__(self):
        return self.title


class AuditEntry(models.Model):
    """Who did what that changes what the public sees, or who may do what, and when."""

    class Action(models.TextChoices):
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        SCHEDULED = "scheduled", "Scheduled"
        DELETED = "deleted", "Deleted (to the trash)"
        RESTORED = "restored", "Restored from the trash"
        REVIEWED = "reviewed", "Marked reviewed"
        REDIRECTS = "redirects", "Changed a redirect"
        PERMISSIONS = "permissions", "Changed permissions"
        DUPLICATED = "duplicated", "Duplicated as a new draft"
        BULK_EDITED = "bulk_edited", "Changed by a bulk edit"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("item", max_length=300, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"
