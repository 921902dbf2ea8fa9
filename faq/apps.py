"""The FAQ app."""

from django.apps import AppConfig
from django.db.models import Count, Max


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"
    # Public pages show its models (the content generation moves when they change).
    public_content = True

    def sitemap_pages(self):
        """Every page of the FAQ index, as (path, lastmod)."""
        from harness_cms.core.paging import numbered_paths

        from . import models

        faqs = models.FAQ.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))
        return [
            (path, faqs["latest"])
            for path in numbered_paths("faq:index", faqs["count"], models.FAQS_PER_PAGE)
        ]
