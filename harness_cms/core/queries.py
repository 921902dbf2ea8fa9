"""Query helpers with no model of their own."""

from django.db.models import F, Func, IntegerField, Subquery


def count_of(queryset):
    """The number of rows of ``queryset``, as a scalar subquery for another query (``COUNT``
    without the ``GROUP BY`` that ``Count()`` would add)."""
    counted = queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")
    return Subquery(counted, output_field=IntegerField())
