"""Reads by tag: the public items and answers of one topic, and every topic in use."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from taggit.models import TaggedItem

from faq.models import FAQ
from harness_cms.core.generation import cached_for_now
from harness_cms.core.models import ContentItem


# Tags are read through taggit's TaggedItem rows (content type + object id) rather than the
# ``tags__`` join, whose SQL taggit builds with an API Django has deprecated. Items are tagged
# under their concrete kind's content type.
def _item_content_types():
    return list(ContentType.objects.get_for_models(*ContentItem.kinds().values()).values())


def _faq_content_type():
    return ContentType.objects.get_for_model(FAQ)


def _tagged_ids(tag, content_types):
    return TaggedItem.objects.filter(tag=tag, content_type__in=content_types).values("object_id")


def items_tagged(tag):
    """The public items that carry ``tag``."""
    return ContentItem.objects.published().filter(pk__in=_tagged_ids(tag, _item_content_types()))


def faqs_tagged(tag):
    """The public FAQs that carry ``tag``."""
    return FAQ.objects.published().filter(pk__in=_tagged_ids(tag, [_faq_content_type()]))


def tags_in_use():
    """Tags on at least one public item or FAQ: dicts of name, slug and count, by name.

    Counting every tag row against the public rule took over a second at 200,000 rows, and the
    topic index and every empty search read it: cached (``cached_for_now``).
    """
    return cached_for_now("tags-in-use", _tags_in_use)


def _tags_in_use():
    rows = (
        TaggedItem.objects.filter(
            Q(
                content_type__in=_item_content_types(),
                object_id__in=ContentItem.objects.published().values("pk"),
            )
            | Q(
                content_type=_faq_content_type(), object_id__in=FAQ.objects.published().values("pk")
            )
        )
        .values("tag__name", "tag__slug")
        .annotate(count=Count("pk"))
        .order_by("tag__name")
    )
    return [
        {"name": row["tag__name"], "slug": row["tag__slug"], "count": row["count"]} for row in rows
    ]
