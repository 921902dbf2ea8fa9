"""Sitemaps for Django's sitemaps framework: every public item, and the pages that are not items.

Built for size: the item sitemap reads two columns (path, updated_at) as tuples, and past
50,000 URLs ``/sitemap.xml`` becomes a sitemap index (see ``views.sitemap_xml``) whose item
parts each list one range of ``limit`` primary keys, so that a change to an item remakes only
its part (``seo.stored``).
"""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib import sitemaps
from django.core.paginator import Paginator
from django.db.models import F, IntegerField, Max, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.functional import cached_property

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
    """Every public item that asks to be indexed at its own address and to be listed; with
    ``part`` (from 1), those whose keys are in that part's range of ``limit`` keys."""

    def __init__(self, part=None):
        self.part = part

    def key_range(self):
        """``(start, stop)``: the keys ``start <= pk < stop`` of this part."""
        return (self.part - 1) * self.limit, self.part * self.limit

    def listed(self):
        items = ContentItem.objects.published().in_sitemap()
        if self.part is not None:
            start, stop = self.key_range()
            items = items.filter(pk__gte=start, pk__lt=stop)
        return items

    def items(self):
        return self.listed().order_by("pk").values_list("path", "updated_at")

    def parts(self):
        """``(part, latest lastmod)`` of every part that lists at least one item, in order."""
        part = Cast(F("pk"), IntegerField()) / Value(self.limit) + Value(1)
        return list(
            self.listed()
            .order_by()
            .annotate(part=part)
            .values_list("part")
            .annotate(latest=Max("updated_at"))
            .order_by("part")
        )

    def location(self, row):
        return row[0]

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return self.listed().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(SiteUrlSitemap):
    """Public pages that are not content items, every page of each paged list among them: what
    each app's config lists in ``sitemap_pages()`` (the roles and comparisons indexes, the FAQ
    index, the topics), and ``/`` when no home hub item exists.

    The apps list their own pages so that the sitemap knows no app's views or page sizes (the
    service apps do not import each other; decision 0100).
    """

    # A topic's address may hold 100 letters of any script, percent-encoded at up to 12 bytes
    # each: at 50,000 such lines a part would pass the protocol's 50 MB, at 25,000 it cannot.
    limit = 25_000

    def items(self):
        rows = []
        if not ContentItem.objects.published().filter(path="/").exists():
            latest = ContentItem.objects.published().aggregate(latest=Max("updated_at"))
            rows.append((reverse("pages:home"), latest["latest"]))
        for config in apps.get_app_configs():
            pages = getattr(config, "sitemap_pages", None)
            if pages is not None:
                rows.extend(pages())
        return rows

    def location(self, row):
        return row[0]

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return max((row[1] for row in self.items() if row[1] is not None), default=None)


SITEMAPS = {"items": ItemSitemap, "pages": PageSitemap}
