"""The search page: ``/search/?q=`` with ranked, highlighted hits, or suggestions when there are
none."""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import TemplateView

from comparisons.models import Role
from harness_cms.core.models import SiteSettings
from harness_cms.core.text import shorten
from harness_cms.core.views import crumb, home_crumb
from harness_cms.search import selectors as search
from harness_cms.topics.selectors import tags_in_use

SUGGESTED_TAGS = 12
# As many roles as the home hub shows; the roles index has them all.
SUGGESTED_ROLES = 24


def suggestions():
    """What an empty search page offers instead of results: the first roles and the main
    topics."""
    tags = sorted(tags_in_use(), key=lambda tag: -tag["count"])[:SUGGESTED_TAGS]
    roles = list(Role.objects.published().cards("summary")[: SUGGESTED_ROLES + 1])
    return {
        "suggested_roles": roles[:SUGGESTED_ROLES],
        "more_roles": len(roles) > SUGGESTED_ROLES,
        "suggested_tags": sorted(tags, key=lambda tag: tag["name"].lower()),
    }


class SearchView(TemplateView):
    """``/search/?q=``: ranked hits with the matched words highlighted; never indexed."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = search.parse_query(self.request.GET.get("q", ""))
        results = search.search(query, self.request.GET.get("page")) if query else None
        site = SiteSettings.load()
        if query:
            title = site.page_title(f"Search: {shorten(query.text, 30)}")
        else:
            title = site.page_title("Search the guide")
        context.update(
            query=query,
            results=results,
            max_query_length=search.MAX_QUERY_LENGTH,
            advanced_syntax=search.supports_advanced_syntax(),
            page_title=title,
            noindex=True,
            meta_description=(
                f"Search every role, comparison, guide and answer on {site.site_name}."
            ),
            breadcrumbs=[home_crumb(), crumb("Search", reverse("search:search"))],
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
