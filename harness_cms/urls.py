"""Root URLs: the public site and the admin."""

from django.contrib import admin
from django.urls import include, path

from harness_cms.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("harness_cms.seo_urls")),
    path("faq/", include("faq.urls")),
    path("", include("harness_cms.site_urls")),
    path("", include("comparisons.urls")),
    path("", include("pages.urls")),
]
