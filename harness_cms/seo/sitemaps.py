"""Sitemaps for Django's sitemaps framework: every public item, and the pages that are not items.

Built for size: the item sitemap reads two columns (path, updated_at) as tuples, and past
50,000 URLs ``/sitemap.xml`` becomes a sitemap index (see ``views.sitemap_xml``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from faq.models import FAQ
from harness_cms.core.models import ContentItem


class SiteUrlSitemap(sitemaps.Sitemap):
    """Absolute URLs from ``SITE_URL``, whatever host the request came in on."""

    @cached_property
    def paginator(self):
        # The framework builds a new Paginator (and counts again) on every access.
        return Paginator(self._items(), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        origin = urlsplit(settings.SITE_URL)
        return self._urls(page, origin.scheme, origin.netloc)


class ItemSitemap(SiteUrlSitemap):
    def items(self):
        return ContentItem.objects.published().order_by("pk").values_list("path", "updated_at")

    def location(self, row):
        return row[0]

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return ContentItem.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(SiteUrlSitemap):
    """Public pages that are not content items: the roles index, the comparisons index, the
    FAQ index, and ``/`` when no home hub exists."""

    def items(self):
        names = ["comparisons:roles", "comparisons:index", "faq:index"]
        if not ContentItem.objects.published().filter(path="/").exists():
            names.insert(0, "pages:home")
        return names

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if name == "faq:index":
            return FAQ.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        items = ContentItem.objects.published()
        if name == "comparisons:roles":
            items = items.filter(kind=ContentItem.Kind.ROLE)
        elif name == "comparisons:index":
            items = items.filter(kind__in=[ContentItem.Kind.ROLE, ContentItem.Kind.COMPARISON])
        return items.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"items": ItemSitemap, "pages": PageSitemap}
