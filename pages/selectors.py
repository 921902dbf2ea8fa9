"""What the home hub lists: one read used by the hub itself and by the cluster's link graph
(harness_cms.seo.graph), so the graph counts exactly the links visitors see there."""

from collections import defaultdict

from django.utils import timezone

from comparisons.models import Comparison, Role
from comparisons.selectors import comparison_matrix
from harness_cms.core.prepared import prepared

from .models import Page

# What the hub lists at most: roles are all on the roles index, comparisons and cluster pages
# on their roles' pages, guides in search, topics and the sitemap.
HUB_ROLES = 3
HUB_COMPARISONS = 3
HUB_CLUSTER_PAGES = 3
HUB_GUIDES = 3
# Roles in the hub's matrix of comparisons (the roles index and each role's page list them all).
HUB_MATRIX_ROLES = 3


@prepared("the home item")
def _home(*, now):
    return Page.objects.published(now=now).with_images().with_tag_list().filter(is_home=True)[:1]


@prepared("the hub's first roles", constants=lambda: (HUB_ROLES,))
def _first_roles(*, now):
    return Role.objects.published(now=now).cards("summary")[: HUB_ROLES + 1]


@prepared("the hub's first guides", constants=lambda: (HUB_GUIDES,))
def _first_guides(*, now):
    guides = Page.objects.published(now=now).filter(role__isnull=True, is_home=False)
    return guides.cards()[: HUB_GUIDES + 1]


@prepared("the hub's first comparisons", constants=lambda: (HUB_COMPARISONS,))
def _first_comparisons(*, now):
    return Comparison.objects.published(now=now).cards()[: HUB_COMPARISONS + 1]


def hub_lists(*, now=None):
    """The home item (or None) and the bounded lists the hub shows, each with whether there
    are more: roles (each with its first cluster pages), comparisons and guides, and the
    matrix of the comparisons among the first roles (as public at ``now``, by default the
    present)."""
    now = now or timezone.now()
    home = _home.first(now=now)
    roles = _first_roles.list(now=now)
    more_roles = len(roles) > HUB_ROLES
    roles = roles[:HUB_ROLES]
    pages = list(
        Page.objects.published(now=now)
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
    guides = _first_guides.list(now=now)
    comparisons = _first_comparisons.list(now=now)
    return {
        "home": home,
        "roles": roles,
        "more_roles": more_roles,
        "comparisons": comparisons[:HUB_COMPARISONS],
        "more_comparisons": len(comparisons) > HUB_COMPARISONS,
        "guides": guides[:HUB_GUIDES],
        "more_guides": len(guides) > HUB_GUIDES,
        "matrix": comparison_matrix(roles[:HUB_MATRIX_ROLES]) if len(roles) > 1 else [],
    }
