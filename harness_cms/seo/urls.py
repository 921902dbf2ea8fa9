"""Addresses for crawlers and feed readers."""

from django.urls import path

from harness_cms.seo import views
from harness_cms.seo.feeds import UpdatesFeed

app_name = "seo"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    # Before the one-page form, which would take "items-2" for a section name. A path, not a
    # query string, so that a static export can hold every part as a file.
    path(
        "sitemap-<slug:section>-<int:page>.xml",
        views.sitemap_section_page,
        name="sitemap-section-page",
    ),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("llms.txt", views.llms_txt, name="llms"),
    path("feed/", UpdatesFeed(), name="feed"),
]
