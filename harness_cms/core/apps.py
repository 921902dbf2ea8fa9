"""The content core's app: its label, and the signals that move the content generation."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "harness_cms.core"
    # The label the content core has always had: its tables, migrations, content types,
    # permissions and revisions keep their names (docs/decisions/0060).
    label = "harness_cms"
    verbose_name = "Site and content core"
    # Public pages show its models (the generation moves when they change).
    public_content = True

    def ready(self):
        from django.db.models.signals import pre_save

        from harness_cms.core.generation import connect_signals, content_models
        from harness_cms.core.models import normalise_text

        connect_signals()
        for model in content_models():
            pre_save.connect(normalise_text, sender=model, dispatch_uid=f"text:{model._meta.label}")
