"""The content core: the item every public page is, the cards and redirects that point at items
by reference, the site's own settings, and the scheduler's log."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import F, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from harness_cms.core import markdown, references
from harness_cms.core.generation import cached_for_generation, cached_for_now, rows_rewritten
from harness_cms.core.signals import path_changed
from harness_cms.core.text import META_DESCRIPTION_MAX, moment, normalise_newlines, shorten
from harness_cms.core.visibility import (
    Publishable,
    PublishableQuerySet,
    effective_state,
    in_window,
    live_window,
    own_window,
    public_item_q,
)
from harness_cms.images.models import (
    Image,
    image_reference,
    render_markdown,
    render_markdown_html,
)

# What search results show of a page title, site name included.
TITLE_MAX = 65
# Long enough for any real article, short enough that a pasted 10 MB blob is a form error.
BODY_MAX_LENGTH = 200_000
SHORT_TEXT_MAX_LENGTH = 5_000
# The largest place in an order (a small integer on every database, checked on SQLite too).
POSITION_MAX = 32_767


# What the slug help texts promise: addresses in lowercase, so /roles/Data-Engineer/ and
# /roles/data-engineer/ can never be two pages (SlugField alone allows capitals and "_").
validate_lowercase_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase Latin letters, digits and single hyphens only, e.g. data-engineer.",
    code="lowercase_slug",
)

_CANONICAL_PATH = re.compile(r"^/(?!/)[^\s?#]*$")


def validate_canonical_url(value):
    """A canonical address is a full http(s) address or a path on this site (no query, no
    fragment: a canonical names one page)."""
    if _CANONICAL_PATH.match(value):
        return
    URLValidator(schemes=["https", "http"])(value)
    if "#" in value:
        raise ValidationError("A canonical address has no #fragment.", code="canonical_fragment")


def markdown_field(verbose_name, *, help_text="", max_length=BODY_MAX_LENGTH, shown_in="prose"):
    """A text field editors write in Markdown; ``shown_in``: the class of the element the
    public page renders it in (the admin's live preview draws it there, with the site's
    stylesheet)."""
    field = models.TextField(
        verbose_name,
        blank=True,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        help_text=help_text
        or "Markdown: ## headings, **bold**, [links](/path/), tables, ``` code.",
    )
    # Checked by Editable.clean_fields (not a validator: that would be a migration of every
    # such field, and the check needs no state of its own).
    field.renders_markdown = True
    field.shown_in = shown_in
    return field


NOT_LOADED = object()

# How ``with_tag_list`` joins a topic's name to its slug, and topics to each other: characters
# the admin refuses in text, so no name holds them.
_TAG_PART, _TAG_SEPARATOR = "\x1f", "\x1e"


@dataclass(frozen=True)
class TagRef:
    """A topic as a page shows it: its name and slug."""

    name: str
    slug: str


def tags_of(item):
    """The topics of ``item``: from ``with_tag_list`` when its query read them, else a query."""
    if "tag_list" in item.__dict__:
        listed = item.__dict__["tag_list"] or ""
        pairs = (pair.split(_TAG_PART, 1) for pair in listed.split(_TAG_SEPARATOR) if pair)
        # In name order: not every database orders inside an aggregate.
        return sorted((TagRef(*pair) for pair in pairs), key=lambda tag: tag.name.lower())
    return list(item.tags.all())


def authors_of(item):
    """The authors ``item`` names, in byline order: from ``with_byline_list`` when its query
    read them (the authors themselves kept for the content generation: a page with a byline
    costs no query more than one without), else a query."""
    if "byline_list" not in item.__dict__:
        return list(
            Author.objects.filter(bylines__item=item).order_by("bylines__position", "bylines__pk")
        )
    listed = item.__dict__["byline_list"] or ""
    pairs = sorted(
        tuple(int(part) for part in pair.split(_TAG_PART, 1))
        for pair in listed.split(_TAG_SEPARATOR)
        if pair
    )
    if not pairs:
        return []
    everyone = cached_for_now(
        "authors", lambda: {author.pk: author for author in Author.objects.all()}
    )
    return [everyone[author_id] for _position, author_id in pairs if author_id in everyone]


# What a card shows (title, address, one line): a list of cards loads no article bodies.
CARD_FIELDS = ("kind", "title", "path", "seo_description", "lead_html")
CARD_IMAGE_FIELDS = (
    "lead_image",
    "lead_image__renditions",
    "lead_image__alt_text",
    "lead_image__decorative",
)


class ContentItemQuerySet(PublishableQuerySet):
    def published(self, *, now=None):
        """Items the public may see now: their stored public window is open (see
        :func:`~harness_cms.core.visibility.public_item_q`)."""
        published = self.filter(public_item_q(now=now))
        if self.model.KIND:
            # Implied by the join to the kind's table, but it lets the database read a list of
            # one kind in title order from the (kind, title) index: without it SQLite took the
            # window's index and sorted every item to show the hub's first comparisons.
            published = published.filter(kind=self.model.KIND)
        return published

    def in_sitemap(self):
        """Items the sitemap may list: indexable, at their own address (no canonical
        elsewhere), and not left out by an editor."""
        return self.filter(
            Q(canonical_url="") | Q(canonical_url=F("path")),
            noindex=False,
            exclude_from_sitemap=False,
        )

    def cards(self, *fields):
        """Only the columns a card needs (:data:`CARD_FIELDS` and its picture), plus
        ``fields``."""
        return self.select_related("lead_image").only(*CARD_FIELDS, *CARD_IMAGE_FIELDS, *fields)

    def with_images(self):
        """With the lead and link-preview images a page shows, in the same query."""
        return self.select_related("lead_image", "social_image")

    def with_tag_list(self):
        """With each item's topics (``tag_list``, read by :func:`tags_of`) in the same query:
        one subquery instead of a query of its own per page."""
        content_type = ContentType.objects.get_for_model(self.model)
        pairs = (
            TaggedItem.objects.filter(content_type_id=content_type.pk, object_id=OuterRef("pk"))
            .order_by()
            .values("object_id")
            .annotate(
                listed=StringAgg(
                    Concat(
                        "tag__name", Value(_TAG_PART), "tag__slug", output_field=models.TextField()
                    ),
                    Value(_TAG_SEPARATOR),
                    output_field=models.TextField(),
                )
            )
            .values("listed")
        )
        return self.annotate(tag_list=Subquery(pairs, output_field=models.TextField()))

    def with_byline_list(self):
        """With each item's bylines (``byline_list``: "position:author id" pairs, read by
        :func:`authors_of`) in the same query."""
        pairs = (
            Byline.objects.filter(item=OuterRef("pk"))
            .order_by()
            .values("item")
            .annotate(
                listed=StringAgg(
                    Concat(
                        Cast("position", models.TextField()),
                        Value(_TAG_PART),
                        Cast("author_id", models.TextField()),
                        output_field=models.TextField(),
                    ),
                    Value(_TAG_SEPARATOR),
                    output_field=models.TextField(),
                )
            )
            .values("listed")
        )
        return self.annotate(byline_list=Subquery(pairs, output_field=models.TextField()))


class Editable(Publishable):
    """What every object editors write and publish has besides its window: topics (tags) and a
    version number that refuses a save made from an older form (core.versions)."""

    tags = TaggableManager(blank=True, help_text="Comma-separated topics.")
    # The tag rows themselves, so that revisions can keep and restore them (no column).
    tagged_items = GenericRelation(TaggedItem)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; a form saved from an older version is refused.",
    )
    # Freshness: when someone last confirmed the content still holds. Marking it reviewed
    # writes only these two columns (editorial.freshness), never the content or the version.
    last_reviewed_at = models.DateTimeField(
        "last reviewed",
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last checked that the content still holds. Empty: never; "
        "the review interval then counts from its publish time.",
    )
    last_reviewed_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="last reviewed by",
    )

    class Meta(Publishable.Meta):
        abstract = True

    def clean_fields(self, exclude=None):
        """Also: every Markdown field renders within the time budget (a form error if not)."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not getattr(field, "renders_markdown", False):
                continue
            if field.name in errors or field.name in (exclude or ()):
                continue
            try:
                markdown.render(field.value_from_object(self))
            except markdown.MarkdownTooComplex as too_complex:
                errors[field.name] = [ValidationError(str(too_complex), code="too_complex")]
        for name, missing in self.unknown_references(exclude=[*(exclude or ()), *errors]).items():
            errors[name] = [
                ValidationError(
                    f"No page {', '.join(f'item:{pk}' for pk in missing)}: choose one with "
                    "“Insert link”, or remove the link.",
                    code="unknown_reference",
                )
            ]
        if errors:
            raise ValidationError(errors)

    def unknown_references(self, *, exclude=()):
        """``{field: [ids]}``: links by reference (``item:42``) to items that do not exist,
        in this object's Markdown. A link the saved text already had is left alone (its page
        was deleted since; the form names it, visitors see its text)."""
        fields = [
            field.name
            for field in self._meta.concrete_fields
            if getattr(field, "renders_markdown", False) and field.name not in exclude
        ]
        wanted = {name: references.referenced_ids(getattr(self, name)) for name in fields}
        ids = set().union(*wanted.values())
        if not ids:
            return {}
        unknown = ids - set(ContentItem.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if not unknown:
            return {}
        saved = {}
        if self.pk is not None:
            saved = type(self).objects.filter(pk=self.pk).values(*fields).first() or {}
        found = {}
        for name, referenced in wanted.items():
            had = references.referenced_ids(saved.get(name))
            missing = sorted((referenced & unknown) - had)
            if missing:
                found[name] = missing
        return found


class ContentItem(Editable):
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
        validators=[validate_lowercase_slug],
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
        shown_in="lead",
    )
    lead_html = models.TextField(blank=True, editable=False)
    body = markdown_field("body")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    next_step = markdown_field(
        "next step",
        max_length=SHORT_TEXT_MAX_LENGTH,
        help_text="The call to action after the article: which pages to read next and why.",
        shown_in="next-step-text",
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
    noindex = models.BooleanField(
        "keep out of search results",
        default=False,
        help_text="Asks search engines not to index this page (robots noindex); its links are "
        "still followed, and it leaves the sitemap.",
    )
    canonical_url = models.CharField(
        "canonical address",
        max_length=500,
        blank=True,
        validators=[validate_canonical_url],
        help_text="Only when another address holds the original of this page: a full https:// "
        "address or a path on this site such as /roles/ai-engineer/. The page then leaves the "
        "sitemap. Empty: the page's own address.",
    )
    exclude_from_sitemap = models.BooleanField(
        "leave out of the sitemap",
        default=False,
        help_text="The page stays public and indexable but is not listed in the sitemap.",
    )
    lead_image = image_reference(
        "lead image", help_text="Shown at the top of the page and on its cards."
    )
    social_image = image_reference(
        "image for link previews",
        help_text="What a shared link shows (cut to 1200 × 630 around its focal point). Empty: "
        "the lead image, or else a card drawn from the page's title.",
    )
    search_text = models.TextField(blank=True, editable=False)
    # When the public may see the item, worked out on every save from its own publishing
    # window and those of the items it depends on (harness_cms.core.visibility.live_window).
    live_from = models.DateTimeField(null=True, editable=False, db_index=True)
    live_until = models.DateTimeField(null=True, editable=False)

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
            # The same for a list of one kind (published() of a Role, Comparison or Page).
            models.Index(fields=["kind", "title"], name="contentitem_kind_title"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._saved_path = instance.__dict__.get("path")
        # Whether its address was ever public: publishing sets publish_at, and it stays.
        # (Not loaded: assume it was, and keep the old address.)
        saved_publish_at = instance.__dict__.get("publish_at", NOT_LOADED)
        instance._was_public = saved_publish_at is NOT_LOADED or (
            saved_publish_at is not None and saved_publish_at <= timezone.now()
        )
        return instance

    def save(self, *args, **kwargs):
        self.derive()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "live_from", "live_until"}
        super().save(*args, **kwargs)
        old_path = getattr(self, "_saved_path", None)
        self._saved_path = self.path
        if old_path and old_path != self.path:
            path_changed.send(
                sender=type(self),
                item=self,
                old_path=old_path,
                was_public=getattr(self, "_was_public", True),
            )

    def get_absolute_url(self):
        return self.path

    # What each kind of item says about itself:
    # the value of ``kind`` its rows carry (a concrete kind must set it),
    KIND = None
    # what search results and topic pages call it,
    LABEL = "Page"
    # the items that must be public too for this one to be (foreign keys to items),
    WINDOW_PARENTS = ()
    # what its slug is made of when editors do not write it ("" when they do),
    SLUG_FROM = ""
    # and the rows that belong to it and travel with its revisions: (relation, label).
    REVISION_CHILDREN = (
        ("faq_placements", "FAQs on this page"),
        ("links", "Cards"),
        ("bylines", "Authors"),
    )

    @classmethod
    def kinds(cls):
        """``{kind: model}`` for every concrete kind of item (the subclasses that set KIND)."""
        return {
            model.KIND: model
            for model in apps.get_models()
            if issubclass(model, ContentItem) and model.KIND and not model._meta.proxy
        }

    @classmethod
    def rendered_fields(cls, *, own=False):
        """Names of the stored HTML fields (rendered Markdown); ``own``: only those of this
        model's own table."""
        return [
            field.name
            for field in cls._meta.concrete_fields
            if field.name.endswith("_html") and (not own or field.model is cls)
        ]

    @classmethod
    def alias_target(cls, path):
        """The public item of this kind that ``path``, an address of no page, names in another
        spelling, or None (redirects answer it with a 301 to the item)."""
        return None

    def derive(self):
        """Work out every stored field that follows from the others: kind, address, rendered
        Markdown and table of contents, search text, publish time and public window.

        ``save()`` calls it; so do previews (nothing saved), bulk generation and imports, so
        that what they show or write is exactly what a save would store.
        """
        if self.KIND is None:
            raise TypeError("Save a Role, Comparison or Page, not a bare ContentItem.")
        self.kind = self.KIND
        self.path = self.compute_path()
        self.render_markdown()
        self.search_text = self.build_search_text()
        self.fill_publish_at()
        self.live_from, self.live_until = live_window(*self.windows())

    def windows(self):
        """The publishing windows that must all be open for the public to see this item:
        its own, and those of the items in ``WINDOW_PARENTS``."""
        return [self.own_window(), *(parent.own_window() for parent in self.window_parents())]

    @property
    def state(self):
        """Its effective state, by its stored public window; when it waits for an item it
        depends on (a comparison for its roles), that item is named."""
        parents = [
            (str(parent), parent.status, parent.publish_at, parent.unpublish_at)
            for parent in self.window_parents()
        ]
        return effective_state(
            self.status,
            self.publish_at,
            self.unpublish_at,
            window=(self.live_from, self.live_until),
            parents=parents,
        )

    def dependents(self):
        """The items that are public only while this one is: those that name it in their
        ``WINDOW_PARENTS`` (a role's comparisons and cluster pages)."""
        ids = []
        for model in self.kinds().values():
            if model.WINDOW_PARENTS:
                names = Q()
                for name in model.WINDOW_PARENTS:
                    names |= Q(**{name: self.pk})
                ids += model.objects.filter(names).values_list("pk", flat=True)
        return ContentItem.objects.filter(pk__in=ids)

    def window_parents(self):
        """The items in ``WINDOW_PARENTS`` that this one has."""
        return [
            getattr(self, name)
            for name in self.WINDOW_PARENTS
            if getattr(self, self._meta.get_field(name).attname) is not None
        ]

    @property
    def kind_label(self):
        """What search results and topic pages call this kind of item (Role, Guide...)."""
        return self.kinds()[self.kind].LABEL

    @property
    def is_public(self):
        """Whether the public may see the item now, by its stored public window (the instance
        twin of ``published()``)."""
        return in_window(self.live_from, self.live_until)

    def render_markdown(self):
        self.lead_html = render_markdown_html(self.lead)
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.next_step_html = render_markdown_html(self.next_step)

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

    @classmethod
    def markdown_fields(cls):
        """Names of the fields editors write in Markdown (those with a rendered twin)."""
        return [name[: -len("_html")] for name in cls.rendered_fields()]

    def clean(self):
        super().clean()
        errors = {}
        referenced = {
            name: Image.referenced_ids(getattr(self, name)) for name in self.markdown_fields()
        }
        known = set(
            Image.objects.filter(pk__in=set().union(*referenced.values())).values_list(
                "pk", flat=True
            )
        )
        for name, ids in referenced.items():
            missing = sorted(ids - known)
            if missing:
                errors[name] = (
                    f"No image {', '.join(f'image:{pk}' for pk in missing)} in the library: "
                    "choose one with “Insert image”, or remove the reference."
                )
        if errors:
            raise ValidationError(errors)

    def card(self):
        """What this item's drawn link-preview card says (``harness_cms.images.cards``)."""
        return {
            "kicker": self.kind_label,
            "title": self.title,
            "line": shorten(markdown.to_plain_text(self.lead_html), 150, at=" "),
        }

    @property
    def meta_title(self):
        return self.seo_title or self.title

    @property
    def meta_description(self):
        if self.seo_description:
            return self.seo_description
        return shorten(markdown.to_plain_text(self.lead_html), META_DESCRIPTION_MAX, at=" ")

    def specific(self):
        """The concrete item (Role, Comparison or Page) behind this row."""
        return getattr(self, f"as_{self.kind}")

    def admin_url(self):
        """The item's change form in the admin."""
        opts = self.kinds()[self.kind]._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.pk])


def normalise_text(sender, instance, raw=False, **kwargs):
    """Store every text field with plain LF line endings, whichever way it came in (admin,
    import, restore of a revision, scripts); connected to ``pre_save`` of every content model
    by the core's ``ready()``. A fixture or backup being loaded is stored as it is."""
    if raw:
        return
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, (models.CharField, models.TextField)):
            value = getattr(instance, model_field.attname)
            if isinstance(value, str) and "\r" in value:
                setattr(instance, model_field.attname, normalise_newlines(value))


def refresh_live_windows(item_ids=None):
    """Store the right ``live_from`` / ``live_until`` on the items of ``item_ids`` (all items
    when None) whose stored window is out of step with their data; return how many changed.

    For writes that bypass ``ContentItem.save()``: a role's save (its comparisons and cluster
    pages), a restore of an older export, bulk inserts.
    """

    def only(queryset):
        return queryset if item_ids is None else queryset.filter(pk__in=item_ids)

    depends_on = {}
    for model in ContentItem.kinds().values():
        if model.WINDOW_PARENTS:
            columns = [model._meta.get_field(name).attname for name in model.WINDOW_PARENTS]
            for pk, *parents in only(model.objects.values_list("pk", *columns)):
                depends_on[pk] = [parent for parent in parents if parent is not None]
    window_of = {
        pk: own_window(status, publish_at, unpublish_at)
        for pk, status, publish_at, unpublish_at in ContentItem.objects.filter(
            pk__in={parent for parents in depends_on.values() for parent in parents}
        ).values_list("pk", "status", "publish_at", "unpublish_at")
    }
    fields = ("pk", "status", "publish_at", "unpublish_at", "live_from", "live_until")
    changed = []
    for pk, status, publish_at, unpublish_at, live_from, live_until in only(
        ContentItem.objects.values_list(*fields)
    ).iterator(chunk_size=2000):
        windows = [own_window(status, publish_at, unpublish_at)]
        windows += [window_of[parent] for parent in depends_on.get(pk, ())]
        window = live_window(*windows)
        if window != (live_from, live_until):
            changed.append(ContentItem(pk=pk, live_from=window[0], live_until=window[1]))
    ContentItem.objects.bulk_update(changed, ["live_from", "live_until"], batch_size=500)
    rows_rewritten(ContentItem, [item.pk for item in changed])
    return len(changed)


REVIEW_DAYS_MAX = 3650


def review_interval_field(kind, days):
    return models.PositiveSmallIntegerField(
        f"review {kind} every (days)",
        default=days,
        validators=[MinValueValidator(1), MaxValueValidator(REVIEW_DAYS_MAX)],
        help_text=f"A live item is due for review this many days after it was last reviewed "
        f"(or published, if never reviewed). Default {days}.",
    )


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
    logo = image_reference(
        "logo",
        help_text="The organisation's logo for search engines (square works best). Empty: the "
        "site's mark, drawn in the brand colour.",
    )
    brand_colour = models.CharField(
        "brand colour",
        max_length=7,
        default="#0a58a8",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as # and six hex digits: #0a58a8.")
        ],
        help_text="The colour of link-preview cards, touch icons and the browser's toolbar.",
    )
    faq_rich_results = models.BooleanField(
        "FAQPage structured data",
        default=True,
        help_text="Describe placed FAQs as schema.org FAQPage in each page's structured data.",
    )
    similarity_threshold = models.PositiveSmallIntegerField(
        "similarity threshold",
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text="How alike (50–100 %) two pages' keywords, titles, SEO titles or H1s, or two "
        "questions, must be for Cluster health to say they compete for the same search. Lower "
        "finds more; 100 finds only exact matches.",
    )
    # Freshness: how long a live item of each kind may go unreviewed before it is due
    # (editorial.freshness). One field per publishable model, named review_days_<model name>;
    # a test holds every kind to having one.
    review_days_role = review_interval_field("roles", 180)
    review_days_comparison = review_interval_field("comparisons", 90)
    review_days_page = review_interval_field("cluster pages", 180)
    review_days_faq = review_interval_field("FAQ entries", 365)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return self.site_name

    CACHE_KEY = "harness:site-settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        # Saving starts a new content generation (harness_cms.core.generation): the copy
        # load() keeps is not answered again, in any process.
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.site_name.strip():
            raise ValidationError({"site_name": "The site needs a name."})

    def review_interval(self, model):
        """How long a live ``model`` object may go unreviewed (``review_days_<model name>``)."""
        name = f"review_days_{model._meta.model_name}"
        days = self.__dict__.get(name)
        if days is None:
            # A copy cached by a release before this field (load() keeps it in the shared
            # cache): its default, rather than a query for a column it never read.
            days = self._meta.get_field(name).get_default()
        return timedelta(days=days)

    def page_title(self, text):
        """``text · site name`` when that fits in a search result's title, else ``text`` alone
        (shortened to fit): the title of pages that are not items (search, topics)."""
        full = f"{text} · {self.site_name}"
        return full if len(full) <= TITLE_MAX else shorten(text, TITLE_MAX)

    @classmethod
    def load(cls):
        """The settings row, from the cache when it is there (every page reads it).

        Kept with the content generation: a local-memory cache is per process, and a save in
        one process must reach the others."""
        return cached_for_generation(cls.CACHE_KEY, lambda: cls.objects.get_or_create(pk=1)[0])


class Redirect(models.Model):
    """An earlier public address of an item, answered with a 301 to where the item is now.

    The target is held by reference: when the item moves again, every earlier address follows
    it in one hop, with no chain to maintain. Made automatically when an item's address changes
    (see ``harness_cms.seo.redirects``), or by editors in the redirect manager.
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
        if self.old_path:
            self.old_path = validate_old_path(self.old_path, target=self.target_id and self.target)


class NotFoundAddress(models.Model):
    """An address visitors asked for that answered 404, for the 404 monitor: how often, when
    last, and the page that last linked to it. No visitor data is kept (no client address, no
    browser, no query string), and the table is bounded (``harness_cms.seo.redirects``)."""

    path = models.CharField("address", max_length=400, unique=True)
    hits = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)
    referrer = models.CharField(
        "last linked from",
        max_length=400,
        blank=True,
        help_text="The page that last sent a visitor here, without its query string.",
    )

    # Recording a 404 changes no public page: the content generation (and every cache) stays.
    public_content = False

    class Meta:
        ordering = ["-hits", "-last_seen"]
        verbose_name = "address not found"
        verbose_name_plural = "addresses not found (404 monitor)"

    def __str__(self):
        return self.path


_PATH = re.compile(r"^/[^\s?#]*$")
MAX_PATH_LENGTH = 400


def validate_old_path(path, *, target=None):
    """Return ``path`` cleaned, or raise ValidationError with a message an editor can act on."""
    path = path.strip()
    if "://" in path:
        raise ValidationError({"old_path": "Give the path only, without the site's address."})
    if not _PATH.match(path) or len(path) > MAX_PATH_LENGTH:
        raise ValidationError(
            {"old_path": "An address starts with a slash and has no spaces, ? or #."}
        )
    if target is not None and target.path == path:
        raise ValidationError({"old_path": "A page cannot redirect to its own address."})
    live = ContentItem.objects.filter(path=path).first()
    if live is not None and (target is None or live.pk != target.pk):
        raise ValidationError(
            {"old_path": f"{path} is the address of “{live.title}”; it cannot redirect."}
        )
    return path


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

    # Written on every scheduler run; no public page shows it.
    public_content = False

    window_start = models.DateTimeField()
    window_end = models.DateTimeField(db_index=True)
    went_live = models.PositiveIntegerField(default=0)
    went_offline = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-window_end"]
        get_latest_by = "window_end"

    def __str__(self):
        return f"{moment(self.window_start)} – {moment(self.window_end)}"


AUTHOR_LINKS_MAX = 10


def author_links(text):
    """The addresses of an author's "links" field, one a line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def validate_author_links(text):
    """Each line a full http(s) address (no javascript:, no relative paths), at most ten."""
    links = author_links(text)
    if len(links) > AUTHOR_LINKS_MAX:
        raise ValidationError(f"At most {AUTHOR_LINKS_MAX} addresses, one a line.")
    check = URLValidator(schemes=["https", "http"])
    for link in links:
        try:
            check(link)
        except ValidationError as error:
            raise ValidationError(
                f"“{link[:100]}” is not a full http(s):// address; give one address a line.",
                code="author_link",
            ) from error


class Author(models.Model):
    """A person who writes pages: named in the page's byline and as the Article's author in
    its structured data. Optional: a page without authors is the organisation's."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        validators=[validate_lowercase_slug],
        help_text="Names the author in content files: lowercase letters, digits and hyphens.",
    )
    bio = markdown_field(
        "bio", max_length=2000, help_text="A few sentences about the author, in Markdown."
    )
    bio_html = models.TextField(blank=True, editable=False)
    links = models.TextField(
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000), validate_author_links],
        help_text="The author's profiles elsewhere (their site, a professional profile), one "
        "https:// address a line, their main page first. Search engines read them as the "
        "same person (sameAs).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.bio_html = render_markdown_html(self.bio)
        self.links = "\n".join(author_links(self.links))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            markdown.render(self.bio)
        except markdown.MarkdownTooComplex as too_complex:
            raise ValidationError({"bio": str(too_complex)}) from too_complex

    @property
    def link_list(self):
        return author_links(self.links)

    @property
    def url(self):
        """The author's main page: the first of their links, if any."""
        links = self.link_list
        return links[0] if links else ""


class Byline(models.Model):
    """An author named on an item, in order."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "author of the page"
        verbose_name_plural = "authors of the page"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "author"],
                name="unique_byline",
                violation_error_message="This author is already named on this page.",
            )
        ]

    def __str__(self):
        return f"{self.author} on {self.item}"

    def revision_line(self, *, owner, name_of):
        return name_of(Author, self.author_id)


class RelatedLinkQuerySet(models.QuerySet):
    def visible(self, *, now=None):
        """Cards the public may see: external ones, and those whose target is public now."""
        return self.filter(
            Q(target__isnull=True, external_url__gt="") | public_item_q("target__", now=now)
        )


class RelatedLink(models.Model):
    """A card on one item pointing to another item (by reference) or to an outside page: a
    related page, or a next-step button."""

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
        # Created by the pages app before the core owned cards: the label keeps its table,
        # migrations (pages/migrations), content type, permissions and revisions (decision 0060).
        app_label = "pages"
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

    def revision_line(self, *, owner, name_of):
        """This card as one line of a revision's "Cards" (``name_of(model, pk)``: a name,
        deleted or not)."""
        where = name_of(ContentItem, self.target_id) if self.target_id else self.external_url
        parts = [self.get_section_display(), where, self.title, self.blurb]
        return " — ".join(part for part in parts if part)
