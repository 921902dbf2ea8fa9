"""The public pages that are not items: search, topics (tags) and the favicon."""

from django.http import Http404
from django.shortcuts import get_object_or_404
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
from harness_cms.selectors import faqs_tagged, items_tagged, tags_in_use
from harness_cms.views import crumb, home_crumb

TITLE_MAX_LENGTH = 65
DESCRIPTION_MAX_LENGTH = 160
# A topic page lists roles first, then comparisons, then guides.
KIND_ORDER = [ContentItem.Kind.ROLE, ContentItem.Kind.COMPARISON, ContentItem.Kind.PAGE]


def shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def page_title(text):
    """``text · site name`` when that fits in a search result's title, else ``text`` alone."""
    full = f"{text} · {SiteSettings.load().site_name}"
    return full if len(full) <= TITLE_MAX_LENGTH else shorten(text, TITLE_MAX_LENGTH)


def topics_crumb():
    return crumb("Topics", reverse("site:tags"))


SUGGESTED_TAGS = 12


def suggestions():
    """What an empty search page offers instead of results: the roles and the main topics."""
    tags = sorted(tags_in_use(), key=lambda tag: -tag["count"])[:SUGGESTED_TAGS]
    return {
        "suggested_roles": list(Role.objects.published()),
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


class TagDetailView(TemplateView):
    """``/tags/<slug>/``: the public items and FAQs with one tag; 404 when there are none."""

    template_name = "harness_cms/tag_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        items = list(
            items_tagged(tag).only("kind", "title", "path", "seo_description", "lead_html")
        )
        faqs = list(faqs_tagged(tag).order_by("question"))
        if not items and not faqs:
            # A tag only drafts carry would otherwise reveal what is being written.
            raise Http404("No public page has this tag.")
        items.sort(key=lambda item: (KIND_ORDER.index(item.kind), item.title.lower()))
        for item in items:
            item.label = search.LABELS[item.kind]
        counts = []
        if items:
            counts.append(f"{len(items)} page{'s' if len(items) != 1 else ''}")
        if faqs:
            counts.append(f"{len(faqs)} answer{'s' if len(faqs) != 1 else ''}")
        site_name = SiteSettings.load().site_name
        name = shorten(tag.name, 60)
        context.update(
            tag=tag,
            items=items,
            faqs=faqs,
            counts=" and ".join(counts),
            page_title=page_title(f"Topic: {shorten(tag.name, 40)}"),
            meta_description=shorten(
                f"Everything on {site_name} about {name}: {' and '.join(counts)}.",
                DESCRIPTION_MAX_LENGTH,
            ),
            breadcrumbs=[home_crumb(), topics_crumb(), crumb(capfirst(name), self.request.path)],
        )
        return context


@method_decorator(cache_control(max_age=86400, public=True), name="dispatch")
class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
