"""The content core: what every public item shares, and the site's own settings."""

from django.conf import settings as django_settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from harness_cms import markdown
from harness_cms.page_cache import current_generation
from harness_cms.publishing import ContentItemQuerySet, Publishable, live_window
from harness_cms.signals import path_changed

# Long enough for any real article, short enough that a pasted 10 MB blob is a form error.
BODY_MAX_LENGTH = 200_000
SHORT_TEXT_MAX_LENGTH = 5_000


def markdown_field(verbose_name, *, help_text="", max_length=BODY_MAX_LENGTH):
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        help_text=help_text
        or "Markdown: ## headings, **bold**, [links](/path/), tables, ``` code.",
    )


class ContentItem(Publishable):
    """One row per public page: a role, a comparison or a cluster page.

    The concrete subclasses add their own fields in their own tables. Links, FAQ placements,
    tags, search and the sitemap point here, so they reach any kind of item by reference.
    """

    class Kind(models.TextChoices):
        ROLE = "role", "Role"
        COMPARISON = "comparison", "Comparison"
        PAGE = "page", "Cluster page"

    kind = models.CharField(max_length=12, choices=Kind, editable=False, db_index=True)
    title = models.CharField(max_length=200, help_text="The page's main heading.")
    slug = models.SlugField(
        max_length=120,
        help_text="The last part of the address: lowercase letters, digits and hyphens.",
    )
    path = models.CharField(
        max_length=400,
        unique=True,
        editable=False,
        help_text="The public address, kept in step with the slug on every save.",
    )
    lead = markdown_field(
        "lead",
        max_length=SHORT_TEXT_MAX_LENGTH,
        help_text="One paragraph under the title; also the fallback meta description.",
    )
    lead_html = models.TextField(blank=True, editable=False)
    body = markdown_field("body")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    next_step = markdown_field(
        "next step",
        max_length=SHORT_TEXT_MAX_LENGTH,
        help_text="The call to action after the article: which pages to read next and why.",
    )
    next_step_html = models.TextField(blank=True, editable=False)
    faq_intro = models.CharField(
        "FAQ introduction", max_length=300, blank=True, help_text="One sentence above the FAQs."
    )
    related_intro = models.CharField(
        "related pages introduction",
        max_length=300,
        blank=True,
        help_text="One sentence above the related-page cards.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="The title search results show: up to 60 characters. Empty: the page title.",
    )
    seo_description = models.CharField(
        "meta description",
        max_length=300,
        blank=True,
        help_text="The snippet under the title in search results: 50–160 characters.",
    )
    target_keyword = models.CharField(
        "target keyword",
        max_length=120,
        blank=True,
        help_text="The one search phrase this page should rank for; unique across the site.",
    )
    search_text = models.TextField(blank=True, editable=False)
    # When the public may see the item, worked out on every save from its own publishing
    # window and those of the items it depends on (harness_cms.publishing.live_window).
    live_from = models.DateTimeField(null=True, editable=False, db_index=True)
    live_until = models.DateTimeField(null=True, editable=False)
    tags = TaggableManager(blank=True, help_text="Comma-separated topics.")
    # The tag rows themselves, so that revisions can keep and restore them (no column).
    tagged_items = GenericRelation(TaggedItem)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; a form saved from an older version is refused.",
    )

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "content item"
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["kind", "slug"],
                condition=Q(kind__in=["role", "comparison"]),
                name="unique_role_and_comparison_slugs",
                violation_error_message="Another item of this kind already uses this slug.",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            # Lists are in title order; with it the first 24 of 20,000 comparisons are read in
            # order instead of all sorted (80 ms → 0.2 ms on SQLite, docs/performance.md).
            models.Index(fields=["title"], name="contentitem_title"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._saved_path = instance.__dict__.get("path")
        return instance

    def save(self, *args, **kwargs):
        if self.KIND is None:
            raise TypeError("Save a Role, Comparison or Page, not a bare ContentItem.")
        self.kind = self.KIND
        self.path = self.compute_path()
        self.render_markdown()
        self.search_text = self.build_search_text()
        self.fill_publish_at()
        self.live_from, self.live_until = live_window(*self.windows())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "live_from", "live_until"}
        super().save(*args, **kwargs)
        old_path = getattr(self, "_saved_path", None)
        self._saved_path = self.path
        if old_path and old_path != self.path:
            path_changed.send(sender=type(self), item=self, old_path=old_path)

    def get_absolute_url(self):
        return self.path

    # Each concrete subclass sets KIND and defines compute_path(): its public path by reverse().
    KIND = None

    def windows(self):
        """The publishing windows that must all be open for the public to see this item:
        its own, and those of the items its kind depends on."""
        return [self.own_window()]

    def render_markdown(self):
        self.lead_html = markdown.render_html(self.lead)
        rendered = markdown.render(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.next_step_html = markdown.render_html(self.next_step)

    def build_search_text(self):
        """Plain text of the item for database search, built after the Markdown is rendered."""
        parts = [
            self.title,
            markdown.to_plain_text(self.lead_html),
            markdown.to_plain_text(self.body_html),
            *self.extra_search_text(),
        ]
        return " ".join(part for part in parts if part)

    def extra_search_text(self):
        """More plain text a subclass wants found by search."""
        return []

    @property
    def meta_title(self):
        return self.seo_title or self.title

    @property
    def meta_description(self):
        if self.seo_description:
            return self.seo_description
        text = markdown.to_plain_text(self.lead_html)
        return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"

    def specific(self):
        """The concrete item (Role, Comparison or Page) behind this row."""
        return getattr(self, f"as_{self.kind}")

    def admin_url(self):
        return reverse(f"admin:{self._specific_label()}_change", args=[self.pk])

    def _specific_label(self):
        return {
            self.Kind.ROLE: "comparisons_role",
            self.Kind.COMPARISON: "comparisons_comparison",
            self.Kind.PAGE: "pages_page",
        }[self.kind]


class SiteSettings(models.Model):
    """Site-wide names and switches, edited in the admin (one row)."""

    site_name = models.CharField(max_length=100, default="Harness Engineering Guide")
    tagline = models.CharField(max_length=200, blank=True)
    organization_name = models.CharField(max_length=100, default="Harness Engineering Guide")
    default_seo_description = models.CharField(
        "default meta description",
        max_length=300,
        blank=True,
        help_text="Used by pages that have no description of their own (FAQ index, tag pages).",
    )
    faq_rich_results = models.BooleanField(
        "FAQPage structured data",
        default=True,
        help_text="Describe placed FAQs as schema.org FAQPage in each page's structured data.",
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return self.site_name

    CACHE_KEY = "harness:site-settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        # Saving starts a new content generation (harness_cms.page_cache), which changes the
        # cache key below in every process.
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.site_name.strip():
            raise ValidationError({"site_name": "The site needs a name."})

    @classmethod
    def load(cls):
        """The settings row, from the cache when it is there (every page reads it)."""
        settings = cache.get(cls._cache_key())
        if settings is None:
            settings, _ = cls.objects.get_or_create(pk=1)
            # The key again: creating the row starts a new generation.
            cache.set(cls._cache_key(), settings, timeout=django_settings.PAGE_CACHE_TIMEOUT)
        return settings

    @classmethod
    def _cache_key(cls):
        # Keyed by the content generation: a local-memory cache is per process, and a save in
        # one process must reach the others.
        return f"{cls.CACHE_KEY}:{current_generation()}"


class Redirect(models.Model):
    """An earlier public address of an item, answered with a 301 to where the item is now.

    The target is held by reference: when the item moves again, every earlier address follows
    it in one hop, with no chain to maintain. Made automatically when an item's address changes
    (see ``harness_cms.redirects``), or by editors in the redirect manager.
    """

    class Reason(models.TextChoices):
        MOVED = "moved", "Address changed"
        DELETED = "deleted", "Page deleted"
        UNPUBLISHED = "unpublished", "Page unpublished"
        MANUAL = "manual", "Added by an editor"

    old_path = models.CharField(
        "old address",
        max_length=400,
        unique=True,
        help_text="The address to send on, starting and ending with a slash: /roles/old-slug/",
    )
    target = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="The page visitors of the old address are sent to, wherever it lives now.",
    )
    reason = models.CharField(max_length=12, choices=Reason, default=Reason.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)
    hits = models.PositiveIntegerField(default=0, editable=False)
    last_hit_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["old_path"]
        verbose_name = "redirect"

    def __str__(self):
        return f"{self.old_path} → {self.target.path}"

    def clean(self):
        super().clean()
        from harness_cms.redirects import validate_old_path

        if self.old_path:
            self.old_path = validate_old_path(self.old_path, target=self.target_id and self.target)


class ClusterHealth(ContentItem):
    """Admin entry for the cluster health report and link graph (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "cluster health"
        verbose_name_plural = "cluster health"


class PublishingRun(models.Model):
    """One run of ``manage.py publish_scheduled``: the window it handled and what it found.

    The next run starts where the last one ended, so every scheduled change is handled once.
    """

    window_start = models.DateTimeField()
    window_end = models.DateTimeField(db_index=True)
    went_live = models.PositiveIntegerField(default=0)
    went_offline = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-window_end"]
        get_latest_by = "window_end"

    def __str__(self):
        return f"{self.window_start:%Y-%m-%d %H:%M} – {self.window_end:%Y-%m-%d %H:%M}"
