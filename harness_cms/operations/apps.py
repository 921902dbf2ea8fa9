"""The operations app."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "harness_cms.operations"
    verbose_name = "Operations"
