"""Role pages, the roles index, the comparisons index and comparison pages."""

from itertools import groupby

from django.core.paginator import Paginator
from django.template.defaultfilters import pluralize
from django.views.generic import TemplateView

from harness_cms.core.generation import cached_for_now
from harness_cms.core.paging import numbered_page, numbered_url, pager_context
from harness_cms.core.prepared import prepared
from harness_cms.core.views import ContentDetailView, crumb, home_crumb, without_shown

from .models import (
    OTHER_COMPARISONS,
    Comparison,
    ComparisonRow,
    Role,
    SharedPoint,
    other_comparisons,
)
from .selectors import comparison_entries, comparison_matrix, entries_of

# The roles index: every public role, this many to a page.
ROLES_PER_PAGE = 100
# The comparisons index: this many lines to a page (each comparison has two, one per role)...
COMPARISON_ENTRIES_PER_PAGE = 300
# ...and the matrix on its first page has this many roles (the roles index lists them all).
COMPARISON_MATRIX_ROLES = 20
# What a comparison page reads of its two roles.
ROLE_FIELDS_SHOWN = ("title", "path", "slug")


def role_comparison_cards(role_id, count):
    """The first ``count`` public comparisons of a role, by title, as cards (dicts of pk,
    title, path, meta_description).

    Cached (``cached_for_now``): every comparison of the role reads the same list, so a static
    export or a cold cache asks the database once per role, not once per comparison.
    """

    def cards():
        rows = Comparison.objects.published().involving(role_id).cards()
        return [
            {
                "pk": row.pk,
                "title": row.title,
                "path": row.path,
                "meta_description": row.meta_description,
            }
            for row in rows.order_by("title", "pk")[:count]
        ]

    return cached_for_now(f"role-comparison-cards:{role_id}:{count}", cards)


def other_comparison_cards(comparison, count):
    """Up to ``count`` public comparisons sharing a role with ``comparison`` (itself left
    out), by title; ``(cards, more)`` where ``more`` says whether there are others still.

    Each role's first ``count + 2`` are enough: a comparison among the first ``count + 1`` of
    both roles together has at most ``count`` others and ``comparison`` before it in its own
    role's list.
    """
    lists = [
        role_comparison_cards(role_id, count + 2)
        for role_id in (comparison.role_a_id, comparison.role_b_id)
    ]
    return other_comparisons(comparison.pk, lists, count)


@prepared("a role's comparisons")
def role_comparisons(*, role, now):
    return Comparison.objects.published(now=now).involving(role).cards()


class RoleDetailView(ContentDetailView):
    model = Role
    template_name = "comparisons/role_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.object
        context["cluster_pages"] = list(role.pages.published().cards())
        context["comparisons"] = role_comparisons.list(role=role.pk, now=self.now)
        shown = {item.pk for item in [*context["cluster_pages"], *context["comparisons"]]}
        context["related_links"] = without_shown(context["related_links"], shown)
        return context


def roles_page_url(number):
    return numbered_url("comparisons:roles", number)


class RoleIndexView(TemplateView):
    """Every public role with its one-line summary, in the hub's order; pages of 100 at
    ``/roles/page/N/`` (addresses, not ``?page=``: a static export writes them)."""

    template_name = "comparisons/role_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(Role.objects.published().cards("summary"), ROLES_PER_PAGE)
        page = numbered_page(paginator, self.kwargs, what="the roles index")
        context.update(
            pager_context(page, roles_page_url),
            breadcrumbs=[home_crumb(), crumb("Roles", roles_page_url(1))],
            roles=list(page.object_list),
            meta_description=(
                f"All {paginator.count:,} roles the guide covers, each with what it does, its "
                "guides and how it compares with the others."
            ),
        )
        return context


@prepared("a comparison's shared points")
def shared_points_of(*, comparison):
    return SharedPoint.objects.filter(comparison=comparison)


@prepared("a comparison's table")
def rows_of(*, comparison):
    return ComparisonRow.objects.filter(comparison=comparison)


class ComparisonDetailView(ContentDetailView):
    model = Comparison
    template_name = "comparisons/comparison_detail.html"

    def get_queryset(self, **kwargs):
        # The page shows its roles' names and addresses only: the rest of their rows (texts of
        # up to 200 KB each, some thirty columns) is neither read nor turned into SQL.
        unshown = [
            f"{side}__{field.name}"
            for side in ("role_a", "role_b")
            for field in Role._meta.concrete_fields
            if field.name not in ROLE_FIELDS_SHOWN and not field.primary_key
        ]
        return super().get_queryset(**kwargs).select_related("role_a", "role_b").defer(*unshown)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparison = self.object
        context["shared_points"] = shared_points_of.list(comparison=comparison.pk)
        context["rows"] = rows_of.list(comparison=comparison.pk)
        others, more = other_comparison_cards(comparison, OTHER_COMPARISONS)
        # What the editors' cards already show is not listed again.
        carded = {link.target_id for link in context["related_links"]}
        context["other_comparisons"] = [card for card in others if card["pk"] not in carded]
        context["more_comparisons"] = more
        return context


def comparisons_page_url(number):
    return numbered_url("comparisons:index", number)


class ComparisonIndexView(TemplateView):
    """Every public comparison, listed under each of its two roles, and on the first page the
    roles × roles matrix; pages of 300 lines at ``/compare/page/N/``."""

    template_name = "comparisons/comparison_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(comparison_entries(), COMPARISON_ENTRIES_PER_PAGE)
        page = numbered_page(paginator, self.kwargs, what="the comparisons index")
        # On a later page, the line before the page's first says whether its first role
        # continues from the page before (read in the same query).
        bottom = (page.number - 1) * paginator.per_page
        rows = entries_of(paginator.object_list[max(bottom - 1, 0) : bottom + paginator.per_page])
        before, entries = (rows[0], rows[1:]) if bottom else (None, rows)
        groups = [
            {"role": lines[0], "entries": lines}
            for _role, lines in (
                (role, list(lines)) for role, lines in groupby(entries, key=lambda e: e.role_pk)
            )
        ]
        if groups and before is not None and before.role_pk == groups[0]["role"].role_pk:
            groups[0]["continued"] = True
        matrix, more_roles = [], False
        if page.number == 1:
            roles = list(Role.objects.published().cards()[: COMPARISON_MATRIX_ROLES + 1])
            more_roles = len(roles) > COMPARISON_MATRIX_ROLES
            roles = roles[:COMPARISON_MATRIX_ROLES]
            matrix = comparison_matrix(roles) if len(roles) > 1 else []
        # Every comparison is listed twice, once under each of its roles.
        count = paginator.count // 2
        context.update(
            pager_context(page, comparisons_page_url),
            breadcrumbs=[home_crumb(), crumb("Comparisons", comparisons_page_url(1))],
            role_groups=groups,
            comparison_count=count,
            matrix=matrix,
            matrix_roles=COMPARISON_MATRIX_ROLES,
            more_roles=more_roles,
            item_list=entries,
            meta_description=(
                f"{count:,} side-by-side comparison{pluralize(count)} of the roles in the "
                "guide, each listed under both of its roles, with a table of which pairs of "
                "roles are compared."
            ),
        )
        return context
