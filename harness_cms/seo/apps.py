"""The search-engine app: an item that moves leaves a redirect behind."""

from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "harness_cms.seo"
    verbose_name = "Search engines"

    def ready(self):
        from harness_cms.core.signals import path_changed
        from harness_cms.seo.redirects import remember_old_path

        path_changed.connect(remember_old_path, dispatch_uid="harness_cms.seo.redirects")
