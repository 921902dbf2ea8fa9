"""Topic pages: /tags/, /tags/<slug>/ and its numbered pages."""

from django.urls import path, register_converter

from . import views


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

app_name = "topics"
urlpatterns = [
    path("tags/", views.TagListView.as_view(), name="tags"),
    path("tags/<tagslug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tags/<tagslug:slug>/page/<page:number>/", views.TagDetailView.as_view(), name="tag-page"),
]
