"""What crawlers fetch besides pages: robots.txt, the sitemap (or its index), llms.txt."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from harness_cms.models import SiteSettings
from harness_cms.seo import absolute_url
from harness_cms.sitemaps import SITEMAPS, public_items

SITEMAP_TEMPLATE = "seo/sitemap.xml"


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


@require_GET
def sitemap_xml(request):
    """The sitemap itself up to 50,000 URLs (the protocol's limit); past that, an index of
    ``/sitemap-<section>.xml?p=N`` files."""
    maps = _sitemaps()
    if _url_count(maps) <= min(sitemap.limit for sitemap in maps.values()):
        if request.GET.get("p", "1") != "1":
            raise Http404("The sitemap has one page.")
        return sitemap_views.sitemap(request, maps, template_name=SITEMAP_TEMPLATE)
    return sitemap_index(request, maps)


def sitemap_index(request, maps):
    entries = []
    for section, sitemap in maps.items():
        url = absolute_url(reverse("seo:sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.paginator.num_pages + 1):
            entries.append(
                {"location": url if page == 1 else f"{url}?p={page}", "lastmod": lastmod}
            )
    response = render(
        request, "seo/sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def sitemap_section(request, section):
    return sitemap_views.sitemap(
        request, _sitemaps(), section=section, template_name=SITEMAP_TEMPLATE
    )


@require_GET
def llms_txt(request):
    """A Markdown map of the cluster for AI search tools (https://llmstxt.org)."""
    from comparisons.models import Comparison, Role
    from pages.models import Page

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
        "home": public_items().filter(path="/").first(),
    }
    return render(request, "seo/llms.txt", context, content_type="text/plain; charset=utf-8")
