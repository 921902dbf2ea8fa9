"""The topics app, and django-taggit's app under a name editors recognise."""

from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class TopicsConfig(AppConfig):
    name = "harness_cms.topics"
    verbose_name = "Topics"
    default = True

    def sitemap_pages(self):
        """The topic index and every page of each topic in use, as (path, lastmod); a topic
        has no date of its own, so no lastmod."""
        from django.urls import reverse

        from harness_cms.core.paging import numbered_paths

        from . import views
        from .selectors import tags_in_use

        rows = [(reverse("topics:tags"), None)]
        for tag in tags_in_use():
            paths = numbered_paths(
                "topics:tag", tag["count"], views.TAG_ENTRIES_PER_PAGE, slug=tag["slug"]
            )
            rows.extend((path, None) for path in paths)
        return rows


class TagsConfig(TaggitAppConfig):
    """django-taggit's app under a name editors recognise in the admin's app list."""

    verbose_name = "Tags"
    # Public pages show tags (the generation moves when they change).
    public_content = True
