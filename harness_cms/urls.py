"""Root URLs: the public site, the admin and the health check."""

from django.contrib import admin
from django.urls import include, path

from harness_cms.core.views import FaviconView
from harness_cms.operations.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("", include("harness_cms.seo.urls")),
    path("", include("harness_cms.images.urls")),
    path("faq/", include("faq.urls")),
    path("", include("harness_cms.search.urls")),
    path("", include("harness_cms.topics.urls")),
    path("", include("comparisons.urls")),
    path("", include("pages.urls")),
]
