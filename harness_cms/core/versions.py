"""Versions: every save of an item or FAQ entry takes the next version number, so a form saved
from an older version can be refused instead of overwriting someone else's work (decision 0031).
"""

from django.db.models import F
from django.utils import timezone


def _versioned_table(model):
    """The model whose table holds ``version`` (ContentItem for roles, comparisons, pages)."""
    return model._meta.get_field("version").model


class EditConflict(Exception):
    """Someone else saved the object after the form was loaded."""

    def __init__(self, obj):
        super().__init__(f"{obj!r} was saved by someone else")
        self.obj = obj


def claim_version(obj, *, expected):
    """Move ``obj`` from version ``expected`` to the next in one conditional UPDATE.

    The check and the increment are the same statement, so of two saves racing from the same
    version exactly one wins; the other gets :class:`EditConflict` and must not write anything.
    Call inside the transaction that then saves the object.
    """
    table = _versioned_table(type(obj))
    claimed = table.objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if not claimed:
        raise EditConflict(obj)
    obj.version = expected + 1


def bump_version(obj):
    """Take the next version whatever it is (bulk actions, restores, imports)."""
    table = _versioned_table(type(obj))
    table.objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.version = table.objects.filter(pk=obj.pk).values_list("version", flat=True).get()


def touch(model, pk, *, by=None):
    """A part of the object ``pk`` of ``model`` changed (one of its rows, cards or FAQ
    placements, from whatever form or import): it takes the next version, so a form opened
    before is refused, and records when, and who when ``by`` is known (an import or a
    command has no user: the last editor's name stays)."""
    table = _versioned_table(model)
    changes = {"version": F("version") + 1, "updated_at": timezone.now()}
    if by is not None:
        changes["updated_by"] = by
    return table.objects.filter(pk=pk).update(**changes)
