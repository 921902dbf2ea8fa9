"""The home hub, cluster pages and stand-alone guides."""

from django.utils import timezone
from django.views.generic import TemplateView

from harness_cms.core.views import ContentDetailView, crumb, item_parts, without_shown

from .models import Page
from .selectors import hub_lists


class PageDetailView(ContentDetailView):
    """A page of a role's cluster, with previous / next within the cluster."""

    model = Page
    template_name = "pages/page_detail.html"

    def get_queryset(self, **kwargs):
        return super().get_queryset(**kwargs).select_related("role")

    def item_queryset(self, *, slug, now, role=None):
        """A cluster page by its role's slug and its own; a guide (no role) by its own."""
        queryset = super().item_queryset(slug=slug, now=now)
        if role is None:
            return queryset.filter(role__isnull=True, is_home=False)
        return queryset.filter(role__slug=role)

    def item_lookup(self):
        lookup = super().item_lookup()
        if "role" in self.kwargs:
            lookup["role"] = self.kwargs["role"]
        return lookup

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
        # One moment for every list of the page.
        now = timezone.now()
        lists = hub_lists(now=now)
        home = lists["home"]
        if home:
            # The hub is an item too: its FAQs, next step and cards are edited like any other's.
            context.update(item_parts(home, now=now))
            # Cards to pages the hub lists already are not shown twice.
            shown = {
                item.pk
                for item in [*lists["roles"], *lists["comparisons"], *lists["guides"]]
                + [page for role in lists["roles"] for page in role.cluster_pages]
            }
            context["related_links"] = without_shown(context["related_links"], shown)
        context.update(lists, meta_description=home.meta_description if home else "")
        return context
