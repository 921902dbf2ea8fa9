"""Template context every page needs."""

import functools

from django.conf import settings
from django.urls import reverse

from harness_cms.core.addresses import urlconf_key
from harness_cms.core.models import SiteSettings

# The addresses every page's head, header and footer link to, by name.
SITE_URLS = {
    "home": "pages:home",
    "roles": "comparisons:roles",
    "comparisons": "comparisons:index",
    "faq": "faq:index",
    "tags": "topics:tags",
    "search": "search:search",
    "feed": "seo:feed",
    "touch_icon": "images:touch-icon",
}


@functools.lru_cache(maxsize=16)
def _site_urls(urlconf, script_prefix):
    return {key: reverse(name, urlconf=urlconf) for key, name in SITE_URLS.items()}


def site_urls():
    """:data:`SITE_URLS` reversed: once per URLconf and script prefix, not a dozen times on
    every page."""
    return _site_urls(*urlconf_key())


# The sections of the main navigation, by their key in SITE_URLS.
NAV_SECTIONS = ("home", "roles", "comparisons", "faq")


def site(request):
    urls = site_urls()
    # The navigation's section this page is (its link is marked current), or "".
    section = next((key for key in NAV_SECTIONS if request.path == urls[key]), "")
    return {
        "site": SiteSettings.load(),
        "SITE_URL": settings.SITE_URL,
        "urls": urls,
        "nav_section": section,
    }
