"""What crawlers fetch besides pages: robots.txt, the sitemap (or its index), llms.txt."""

import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from comparisons.models import Comparison, Role
from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.seo.head import absolute_url
from harness_cms.seo.sitemaps import SITEMAPS, ItemSitemap
from harness_cms.seo.stored import StoredFile, items_part, stored
from pages.models import Page

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@require_GET
def robots_txt(request):
    return render(
        request,
        "seo/robots.txt",
        {"sitemap_url": absolute_url(reverse("seo:sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


def _sitemaps():
    return {name: cls() for name, cls in SITEMAPS.items()}


def _url_count(maps):
    return sum(sitemap.paginator.count for sitemap in maps.values())


def _lastmod(value):
    return value.isoformat(timespec="seconds") if value else ""


XML = "application/xml"
# "gzip", unless the client gives it a weight of zero.
_ACCEPTS_GZIP = re.compile(r"(?:^|,)\s*gzip\s*(?:,|$|;\s*q=(?!0(?:\.0*)?\s*(?:,|$)))")


def urlset(maps, page=1):
    """The ``<urlset>`` of ``page`` of each sitemap as a :class:`StoredFile`, written directly:
    50,000 URLs through the template engine take seconds, this takes a fraction of one.

    Uses the framework's Sitemap API (``paginator``, ``location``, ``lastmod``) and its URLs from
    ``SITE_URL``; raises Http404 for a page that does not exist.
    """
    origin = settings.SITE_URL
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{SITEMAP_NS}">\n']
    latest = None
    for sitemap in maps.values():
        try:
            rows = sitemap.paginator.page(page).object_list
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(f"No sitemap page {page!r}.") from error
        for row in rows:
            lastmod = sitemap.lastmod(row)
            if lastmod and (latest is None or lastmod > latest):
                latest = lastmod
            loc = xml_escape(origin + sitemap.location(row))
            stamp = f"<lastmod>{_lastmod(lastmod)}</lastmod>" if lastmod else ""
            parts.append(f"<url><loc>{loc}</loc>{stamp}</url>\n")
    parts.append("</urlset>\n")
    return StoredFile.of("".join(parts).encode(), XML, latest.timestamp() if latest else None)


def file_response(request, file):
    """A stored file answered as a static file server would: gzipped to clients that take it,
    with its ETag and Last-Modified (``ConditionalGetMiddleware`` answers 304 from them)."""
    gzipped = bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "").lower()))
    response = HttpResponse(file.gzipped if gzipped else file.body, content_type=file.content_type)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    # Each encoding is its own representation, with its own strong validator.
    response.headers["ETag"] = file.etag[:-1] + '-gz"' if gzipped else file.etag
    if file.last_modified:
        response.headers["Last-Modified"] = http_date(file.last_modified)
    # Stored here already: the page cache, which keeps one body per address, leaves it.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def _sitemap_file():
    maps = _sitemaps()
    if _url_count(maps) <= min(sitemap.limit for sitemap in maps.values()):
        return urlset(maps)
    return sitemap_index(maps)


@require_GET
def sitemap_xml(request):
    """The sitemap itself up to 50,000 URLs (the protocol's limit); past that, an index of
    ``/sitemap-<section>.xml`` and ``/sitemap-<section>-<page>.xml`` files. Stored: made again
    only when what it lists changes (``seo.stored``)."""
    if request.GET.get("p", "1") != "1":
        raise Http404("The sitemap has one page.")
    return file_response(request, stored("sitemap.xml", _sitemap_file))


def _part_path(section, page):
    if page == 1:
        return reverse("seo:sitemap-section", kwargs={"section": section})
    return reverse("seo:sitemap-section-page", kwargs={"section": section, "page": page})


def sitemap_index(maps):
    """The index of every part: each items' part that lists an item (parts are ranges of
    keys, so their numbers may skip), then every page of the other sections."""
    entries = []
    for section, sitemap in maps.items():
        if isinstance(sitemap, ItemSitemap):
            parts = sitemap.parts()
        else:
            lastmod = sitemap.get_latest_lastmod()
            parts = [(page, lastmod) for page in range(1, sitemap.paginator.num_pages + 1)]
        for page, lastmod in parts:
            # The same W3C datetime as the parts' <lastmod> (a template date format is not).
            entries.append(
                {"location": absolute_url(_part_path(section, page)), "lastmod": _lastmod(lastmod)}
            )
    body = render_to_string("seo/sitemap_index.xml", {"sitemaps": entries})
    return StoredFile.of(body.encode(), XML)


# Parts past this would name keys beyond any database's integers.
MAX_PART = 10**9


@require_GET
def sitemap_section(request, section, page=1):
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}.")
    if SITEMAPS[section] is ItemSitemap:
        if page > MAX_PART:
            raise Http404(f"No sitemap page {page!r}.")
        sitemap = ItemSitemap(part=page)
        start, stop = sitemap.key_range()
        file = items_part(start, stop, lambda: urlset({section: sitemap}))
        if not file.body.count(b"<url>"):
            raise Http404(f"No sitemap page {page!r}.")
    else:
        file = stored(f"sitemap-{section}-{page}.xml", lambda: urlset(_sitemaps_of(section), page))
    return file_response(request, file)


def _sitemaps_of(section):
    return {section: SITEMAPS[section]()}


@require_GET
def sitemap_section_page(request, section, page):
    """Page 2 onwards of a part of the index; the first page's address has no number."""
    if page < 2:
        raise Http404("The first page of a sitemap part has no number.")
    return sitemap_section(request, section, page)


@require_GET
def llms_txt(request):
    """A Markdown map of the cluster for AI search tools (https://llmstxt.org)."""
    roles = list(Role.objects.published())
    pages = list(Page.objects.published().select_related("role").exclude(is_home=True))
    context = {
        "site": SiteSettings.load(),
        "site_url": settings.SITE_URL,
        "host": urlsplit(settings.SITE_URL).netloc,
        "roles": [
            {"role": role, "pages": [page for page in pages if page.role_id == role.pk]}
            for role in roles
        ],
        "comparisons": list(Comparison.objects.published().select_related("role_a", "role_b")),
        "guides": [page for page in pages if page.role_id is None],
        "home": ContentItem.objects.published().filter(path="/").first(),
    }
    return render(request, "seo/llms.txt", context, content_type="text/plain; charset=utf-8")
