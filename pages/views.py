"""The home hub, cluster pages and stand-alone guides."""

from collections import defaultdict

from django.views.generic import TemplateView

from comparisons.models import Comparison, Role
from comparisons.selectors import comparison_matrix
from harness_cms.core.views import ContentDetailView, crumb, item_parts, without_shown

from .models import Page

# What the hub lists at most: roles are all on the roles index, comparisons and cluster pages
# on their roles' pages, guides in search, topics and the sitemap.
HUB_ROLES = 24
HUB_COMPARISONS = 24
HUB_CLUSTER_PAGES = 6
HUB_GUIDES = 24
# Roles in the hub's matrix of comparisons (the roles index and each role's page list them all).
HUB_MATRIX_ROLES = 8


class PageDetailView(ContentDetailView):
    """A page of a role's cluster, with previous / next within the cluster."""

    model = Page
    template_name = "pages/page_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("role")

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        if "role" in self.kwargs:
            queryset = queryset.filter(role__slug=self.kwargs["role"])
        else:
            queryset = queryset.filter(role__isnull=True, is_home=False)
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.object
        if page.role_id:
            # The page itself even when it is not public (yet): a preview shows it in place.
            others = [p for p in Page.objects.published().filter(role=page.role_id) if p != page]
            siblings = sorted([*others, page], key=lambda p: (p.position, p.title))
            index = siblings.index(page)
            context["previous_page"] = siblings[index - 1] if index > 0 else None
            context["next_page"] = siblings[index + 1] if index + 1 < len(siblings) else None
            context["cluster_pages"] = siblings
        return context

    def get_breadcrumbs(self):
        trail = super().get_breadcrumbs()
        if self.object.role_id:
            trail.insert(1, crumb(self.object.role.title, self.object.role.path))
        return trail


class HomeView(TemplateView):
    """The hub: the roles and their clusters, the first comparisons, the guides.

    The lists are bounded: with 20,000 comparisons and 2,000 pages the hub weighed megabytes.
    Each role's page lists all of its comparisons and cluster pages, and the hub says so when
    it shows only some.
    """

    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        home = Page.objects.published().with_images().filter(is_home=True).first()
        roles = list(Role.objects.published().cards("summary")[: HUB_ROLES + 1])
        more_roles = len(roles) > HUB_ROLES
        roles = roles[:HUB_ROLES]
        pages = list(
            Page.objects.published()
            .filter(role__in=[role.pk for role in roles])
            .only("title", "path", "role")
        )
        by_role = defaultdict(list)
        for page in pages:
            by_role[page.role_id].append(page)
        for role in roles:
            cluster = by_role[role.pk]
            role.cluster_pages = cluster[:HUB_CLUSTER_PAGES]
            role.more_pages = len(cluster) > HUB_CLUSTER_PAGES
        guides = list(
            Page.objects.published()
            .filter(role__isnull=True, is_home=False)
            .cards()[: HUB_GUIDES + 1]
        )
        comparisons = list(Comparison.objects.published().cards()[: HUB_COMPARISONS + 1])
        if home:
            # The hub is an item too: its FAQs, next step and cards are edited like any other's.
            context.update(item_parts(home))
            shown = {item.pk for item in [*roles, *pages, *guides, *comparisons]}
            context["related_links"] = without_shown(context["related_links"], shown)
        context.update(
            home=home,
            meta_description=home.meta_description if home else "",
            roles=roles,
            more_roles=more_roles,
            comparisons=comparisons[:HUB_COMPARISONS],
            more_comparisons=len(comparisons) > HUB_COMPARISONS,
            guides=guides[:HUB_GUIDES],
            more_guides=len(guides) > HUB_GUIDES,
            matrix=comparison_matrix(roles[:HUB_MATRIX_ROLES]) if len(roles) > 1 else [],
        )
        return context
