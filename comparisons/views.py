"""Role pages and comparison pages."""

from harness_cms.views import ContentDetailView
from pages.models import Page

from .models import Comparison, Role

# What a card shows (title, address, line); a list of cards loads no article bodies.
CARD_FIELDS = ("kind", "title", "path", "seo_description", "lead_html")
# "More comparisons" under a comparison: each role's page lists all of its comparisons.
OTHER_COMPARISONS = 12


def comparison_cards(queryset):
    return queryset.only(*CARD_FIELDS)


class RoleDetailView(ContentDetailView):
    model = Role
    template_name = "comparisons/role_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.object
        context["cluster_pages"] = list(
            Page.objects.published().filter(role=role).only(*CARD_FIELDS)
        )
        context["comparisons"] = list(
            comparison_cards(Comparison.objects.published().involving(role))
        )
        return context


class ComparisonDetailView(ContentDetailView):
    model = Comparison
    template_name = "comparisons/comparison_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("role_a", "role_b")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparison = self.object
        context["shared_points"] = list(comparison.shared_points.all())
        context["rows"] = list(comparison.rows.all())
        others = list(
            comparison_cards(
                Comparison.objects.published()
                .involving(comparison.role_a, comparison.role_b)
                .exclude(pk=comparison.pk)
            )[: OTHER_COMPARISONS + 1]
        )
        context["other_comparisons"] = others[:OTHER_COMPARISONS]
        context["more_comparisons"] = len(others) > OTHER_COMPARISONS
        return context
