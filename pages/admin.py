"""Admin for cluster pages, guides and hubs."""

from django.contrib import admin

from harness_cms.core.admin import PICTURES_FIELDSET, ContentAdmin
from harness_cms.editorial.admin import PUBLISHING_FIELDSET
from harness_cms.seo.admin import SEO_FIELDSET

from .models import Page


@admin.register(Page)
class PageAdmin(ContentAdmin):
    list_display = ["title", "page_kind", "role", "position", *ContentAdmin.list_display[1:]]
    list_filter = ["page_kind", "role", *ContentAdmin.list_filter]
    list_select_related = ["role", "updated_by"]
    autocomplete_fields = ["role", *ContentAdmin.autocomplete_fields]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "page_kind", "role", "position", "is_home", "path"]}),
        ("Article", {"fields": ["lead", "body", "tags"]}),
        ("After the article", {"fields": ["faq_intro", "next_step", "related_intro"]}),
        PICTURES_FIELDSET,
        PUBLISHING_FIELDSET,
        SEO_FIELDSET,
        ("Last change", {"fields": ["updated_at", "updated_by"]}),
    ]
