"""The FAQ index: every published question, grouped by topic, fifty to a page."""

from itertools import groupby

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, F, OuterRef, Q
from django.db.models.lookups import IsNull
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from harness_cms.page_cache import cached_for_now
from harness_cms.selectors import count_of
from harness_cms.views import crumb, home_crumb, pager_context

from .models import FAQ

DESCRIPTION_MAX_LENGTH = 160
# More than a hand-written FAQ holds; 100,000 generated questions make 2,000 pages.
FAQS_PER_PAGE = 50
# Topics by position and name, questions without a topic last, then by question.
INDEX_ORDER = (
    F("topic__position").asc(nulls_last=True),
    F("topic__name").asc(nulls_last=True),
    F("question").asc(),
)


def describe(names):
    """A meta description naming the topics the index covers (50–160 characters)."""
    text = "Short answers to common questions"
    if names:
        text += ", grouped by topic: " + ", ".join(names) + "."
    else:
        text += " about the roles, their work and the teams that hire them."
    return text if len(text) <= DESCRIPTION_MAX_LENGTH else text[:157].rsplit(",", 1)[0] + "…"


def index_entries():
    return FAQ.objects.published().select_related("topic").order_by(*INDEX_ORDER)


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


def page_entries(topics, page):
    """The questions of ``page``, read from the topics it spans only.

    Sorting every published question to cut one page out of them took 0.3–0.7 s at 100,000,
    and sorting the questions of the spanned topics still 30 ms. The counts say which
    questions of each spanned topic the page holds, so each topic's share is an id subquery
    that reads the (topic, question) index in order and stops; one query in all.
    """
    start = (page.number - 1) * FAQS_PER_PAGE
    end = start + FAQS_PER_PAGE
    shares = Q()
    for topic in topics:
        first, last = max(start - topic["before"], 0), min(end - topic["before"], topic["count"])
        if first >= last:
            continue
        in_topic = Q(topic=topic["id"]) if topic["id"] is not None else Q(topic__isnull=True)
        ids = FAQ.objects.published().filter(in_topic).order_by("question").values("pk")
        shares |= Q(pk__in=ids[first:last])
    if not shares:
        return []
    return list(index_entries().filter(shares))


def page_url(number, anchor=""):
    if number == 1:
        address = reverse("faq:index")
    else:
        address = reverse("faq:index-page", kwargs={"number": number})
    return f"{address}#{anchor}" if anchor else address


def place_in_topic():
    """For a queryset of FAQs: how many published questions of the same topic the index lists
    before each one. Each count reads the (topic, question) index from the topic's start."""
    same_topic = Q(topic=OuterRef("topic")) | (
        Q(topic__isnull=True) & IsNull(OuterRef("topic"), True)
    )
    return count_of(FAQ.objects.published().filter(same_topic, question__lt=OuterRef("question")))


def index_urls(entries):
    """``{pk: address on the index}`` for ``{pk: dict(slug, topic_id, in_topic_before)}``
    (``in_topic_before`` from :func:`place_in_topic`): the page that lists each question, with
    its anchor. Where each topic starts comes from :func:`topic_counts` (cached)."""
    if not entries:
        return {}
    starts = {topic["id"]: topic["before"] for topic in topic_counts()}
    return {
        pk: page_url(
            (starts.get(entry["topic_id"], 0) + entry["in_topic_before"]) // FAQS_PER_PAGE + 1,
            entry["slug"],
        )
        for pk, entry in entries.items()
    }


class FAQIndexView(TemplateView):
    template_name = "faq/faq_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topics = topic_counts()
        paginator = Paginator(index_entries(), FAQS_PER_PAGE)
        # The topic counts add up to the total: no separate COUNT query.
        paginator.count = sum(topic["count"] for topic in topics)
        number = self.kwargs.get("number", 1)
        if "number" in self.kwargs and number == 1:
            raise Http404("The first page of the FAQ index is /faq/.")
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise Http404("No such page of the FAQ index.") from error
        page.object_list = page_entries(topics, page)
        groups = [
            (topic, list(entries))
            for topic, entries in groupby(page.object_list, key=lambda f: f.topic)
        ]
        for topic in topics:
            topic["url"] = (
                f"#{topic['anchor']}"
                if topic["page"] == page.number
                else page_url(topic["page"], topic["anchor"])
            )
        names = [topic["name"] for topic in topics if topic["id"] is not None]
        context.update(
            pager_context(page, page_url),
            breadcrumbs=[home_crumb(), crumb("FAQ", reverse("faq:index"))],
            groups=groups,
            topics=topics,
            meta_description=describe(names),
        )
        return context
