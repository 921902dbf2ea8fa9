"""The roles and comparisons app."""

from django.apps import AppConfig
from django.db.models import Count, Max


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Roles and comparisons"
    # Public pages show its models (the content generation moves when they change).
    public_content = True

    def sitemap_pages(self):
        """Every page of the roles index and of the comparisons index, as (path, lastmod)."""
        from harness_cms.core.paging import numbered_paths

        from . import views
        from .models import Comparison, Role

        roles = Role.objects.published().aggregate(count=Count("pk"), latest=Max("updated_at"))
        comparisons = Comparison.objects.published().aggregate(
            count=Count("pk"), latest=Max("updated_at")
        )
        latest = max(
            (value for value in (roles["latest"], comparisons["latest"]) if value), default=None
        )
        return [
            *(
                (path, roles["latest"])
                for path in numbered_paths(
                    "comparisons:roles", roles["count"], views.ROLES_PER_PAGE
                )
            ),
            # Each comparison is a line under each of its two roles.
            *(
                (path, latest)
                for path in numbered_paths(
                    "comparisons:index",
                    2 * comparisons["count"],
                    views.COMPARISON_ENTRIES_PER_PAGE,
                )
            ),
        ]
