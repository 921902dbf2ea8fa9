"""The search page: ``/search/?q=`` with ranked, highlighted hits, or suggestions when there are
none."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import TemplateView

from comparisons.models import Role
from harness_cms.core.models import SiteSettings
from harness_cms.core.text import shorten
from harness_cms.core.views import crumb, home_crumb
from harness_cms.search import selectors as search
from harness_cms.security import client_ip
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


def seconds_until_allowed(request):
    """0 if this client may search now, else the seconds until it may: at most
    ``settings.SEARCH_RATE_LIMIT`` searches a minute per client address (a fixed window in the
    cache; decision 0089). A cache that does not answer lets the search through."""
    window = int(time.time() // 60)
    key = f"harness:search-rate:{client_ip(request)}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # any cache backend's error: the limit costs a search, never a page
        return 0
    return 0 if count <= settings.SEARCH_RATE_LIMIT else 60 * (window + 1) - int(time.time())


class SearchView(TemplateView):
    """``/search/?q=``: ranked hits with the matched words highlighted; never indexed."""

    template_name = "search/search.html"

    def get(self, request, *args, **kwargs):
        wait = seconds_until_allowed(request) if request.GET.get("q", "").strip() else 0
        if wait:
            context = {
                "page_title": SiteSettings.load().page_title("Too many searches"),
                "noindex": True,
                "wait": max(wait, 1),
                "breadcrumbs": [home_crumb(), crumb("Search", reverse("search:search"))],
            }
            response = TemplateResponse(request, "search/too_many.html", context, status=429)
            response["Retry-After"] = str(max(wait, 1))
            return response
        return super().get(request, *args, **kwargs)

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
