"""The content files app."""

from django.apps import AppConfig


class ContentFilesConfig(AppConfig):
    name = "harness_cms.content_files"
    verbose_name = "Content files"
