"""The FAQ app."""

from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"
    # Public pages show its models (the content generation moves when they change).
    public_content = True
