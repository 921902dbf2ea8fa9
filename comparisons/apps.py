"""The roles and comparisons app."""

from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Roles and comparisons"
    # Public pages show its models (the content generation moves when they change).
    public_content = True
