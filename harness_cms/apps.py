from django.apps import AppConfig


class HarnessCmsConfig(AppConfig):
    name = "harness_cms"
    verbose_name = "Site and content core"
