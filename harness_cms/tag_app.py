"""django-taggit's app under a name editors recognise in the admin's app list (Django picks an
app's config from its ``apps`` module, so this one lives apart from ``HarnessCmsConfig``)."""

from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    verbose_name = "Tags"
