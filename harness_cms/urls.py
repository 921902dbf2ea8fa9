"""Root URLs: the public site, the admin and the health check."""

from django.contrib import admin
from django.urls import include, path

from harness_cms.core.admin import view_on_site
from harness_cms.core.views import FaviconView
from harness_cms.editorial.admin import due_for_review_view
from harness_cms.operations.views import healthz

urlpatterns = [
    # Before the admin's own: its "view on site" redirect, answering only for what the user
    # may see (the admin's templates still reverse admin:view_on_site to this address).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    # The freshness queue spans kinds (items and FAQ entries), so no one model's admin owns it.
    path(
        "admin/due-for-review/",
        admin.site.admin_view(due_for_review_view),
        name="due_for_review",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("", include("harness_cms.seo.urls")),
    # The IndexNow key file, /<key>.txt: after robots.txt and llms.txt, which it cannot shadow.
    path("", include("harness_cms.notifications.urls")),
    path("", include("harness_cms.images.urls")),
    path("faq/", include("faq.urls")),
    path("", include("harness_cms.search.urls")),
    path("", include("harness_cms.topics.urls")),
    path("", include("comparisons.urls")),
    path("", include("pages.urls")),
]
