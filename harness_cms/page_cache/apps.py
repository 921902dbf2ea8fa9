from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "harness_cms.page_cache"
    verbose_name = "Page cache"
