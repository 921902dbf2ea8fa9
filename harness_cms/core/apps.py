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
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save
        from django.urls import register_converter

        from harness_cms.core.generation import connect_signals, content_models
        from harness_cms.core.models import normalise_text
        from harness_cms.core.paging import PageNumberConverter
        from harness_cms.core.widgets import protect_date_hierarchies
        from harness_cms.security import login_succeeded

        connect_signals()
        for model in content_models():
            pre_save.connect(normalise_text, sender=model, dispatch_uid=f"text:{model._meta.label}")
        # Before any URLconf is read: the paged lists of several apps use <page:number>.
        register_converter(PageNumberConverter, "page")
        user_logged_in.connect(login_succeeded, dispatch_uid="harness_cms.login_succeeded")
        # The admin app's ready() has registered every app's model admins by now.
        protect_date_hierarchies(admin.site)
