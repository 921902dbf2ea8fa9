"""The public pages that are not items: search, topics (tags) and the favicon."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, IntegerField, Subquery, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView, TemplateView
from taggit.models import Tag

from comparisons.models import Role
from harness_cms import search
from harness_cms.models import ContentItem, SiteSettings
from harness_cms.selectors import count_of, faqs_tagged, items_tagged, tags_in_use
from harness_cms.views import crumb, home_crumb, pager_context

TITLE_MAX_LENGTH = 65
DESCRIPTION_MAX_LENGTH = 160
# A topic page lists roles first, then comparisons, then guides.
KIND_ORDER = [ContentItem.Kind.ROLE, ContentItem.Kind.COMPARISON, ContentItem.Kind.PAGE]
# Items and answers on one page of a topic (a multiple of 2, 3 and 4: full rows of cards).
TAG_ENTRIES_PER_PAGE = 48


def shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def page_title(text):
    """``text · site name`` when that fits in a search result's title, else ``text`` alone."""
    full = f"{text} · {SiteSettings.load().site_name}"
    return full if len(full) <= TITLE_MAX_LENGTH else shorten(text, TITLE_MAX_LENGTH)


def topics_crumb():
    return crumb("Topics", reverse("site:tags"))


SUGGESTED_TAGS = 12
# As many roles as the home hub shows; the roles index has them all.
SUGGESTED_ROLES = 24


def suggestions():
    """What an empty search page offers instead of results: the first roles and the main
    topics."""
    tags = sorted(tags_in_use(), key=lambda tag: -tag["count"])[:SUGGESTED_TAGS]
    roles = list(
        Role.objects.published().only("kind", "title", "path", "summary")[: SUGGESTED_ROLES + 1]
    )
    return {
        "suggested_roles": roles[:SUGGESTED_ROLES],
        "more_roles": len(roles) > SUGGESTED_ROLES,
        "suggested_tags": sorted(tags, key=lambda tag: tag["name"].lower()),
    }


class SearchView(TemplateView):
    """``/search/?q=``: ranked hits with the matched words highlighted; never indexed."""

    template_name = "harness_cms/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = search.parse_query(self.request.GET.get("q", ""))
        results = search.search(query, self.request.GET.get("page")) if query else None
        if query:
            title = page_title(f"Search: {shorten(query.text, 30)}")
        else:
            title = page_title("Search the guide")
        context.update(
            query=query,
            results=results,
            max_query_length=search.MAX_QUERY_LENGTH,
            advanced_syntax=search.supports_advanced_syntax(),
            page_title=title,
            noindex=True,
            meta_description=(
                "Search every role, comparison, guide and answer on "
                f"{SiteSettings.load().site_name}."
            ),
            breadcrumbs=[home_crumb(), crumb("Search", reverse("site:search"))],
        )
        if results is None or not results.paginator.count:
            context.update(suggestions())
        elif results.has_other_pages():
            # The pager's neighbours (includes/pager.html); the results page has no canonical.
            def url_of(number):
                return f"?{urlencode({'q': query.text, 'page': number})}"

            if results.has_previous():
                context["previous_url"] = url_of(results.previous_page_number())
            if results.has_next():
                context["next_url"] = url_of(results.next_page_number())
        return context


class TagListView(TemplateView):
    """``/tags/``: every topic that has at least one public page or answer."""

    template_name = "harness_cms/tag_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site_name = SiteSettings.load().site_name
        context.update(
            tags=tags_in_use(),
            page_title=page_title("All topics"),
            meta_description=shorten(
                f"Every topic covered on {site_name}, with the roles, comparisons, guides and "
                "answers filed under each.",
                DESCRIPTION_MAX_LENGTH,
            ),
            breadcrumbs=[home_crumb(), topics_crumb()],
        )
        return context


def tag_page_url(slug, number):
    if number == 1:
        return reverse("site:tag", kwargs={"slug": slug})
    return reverse("site:tag-page", kwargs={"slug": slug, "number": number})


class TagDetailView(TemplateView):
    """``/tags/<slug>/``: the public items and FAQs with one tag, items first (roles,
    comparisons, guides, each by title), then the questions; pages of 48 at
    ``/tags/<slug>/page/N/``. 404 when the tag is on nothing public.

    Three queries, whatever the size: the tag with both counts, the page's items, its FAQs.
    """

    template_name = "harness_cms/tag_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug, number = self.kwargs["slug"], self.kwargs.get("number", 1)
        if "number" in self.kwargs and number == 1:
            raise Http404("The first page of a topic is its own address.")
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
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise Http404("No such page of this topic.") from error
        # The page's share of the items, then of the FAQs that follow them.
        start, end = page.start_index() - 1, page.end_index()
        items = []
        if start < tag.item_count:
            kind_order = Case(
                *(When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)),
                output_field=IntegerField(),
            )
            items = list(
                items_tagged(tag)
                .only("kind", "title", "path", "seo_description", "lead_html")
                .order_by(kind_order, Lower("title"), "pk")[start : min(end, tag.item_count)]
            )
        faqs = []
        if end > tag.item_count:
            faqs = list(
                faqs_tagged(tag).order_by("question", "pk")[
                    max(start - tag.item_count, 0) : end - tag.item_count
                ]
            )
        for item in items:
            item.label = search.LABELS[item.kind]
        counts = []
        if tag.item_count:
            counts.append(f"{tag.item_count:,} page{'s' if tag.item_count != 1 else ''}")
        if tag.faq_count:
            counts.append(f"{tag.faq_count:,} answer{'s' if tag.faq_count != 1 else ''}")
        site_name = SiteSettings.load().site_name
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
            page_title=page_title(title),
            meta_description=shorten(
                f"Everything on {site_name} about {name}: {' and '.join(counts)}"
                + (f" (page {number} of {paginator.num_pages})." if number > 1 else "."),
                DESCRIPTION_MAX_LENGTH,
            ),
            breadcrumbs=[
                home_crumb(),
                topics_crumb(),
                crumb(capfirst(name), tag_page_url(slug, 1)),
            ],
        )
        return context


@method_decorator(cache_control(max_age=86400, public=True), name="dispatch")
class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
