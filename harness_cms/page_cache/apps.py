"""The page cache app (its middleware is in settings.MIDDLEWARE)."""

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "harness_cms.page_cache"
    verbose_name = "Page cache"

    def ready(self):
        from harness_cms.core.signals import publication_changed
        from harness_cms.page_cache.tasks import warm_published

        # A publish by an editor or by the clock: the pages that show it are made again in
        # the background (decision 0111).
        publication_changed.connect(warm_published, dispatch_uid="page_cache:warm")
