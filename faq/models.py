"""FAQ entries, their topics, where each one appears, and where each one sits on the paged FAQ
index."""

from bisect import bisect_right

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Mod, RowNumber
from django.db.models.lookups import IsNull

from harness_cms.core import markdown
from harness_cms.core.generation import cached_for_now
from harness_cms.core.models import (
    SHORT_TEXT_MAX_LENGTH,
    ContentItem,
    Editable,
    markdown_field,
    validate_lowercase_slug,
)
from harness_cms.core.paging import numbered_url
from harness_cms.core.queries import count_of
from harness_cms.core.visibility import (
    Publishable,
    PublishableQuerySet,
    public_item_q,
    published_q,
)
from harness_cms.images.models import render_markdown_html

# More than a hand-written FAQ holds; 100,000 generated questions make 2,000 pages.
FAQS_PER_PAGE = 50
# The FAQ index's order: topics by position and name, questions without a topic last, then by
# question.
INDEX_ORDER = (
    F("topic__position").asc(nulls_last=True),
    F("topic__name").asc(nulls_last=True),
    F("question").asc(),
)


class Topic(models.Model):
    """A group of questions on the FAQ index (the role, context engineering, memory...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_lowercase_slug])
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class FAQQuerySet(PublishableQuerySet):
    def in_index_order(self):
        """Published questions as the FAQ index lists them, with their topics."""
        return self.published().select_related("topic").order_by(*INDEX_ORDER)

    def with_home(self, *, now=None):
        """Each with ``home_path``: the address of the one page whose structured data marks the
        question up — the public placement an editor marked, else its first (oldest) placement
        on a public item; None when it is on no public item, and then the FAQ index is its home
        (decision 0102). In the same query."""
        first = (
            # The public rule on the joined item itself: as an id list it listed every public
            # item once per query (10 ms at 4,000 items on SQLite).
            FAQPlacement.objects.filter(public_item_q("item__", now=now), faq=OuterRef("pk"))
            .order_by("-is_home", "pk")
            .values("item__path")[:1]
        )
        return self.annotate(home_path=Subquery(first))

    def with_place_in_topic(self):
        """Each with ``in_topic_before``: how many published questions of its topic the index
        lists before it (a count over the (topic, question) index from the topic's start)."""
        same_topic = Q(topic=OuterRef("topic")) | (
            Q(topic__isnull=True) & IsNull(OuterRef("topic"), True)
        )
        before = FAQ.objects.published().filter(same_topic, question__lt=OuterRef("question"))
        return self.annotate(in_topic_before=count_of(before))


class FAQ(Editable):
    """One question and its answer, shown wherever it is placed and on the FAQ index."""

    question = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        validators=[validate_lowercase_slug],
        help_text="The question's anchor on the FAQ index.",
    )
    answer = markdown_field("answer", max_length=SHORT_TEXT_MAX_LENGTH, shown_in="faq-answer")
    answer_html = models.TextField(blank=True, editable=False)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="faqs", null=True, blank=True
    )
    objects = FAQQuerySet.as_manager()

    # The rows that belong to an entry and travel with its revisions: (relation, label).
    REVISION_CHILDREN = (("placements", "Appears on"),)

    class Meta:
        ordering = ["topic__position", "question"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        constraints = Publishable.Meta.constraints
        # A page of the FAQ index reads each topic's questions in order from it (faq.views).
        indexes = [models.Index(fields=["topic", "question"], name="faq_topic_question")]
        permissions = [("publish_faq", "Can publish, unpublish and schedule FAQ entries")]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The answer on the page of the FAQ index that lists it."""
        entry = (
            FAQ.objects.filter(pk=self.pk)
            .with_place_in_topic()
            .values("slug", "topic_id", "in_topic_before")
            .get()
        )
        return index_urls({self.pk: entry})[self.pk]

    def derive(self):
        """Work out what a save stores besides the editor's fields (the rendered answer)."""
        self.answer_html = render_markdown_html(self.answer)

    @property
    def answer_text(self):
        return markdown.to_plain_text(self.answer_html)


class PlacementQuerySet(models.QuerySet):
    def visible(self, *, now=None):
        return self.filter(published_q("faq__", now=now))


class FAQPlacement(models.Model):
    """An FAQ shown on a role, comparison or cluster page, in order."""

    faq = models.ForeignKey(FAQ, on_delete=models.CASCADE, related_name="placements")
    item = models.ForeignKey(
        ContentItem,
        on_delete=models.CASCADE,
        related_name="faq_placements",
        verbose_name="shown on",
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_home = models.BooleanField(
        "marked up here",
        default=False,
        help_text="The one page whose structured data (FAQPage) describes this question. "
        "None ticked: the first page it was placed on that is public.",
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ placement"
        constraints = [
            models.UniqueConstraint(
                fields=["faq", "item"],
                name="unique_faq_placement",
                violation_error_message="This FAQ is already shown on that page.",
            ),
            models.UniqueConstraint(
                fields=["faq"],
                condition=Q(is_home=True),
                name="one_home_per_faq",
                violation_error_message="This question is already marked up on another page; "
                "untick “marked up here” there first.",
            ),
        ]

    def __str__(self):
        return f"{self.faq} → {self.item}"

    def revision_line(self, *, owner, name_of):
        """This placement as one line of a revision: the FAQ on an item's revision, the item
        on an FAQ's (``name_of(model, pk)``: a name, deleted or not)."""
        if owner == "item":
            return name_of(FAQ, self.faq_id)
        return name_of(ContentItem, self.item_id)


def topic_counts():
    """The index's topics in order, each with its count, the page its questions start on and
    how many questions come before it.

    One grouped query over every published question, cached (``cached_for_now``: for the
    content generation and until the next scheduled time): every page of the index reads it.
    """
    return cached_for_now("faq-topic-counts", _topic_counts)


def _topic_counts():
    rows = (
        FAQ.objects.published()
        .values("topic", "topic__name", "topic__slug", "topic__position")
        .annotate(count=Count("pk"))
        .order_by()
    )
    rows = sorted(
        rows,
        key=lambda row: (row["topic"] is None, row["topic__position"] or 0, row["topic__name"]),
    )
    before = 0
    topics = []
    for row in rows:
        topics.append(
            {
                "name": row["topic__name"] or "Other questions",
                "anchor": f"topic-{row['topic__slug'] or 'other'}",
                "count": row["count"],
                "page": before // FAQS_PER_PAGE + 1,
                "before": before,
                "id": row["topic"],
            }
        )
        before += row["count"]
    return topics


def page_starts():
    """``{topic id: [(question, page), ...]}``: the questions that open a page of the FAQ
    index, in index order, with that page's number (None for the questions without a topic);
    or None where the database orders text otherwise than Python does. Cached like
    :func:`topic_counts`: finding the page of any question then needs no query (decision 0150).
    """
    return cached_for_now("faq-index-page-starts", _page_starts)


# Collations that order text by code point, as Python compares strings.
CODE_POINT_COLLATIONS = {"c", "posix", "c.utf-8", "c.utf8", "ucs_basic"}


def _page_starts():
    from django.db import connection

    numbered = (
        FAQ.objects.published()
        .order_by()
        .alias(place=Window(RowNumber(), order_by=INDEX_ORDER))
        .annotate(place_on_page=Mod(F("place") - 1, FAQS_PER_PAGE), page=F("place"))
        .filter(place_on_page=0)
    )
    if connection.vendor == "postgresql":
        # The database's collation, read in the same query.
        numbered = numbered.annotate(
            collation=RawSQL(
                "SELECT datcollate FROM pg_database WHERE datname = current_database()", []
            )
        )
    elif connection.vendor == "sqlite":  # text compared by its bytes unless told otherwise
        numbered = numbered.annotate(collation=Value("C"))
    else:
        return None
    starts = {}
    for topic_id, question, place, collation in numbered.values_list(
        "topic_id", "question", "page", "collation"
    ):
        if collation.lower() not in CODE_POINT_COLLATIONS:
            return None
        starts.setdefault(topic_id, []).append((question, (place - 1) // FAQS_PER_PAGE + 1))
    return starts


def index_page_url(number, anchor=""):
    """The address of page ``number`` of the FAQ index, with ``#anchor`` if given."""
    address = numbered_url("faq:index", number)
    return f"{address}#{anchor}" if anchor else address


def index_urls(entries):
    """``{pk: address on the index}`` for ``{pk: dict(slug, topic_id, in_topic_before)}``
    (``in_topic_before`` from ``with_place_in_topic()``): the page that lists each question,
    with its anchor. Where each topic starts comes from :func:`topic_counts` (cached)."""
    if not entries:
        return {}
    starts = {topic["id"]: topic["before"] for topic in topic_counts()}
    return {
        pk: index_page_url(
            (starts.get(entry["topic_id"], 0) + entry["in_topic_before"]) // FAQS_PER_PAGE + 1,
            entry["slug"],
        )
        for pk, entry in entries.items()
    }


def index_urls_of(entries):
    """``{pk: address on the index}`` for ``{pk: dict(slug, topic_id, question)}`` of published
    questions, as :func:`index_urls` gives, from the cached :func:`page_starts` (no query once
    they are made); where they cannot be used, with one query for the questions' places."""
    if not entries:
        return {}
    starts = page_starts()
    if starts is None:
        places = FAQ.objects.filter(pk__in=entries).with_place_in_topic()
        return index_urls(
            {
                pk: {**entries[pk], "in_topic_before": before}
                for pk, before in places.values_list("pk", "in_topic_before")
            }
        )
    first_pages = {topic["id"]: topic["page"] for topic in topic_counts()}
    urls = {}
    for pk, entry in entries.items():
        opening = starts.get(entry["topic_id"], [])
        # The last page start at or before the question; none: the page its topic starts on.
        found = bisect_right(opening, entry["question"], key=lambda start: start[0])
        page = opening[found - 1][1] if found else first_pages.get(entry["topic_id"], 1)
        urls[pk] = index_page_url(page, entry["slug"])
    return urls
