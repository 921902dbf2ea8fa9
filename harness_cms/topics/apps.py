"""The topics app, and django-taggit's app under a name editors recognise."""

from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class TopicsConfig(AppConfig):
    name = "harness_cms.topics"
    verbose_name = "Topics"
    default = True


class TagsConfig(TaggitAppConfig):
    """django-taggit's app under a name editors recognise in the admin's app list."""

    verbose_name = "Tags"
    # Public pages show tags (the generation moves when they change).
    public_content = True
