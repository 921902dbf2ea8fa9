"""Role pages and comparison pages."""

from harness_cms.views import ContentDetailView
from pages.models import Page

from .models import Comparison, Role


class RoleDetailView(ContentDetailView):
    model = Role
    template_name = "comparisons/role_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.object
        context["cluster_pages"] = list(Page.objects.published().filter(role=role))
        context["comparisons"] = list(
            Comparison.objects.published().involving(role).select_related("role_a", "role_b")
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
        context["other_comparisons"] = list(
            Comparison.objects.published()
            .involving(comparison.role_a, comparison.role_b)
            .exclude(pk=comparison.pk)
            .select_related("role_a", "role_b")
        )
        return context
