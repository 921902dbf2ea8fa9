"""The change notifications app: listens to the content core's publication and address
signals."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "harness_cms.notifications"
    verbose_name = "Change notifications"

    def ready(self):
        from harness_cms.core.signals import path_changed, publication_changed

        from . import services

        publication_changed.connect(services.on_publication_changed, dispatch_uid="notify-pub")
        path_changed.connect(services.on_path_changed, dispatch_uid="notify-path")
