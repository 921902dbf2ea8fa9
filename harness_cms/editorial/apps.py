"""The editorial app: revisions registered, drafts that go with their item, staff groups kept
in step after every migrate."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    name = "harness_cms.editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        from harness_cms.editorial.audit import connect_audit_signals
        from harness_cms.editorial.drafts import connect_draft_signals
        from harness_cms.editorial.groups import sync_groups
        from harness_cms.editorial.revisions import connect_row_signals, register_models

        register_models()
        connect_row_signals()
        connect_draft_signals()
        connect_audit_signals()
        # After the core's tables are migrated (an app without models gets no post_migrate).
        post_migrate.connect(
            sync_groups,
            sender=apps.get_app_config("harness_cms"),
            dispatch_uid="harness_cms.editorial.sync_groups",
        )
