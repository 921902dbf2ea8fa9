"""The image library's app."""

from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "harness_cms.images"
    verbose_name = "Images"
    # Public pages show images (the content generation moves when they change).
    public_content = True
