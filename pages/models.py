"""Cluster pages (job description, architecture, workflow, guides, hubs) and the cards that
link any item to any other."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from comparisons.models import Role
from harness_cms.models import ContentItem
from harness_cms.publishing import PublishableQuerySet, public_item_q


class PageQuerySet(PublishableQuerySet):
    def published(self, *, now=None):
        """A cluster page is public only while its role (if it has one) is public too (the
        window in which both are is stored on it: ``public_item_q``)."""
        return self.filter(public_item_q(now=now))


class Page(ContentItem):
    """A page of a role's cluster, a stand-alone guide, or a hub that lists the cluster.

    The role's own page is its definition; cluster pages cover the rest of what readers ask.
    """

    KIND = ContentItem.Kind.PAGE

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
        default=0, help_text="Order within the role's cluster (previous / next links)."
    )

    objects = PageQuerySet.as_manager()

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

    def windows(self):
        return [self.own_window(), *([self.role.own_window()] if self.role_id else [])]

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


class RelatedLinkQuerySet(models.QuerySet):
    def visible(self, *, now=None):
        """Cards the public may see: external ones, and those whose target is public now."""
        return self.filter(
            Q(target__isnull=True, external_url__gt="") | public_item_q("target__", now=now)
        )


class RelatedLink(models.Model):
    """A card on one item pointing to another item (by reference) or to an outside page."""

    class Section(models.TextChoices):
        RELATED = "related", "Related pages"
        NEXT = "next", "Next step"

    source = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        related_name="links",
        help_text="The page the card appears on.",
    )
    section = models.CharField(max_length=10, choices=Section, default=Section.RELATED)
    target = models.ForeignKey(
        ContentItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_links",
        help_text="The page the card opens. Choose a page here or give an outside address.",
    )
    external_url = models.URLField(
        "outside address", max_length=500, blank=True, help_text="Only for pages on other sites."
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="Empty: the target page's title."
    )
    blurb = models.CharField(
        "one line", max_length=300, blank=True, help_text="Why the reader should open it."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = RelatedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = "related link"
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(external_url=""),
                name="related_link_one_destination",
                violation_error_message="Choose a page or an outside address, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="related_link_not_to_itself",
                violation_error_message="A page cannot link to itself.",
            ),
        ]

    def __str__(self):
        return self.display_title or "(link without a destination)"

    def clean(self):
        super().clean()
        if not self.target_id and not self.external_url:
            raise ValidationError("Choose the page this card opens, or give an outside address.")
        if self.target_id and self.external_url:
            raise ValidationError("Choose a page or an outside address, not both.")
        if self.target_id and self.target_id == self.source_id:
            raise ValidationError({"target": "A page cannot link to itself."})
        if self.external_url and not self.title:
            raise ValidationError({"title": "A card to an outside page needs a title."})

    @property
    def display_title(self):
        if self.title:
            return self.title
        return self.target.title if self.target_id else ""

    @property
    def url(self):
        return self.target.path if self.target_id else self.external_url

    @property
    def is_external(self):
        return not self.target_id
