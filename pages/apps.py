"""The cluster pages app."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Cluster pages and links"
    # Public pages show its models (the content generation moves when they change).
    public_content = True
