"""Addresses for crawlers and feed readers."""

from django.urls import path

from harness_cms import crawlers
from harness_cms.feeds import UpdatesFeed

app_name = "seo"
urlpatterns = [
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path("sitemap.xml", crawlers.sitemap_xml, name="sitemap"),
    path("sitemap-<slug:section>.xml", crawlers.sitemap_section, name="sitemap-section"),
    path("llms.txt", crawlers.llms_txt, name="llms"),
    path("feed/", UpdatesFeed(), name="feed"),
]
