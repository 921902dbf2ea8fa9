"""Reads across roles and their comparisons: the roles × roles matrix."""

from dataclasses import dataclass

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
