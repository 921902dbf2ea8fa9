"""Search, topics and the favicon."""

from django.urls import path, register_converter

from . import site_views


class TagSlugConverter:
    """Tag slugs as taggit makes them (letters of any script, digits, _ and -), up to 100.

    Anything else, such as a percent-encoded NUL or a snowman, is a 404 before any query runs.
    """

    regex = r"[-\w]{1,100}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tagslug")

app_name = "site"
urlpatterns = [
    path("search/", site_views.SearchView.as_view(), name="search"),
    path("tags/", site_views.TagListView.as_view(), name="tags"),
    path("tags/<tagslug:slug>/", site_views.TagDetailView.as_view(), name="tag"),
    path(
        "tags/<tagslug:slug>/page/<int:number>/",
        site_views.TagDetailView.as_view(),
        name="tag-page",
    ),
    path("favicon.ico", site_views.FaviconView.as_view(), name="favicon"),
]
