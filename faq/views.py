"""The FAQ index: every published question, grouped by topic, fifty to a page."""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse
from django.views.generic import TemplateView

from harness_cms.core.paging import numbered_page, pager_context
from harness_cms.core.text import META_DESCRIPTION_MAX, shorten
from harness_cms.core.views import crumb, home_crumb

from . import models
from .models import FAQ, index_page_url, topic_counts


def describe(names):
    """A meta description naming the topics the index covers (50–160 characters)."""
    text = "Short answers to common questions"
    if names:
        text += ", grouped by topic: " + ", ".join(names) + "."
    else:
        text += " about the roles, their work and the teams that hire them."
    return shorten(text, META_DESCRIPTION_MAX, at=",")


def page_entries(topics, page):
    """The questions of ``page``, read from the topics it spans only.

    Sorting every published question to cut one page out of them is slow at scale
    (docs/performance.md, third round). The counts say which questions of each spanned topic the
    page holds, so each topic's share is an id subquery that reads the (topic, question) index
    in order and stops; one query in all.
    """
    start = (page.number - 1) * models.FAQS_PER_PAGE
    end = start + models.FAQS_PER_PAGE
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
    return list(FAQ.objects.in_index_order().with_home().filter(shares))


class FAQIndexView(TemplateView):
    template_name = "faq/faq_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topics = topic_counts()
        paginator = Paginator(FAQ.objects.in_index_order(), models.FAQS_PER_PAGE)
        # The topic counts add up to the total: no separate COUNT query.
        paginator.count = sum(topic["count"] for topic in topics)
        page = numbered_page(paginator, self.kwargs, what="the FAQ index")
        page.object_list = page_entries(topics, page)
        groups = [
            (topic, list(entries))
            for topic, entries in groupby(page.object_list, key=lambda f: f.topic)
        ]
        for topic in topics:
            topic["url"] = (
                f"#{topic['anchor']}"
                if topic["page"] == page.number
                else index_page_url(topic["page"], topic["anchor"])
            )
        names = [topic["name"] for topic in topics if topic["id"] is not None]
        context.update(
            pager_context(page, index_page_url),
            breadcrumbs=[home_crumb(), crumb("FAQ", reverse("faq:index"))],
            groups=groups,
            topics=topics,
            meta_description=describe(names),
        )
        return context
