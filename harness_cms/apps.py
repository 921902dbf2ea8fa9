from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HarnessCmsConfig(AppConfig):
    name = "harness_cms"
    verbose_name = "Site and content core"

    def ready(self):
        from harness_cms import redirects  # noqa: F401  (connects the path_changed receiver)
        from harness_cms.revisions import register_models

        register_models()

        from harness_cms.page_cache import connect_signals

        connect_signals()

        from harness_cms.groups import sync_groups

        post_migrate.connect(sync_groups, sender=self, dispatch_uid="harness_cms.sync_groups")

        from harness_cms.fts import ensure_after_migrate

        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="harness_cms.fts")
