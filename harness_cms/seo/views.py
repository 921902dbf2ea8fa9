"""What crawlers fetch besides pages: robots.txt, the sitemap (or its index), llms.txt."""

from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from comparisons.models import Comparison, Role
from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.seo.head import absolute_url
from harness_cms.seo.sitemaps import SITEMAPS
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


def urlset_response(maps, page=1):
    """The ``<urlset>`` of ``page`` of each sitemap, written directly: 50,000 URLs through the
    template engine take seconds, this takes a fraction of one.

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
    response = HttpResponse("".join(parts), content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response


@require_GET
def sitemap_xml(request):
    """The sitemap itself up to 50,000 URLs (the protocol's limit); past that, an index of
    ``/sitemap-<section>.xml`` and ``/sitemap-<section>-<page>.xml`` files."""
    maps = _sitemaps()
    if _url_count(maps) <= min(sitemap.limit for sitemap in maps.values()):
        if request.GET.get("p", "1") != "1":
            raise Http404("The sitemap has one page.")
        return urlset_response(maps)
    return sitemap_index(request, maps)


def sitemap_index(request, maps):
    entries = []
    for section, sitemap in maps.items():
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.paginator.num_pages + 1):
            if page == 1:
                path = reverse("seo:sitemap-section", kwargs={"section": section})
            else:
                path = reverse(
                    "seo:sitemap-section-page", kwargs={"section": section, "page": page}
                )
            # The same W3C datetime as the parts' <lastmod> (a template date format is not).
            entries.append({"location": absolute_url(path), "lastmod": _lastmod(lastmod)})
    response = render(
        request, "seo/sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def sitemap_section(request, section, page=1):
    maps = _sitemaps()
    if section not in maps:
        raise Http404(f"No sitemap section {section!r}.")
    return urlset_response({section: maps[section]}, page)


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
