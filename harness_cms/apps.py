from django.apps import AppConfig


class HarnessCmsConfig(AppConfig):
    name = "harness_cms"
    verbose_name = "Site and content core"

    def ready(self):
        from harness_cms import redirects  # noqa: F401  (connects the path_changed receiver)
        from harness_cms.revisions import register_models

        register_models()
