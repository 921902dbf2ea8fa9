"""The page cache app (its middleware is in settings.MIDDLEWARE)."""

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "harness_cms.page_cache"
    verbose_name = "Page cache"
