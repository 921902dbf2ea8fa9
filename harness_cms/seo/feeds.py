"""The Atom feed of new and updated content."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.seo.head import absolute_url

FEED_SIZE = 50
# Characters XML 1.0 cannot carry at all; the admin's forms refuse NUL, but imported or
# machine-written text might hold one, and the feed must still be well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    return _NOT_XML.sub("", value or "")


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return xml_text(f"{SiteSettings.load().site_name}: new and updated pages")

    def subtitle(self):
        site = SiteSettings.load()
        return xml_text(site.tagline or site.default_seo_description)

    def link(self):
        return settings.SITE_URL + "/"

    def feed_url(self):
        return absolute_url("/feed/")

    def author_name(self):
        return xml_text(SiteSettings.load().organization_name)

    def items(self):
        return (
            ContentItem.objects.published()
            .order_by("-updated_at", "pk")
            .prefetch_related("tags")[:FEED_SIZE]
        )

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(item.meta_description)

    def item_link(self, item):
        return absolute_url(item.path)

    def item_guid(self, item):
        # Stable across moves: the row, not the address, is the entry.
        return f"{settings.SITE_URL}/#item-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.publish_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [xml_text(tag.name) for tag in item.tags.all()]

    def get_object(self, request, *args, **kwargs):
        return None
