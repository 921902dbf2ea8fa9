"""Reads across roles and their comparisons: the roles × roles matrix and the comparisons
index's entries."""

from dataclasses import dataclass

from django.db.models import F

from .models import Comparison


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix: the comparison of its row's and column's roles, if any."""

    role: object  # the column's role
    pk: int | None = None  # the comparison's
    path: str = ""
    title: str = ""
    same: bool = False  # the row's role against itself


def comparison_matrix(roles):
    """``[(role, [Cell, ...]), ...]``: every pair of ``roles`` and its public comparison (one
    query, whatever the number of roles), in the order of ``roles``."""
    ids = [role.pk for role in roles]
    found = {}
    for pk, role_a, role_b, path, title in (
        Comparison.objects.published()
        .filter(role_a__in=ids, role_b__in=ids)
        .values_list("pk", "role_a", "role_b", "path", "title")
    ):
        found[role_a, role_b] = found[role_b, role_a] = (pk, path, title)
    rows = []
    for row_role in roles:
        cells = []
        for column_role in roles:
            if row_role.pk == column_role.pk:
                cells.append(Cell(column_role, same=True))
            else:
                pk, path, title = found.get((row_role.pk, column_role.pk), (None, "", ""))
                cells.append(Cell(column_role, pk, path, title))
        rows.append((row_role, cells))
    return rows


@dataclass(frozen=True)
class Entry:
    """One line of the comparisons index: a comparison listed under one of its two roles."""

    role_pk: int
    role_title: str
    role_path: str
    pk: int
    title: str
    path: str


def comparison_entries():
    """Every public comparison twice, once under each of its roles, in the roles' order and
    then by title: a query (a UNION of two) to page through, whose rows build :class:`Entry`.

    Listed under both roles so that a reader who looks for either role finds the pair there.
    """
    plain = Comparison.objects.published().order_by()
    columns = ("group_position", "group_title", "group_path", "group_pk", "pk", "title", "path")
    parts = [
        plain.annotate(
            group_position=F(f"{side}__position"),
            group_title=F(f"{side}__title"),
            group_path=F(f"{side}__path"),
            group_pk=F(side),
        ).values_list(*columns)
        for side in ("role_a", "role_b")
    ]
    return (
        parts[0]
        .union(parts[1], all=True)
        .order_by("group_position", "group_title", "group_pk", "title", "pk")
    )


def entries_of(rows):
    """:class:`Entry` objects of rows of :func:`comparison_entries`."""
    return [
        Entry(
            role_pk=group_pk,
            role_title=group_title,
            role_path=group_path,
            pk=pk,
            title=title,
            path=path,
        )
        for _position, group_title, group_path, group_pk, pk, title, path in rows
    ]
