from django.contrib import admin

from faq.admin import ItemFAQInline
from harness_cms.admin import (
    PUBLISHING_FIELDSET,
    SEO_FIELDSET,
    ContentAdmin,
    SafeAutocompleteMixin,
)

from .models import Page, RelatedLink


class RelatedLinkInline(SafeAutocompleteMixin, admin.TabularInline):
    """Cards shown on an item: related pages and next-step links."""

    model = RelatedLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["section", "target", "external_url", "title", "blurb", "position"]
    verbose_name = "card"
    verbose_name_plural = "Cards: related pages and next-step links"


CONTENT_INLINES = [ItemFAQInline, RelatedLinkInline]


@admin.register(Page)
class PageAdmin(ContentAdmin):
    list_display = ["title", "page_kind", "role", "position", *ContentAdmin.list_display[1:]]
    list_filter = ["page_kind", "role", *ContentAdmin.list_filter]
    list_select_related = ["role", "updated_by"]
    autocomplete_fields = ["role"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = CONTENT_INLINES
    fieldsets = [
        (None, {"fields": ["title", "slug", "page_kind", "role", "position", "is_home", "path"]}),
        ("Article", {"fields": ["lead", "body", "tags"]}),
        ("After the article", {"fields": ["faq_intro", "next_step", "related_intro"]}),
        PUBLISHING_FIELDSET,
        SEO_FIELDSET,
        ("Last change", {"fields": ["updated_at", "updated_by"]}),
    ]


@admin.register(RelatedLink)
class RelatedLinkAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "source", "section", "target", "external_url", "position"]
    list_filter = ["section", "source__kind"]
    list_select_related = ["source", "target"]
    search_fields = ["title", "blurb", "source__title", "target__title", "external_url"]
    autocomplete_fields = ["source", "target"]
