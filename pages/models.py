"""Cluster pages: job description, architecture, workflow, guides, and the hubs (the home page
among them)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse

from comparisons.models import Role
from harness_cms.core.models import POSITION_MAX, ContentItem, ContentItemQuerySet


def next_page_position():
    """A new page goes after the others (in its cluster, among the guides) unless placed."""
    return (Page.objects.aggregate(last=Max("position"))["last"] or 0) + 1


class Page(ContentItem):
    """A page of a role's cluster, a stand-alone guide, or a hub that lists the cluster.

    The role's own page is its definition; cluster pages cover the rest of what readers ask.
    """

    KIND = ContentItem.Kind.PAGE
    LABEL = "Guide"
    # Public only while its role (if it has one) is public too.
    WINDOW_PARENTS = ("role",)

    contentitem_ptr = models.OneToOneField(
        ContentItem,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="as_page",
    )

    class PageKind(models.TextChoices):
        JOB_DESCRIPTION = "job_description", "Job description"
        ARCHITECTURE = "architecture", "Architecture"
        WORKFLOW = "workflow", "Workflow"
        GUIDE = "guide", "Guide"
        HUB = "hub", "Hub"

    page_kind = models.CharField(
        "page kind", max_length=20, choices=PageKind, default=PageKind.GUIDE
    )
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pages",
        help_text="The role whose cluster this page belongs to (its address starts with it).",
    )
    is_home = models.BooleanField(
        "home page",
        default=False,
        help_text="Serve this hub at the site's root address. Only one page can be the home.",
    )
    position = models.PositiveSmallIntegerField(
        default=next_page_position,
        validators=[MaxValueValidator(POSITION_MAX)],
        help_text="Order within the role's cluster (previous / next links) and among the "
        "guides on the home page. A new page goes last.",
    )

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        permissions = [("publish_page", "Can publish, unpublish and schedule cluster pages")]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"],
                condition=Q(is_home=True),
                name="single_home_page",
                violation_error_message="Another page is already the home page.",
            ),
            models.CheckConstraint(
                condition=Q(is_home=False) | (Q(page_kind="hub") & Q(role__isnull=True)),
                name="home_is_a_hub_without_role",
                violation_error_message="The home page must be a hub that belongs to no role.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.role.title})" if self.role_id else self.title

    def card(self):
        kicker = self.role.title if self.role_id else self.get_page_kind_display()
        return {**super().card(), "kicker": kicker}

    def compute_path(self):
        if self.is_home:
            return reverse("pages:home")
        if self.role_id:
            return reverse("pages:page", kwargs={"role": self.role.slug, "slug": self.slug})
        return reverse("pages:guide", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.is_home and (self.page_kind != self.PageKind.HUB or self.role_id):
            raise ValidationError(
                {"is_home": "Only a hub that belongs to no role can be the home page."}
            )
        siblings = Page.objects.filter(role=self.role_id, slug=self.slug).exclude(pk=self.pk)
        if self.slug and siblings.exists():
            where = "this role's cluster" if self.role_id else "the stand-alone guides"
            raise ValidationError({"slug": f"Another page in {where} already uses this slug."})
