"""The search app: the SQLite full-text indexes made after every migrate."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "harness_cms.search"
    verbose_name = "Site search"

    def ready(self):
        from harness_cms.search.fts import ensure_after_migrate

        # After the core's tables are migrated (an app without models gets no post_migrate).
        post_migrate.connect(
            ensure_after_migrate,
            sender=apps.get_app_config("harness_cms"),
            dispatch_uid="harness_cms.search.fts",
        )
