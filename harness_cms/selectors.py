"""Reads that span every kind of item: what the public may see, and by tag."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Func, IntegerField, Q, Subquery
from taggit.models import TaggedItem

from harness_cms.models import ContentItem


def public_items():
    """Every item the public may see now, as base ``ContentItem`` rows.

    The stored public window decides (decision 0045: a comparison needs its roles public, a
    cluster page its role), so search and topic pages follow the same rule as the detail pages.
    """
    return ContentItem.objects.published()


def count_of(queryset):
    """The number of rows of ``queryset``, as a scalar subquery for another query (``COUNT``
    without the ``GROUP BY`` that ``Count()`` would add)."""
    counted = queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")
    return Subquery(counted, output_field=IntegerField())


def public_faqs():
    from faq.models import FAQ

    return FAQ.objects.published()


# Tags are read through taggit's TaggedItem rows (content type + object id) rather than the
# ``tags__`` join, whose SQL taggit builds with an API Django has deprecated. Items are tagged
# under their concrete kind's content type.
def _item_content_types():
    from comparisons.models import Comparison, Role
    from pages.models import Page

    return list(ContentType.objects.get_for_models(Role, Comparison, Page).values())


def _faq_content_type():
    from faq.models import FAQ

    return ContentType.objects.get_for_model(FAQ)


def _tagged_ids(tag, content_types):
    return TaggedItem.objects.filter(tag=tag, content_type__in=content_types).values("object_id")


def items_tagged(tag):
    """The public items that carry ``tag``."""
    return public_items().filter(pk__in=_tagged_ids(tag, _item_content_types()))


def faqs_tagged(tag):
    """The public FAQs that carry ``tag``."""
    return public_faqs().filter(pk__in=_tagged_ids(tag, [_faq_content_type()]))


def tags_in_use():
    """Tags on at least one public item or FAQ: dicts of name, slug and count, by name.

    Counting every tag row against the public rule took over a second at 200,000 rows, and the
    topic index and every empty search read it: cached (``cached_for_now``).
    """
    from harness_cms.page_cache import cached_for_now

    return cached_for_now("tags-in-use", _tags_in_use)


def _tags_in_use():
    rows = (
        TaggedItem.objects.filter(
            Q(content_type__in=_item_content_types(), object_id__in=public_items().values("pk"))
            | Q(content_type=_faq_content_type(), object_id__in=public_faqs().values("pk"))
        )
        .values("tag__name", "tag__slug")
        .annotate(count=Count("pk"))
        .order_by("tag__name")
    )
    return [
        {"name": row["tag__name"], "slug": row["tag__slug"], "count": row["count"]} for row in rows
    ]
