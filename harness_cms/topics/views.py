"""Topic pages: ``/tags/`` lists every topic in use, ``/tags/<slug>/`` the public pages and
answers of one, paged."""

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Subquery, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.urls import reverse
from django.utils.text import capfirst
from django.views.generic import TemplateView
from taggit.models import Tag

from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.core.paging import numbered_page, numbered_url, pager_context
from harness_cms.core.queries import count_of
from harness_cms.core.text import META_DESCRIPTION_MAX, shorten
from harness_cms.core.views import crumb, home_crumb
from harness_cms.topics.selectors import faqs_tagged, items_tagged, tags_in_use

# Items and answers on one page of a topic (a multiple of 2, 3 and 4: full rows of cards).
TAG_ENTRIES_PER_PAGE = 48


def topics_crumb():
    return crumb("Topics", reverse("topics:tags"))


class TagListView(TemplateView):
    """``/tags/``: every topic that has at least one public page or answer."""

    template_name = "topics/tag_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = SiteSettings.load()
        context.update(
            tags=tags_in_use(),
            page_title=site.page_title("All topics"),
            meta_description=shorten(
                f"Every topic covered on {site.site_name}, with the roles, comparisons, guides "
                "and answers filed under each.",
                META_DESCRIPTION_MAX,
            ),
            breadcrumbs=[home_crumb(), topics_crumb()],
        )
        return context


def tag_page_url(slug, number):
    return numbered_url("topics:tag", number, slug=slug)


class TagDetailView(TemplateView):
    """``/tags/<slug>/``: the public items and FAQs with one tag, items first (roles,
    comparisons, guides, each by title), then the questions; pages of 48 at
    ``/tags/<slug>/page/N/``. 404 when the tag is on nothing public.

    Three queries, whatever the size: the tag with both counts, the page's items, its FAQs.
    """

    template_name = "topics/tag_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.kwargs["slug"]
        tag_id = Subquery(Tag.objects.filter(slug=slug).values("pk")[:1])
        tag = (
            Tag.objects.filter(slug=slug)
            .annotate(
                item_count=count_of(items_tagged(tag_id)),
                faq_count=count_of(faqs_tagged(tag_id)),
            )
            .first()
        )
        if tag is None or not (tag.item_count or tag.faq_count):
            # A tag only drafts carry would otherwise reveal what is being written.
            raise Http404("No public page has this tag.")
        paginator = Paginator(range(tag.item_count + tag.faq_count), TAG_ENTRIES_PER_PAGE)
        page = numbered_page(paginator, self.kwargs, what="this topic")
        number = page.number
        # The page's share of the items, then of the FAQs that follow them.
        start, end = page.start_index() - 1, page.end_index()
        items = []
        if start < tag.item_count:
            kind_order = Case(
                # Kinds in the order their apps come: roles, comparisons, guides.
                *(When(kind=kind, then=Value(i)) for i, kind in enumerate(ContentItem.kinds())),
                output_field=IntegerField(),
            )
            items = list(
                items_tagged(tag)
                .cards()
                .order_by(kind_order, Lower("title"), "pk")[start : min(end, tag.item_count)]
            )
        faqs = []
        if end > tag.item_count:
            faqs = list(
                faqs_tagged(tag).order_by("question", "pk")[
                    max(start - tag.item_count, 0) : end - tag.item_count
                ]
            )
        counts = []
        if tag.item_count:
            counts.append(f"{tag.item_count:,} page{'s' if tag.item_count != 1 else ''}")
        if tag.faq_count:
            counts.append(f"{tag.faq_count:,} answer{'s' if tag.faq_count != 1 else ''}")
        site = SiteSettings.load()
        name = shorten(tag.name, 60)
        title = f"Topic: {shorten(tag.name, 40)}"
        if number > 1:
            title += f", page {number}"
        context.update(
            pager_context(page, lambda n: tag_page_url(slug, n)),
            tag=tag,
            items=items,
            faqs=faqs,
            counts=" and ".join(counts),
            page_title=site.page_title(title),
            meta_description=shorten(
                f"Everything on {site.site_name} about {name}: {' and '.join(counts)}"
                + (f" (page {number} of {paginator.num_pages})." if number > 1 else "."),
                META_DESCRIPTION_MAX,
            ),
            breadcrumbs=[
                home_crumb(),
                topics_crumb(),
                crumb(capfirst(name), tag_page_url(slug, 1)),
            ],
        )
        return context
