"""Admin pieces shared by every kind of content, and the site settings."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from harness_cms.admin_widgets import SafeAutocompleteMixin
from harness_cms.models import ContentItem, SiteSettings
from harness_cms.seo_admin import SearchEngineAdminMixin
from harness_cms.workflow_admin import WorkflowAdminMixin

SEO_FIELDSET = (
    "Search engines",
    {
        "classes": ["collapse"],
        "fields": ["seo_title", "seo_description", "target_keyword"],
        "description": "What search results show for this page. Empty fields fall back to "
        "the title and the lead.",
    },
)
PUBLISHING_FIELDSET = ("Publishing", {"fields": ["status", "publish_at", "unpublish_at"]})


class ContentAdmin(
    SafeAutocompleteMixin, WorkflowAdminMixin, SearchEngineAdminMixin, admin.ModelAdmin
):
    """What every content admin shares: list columns, filters, who saved it last, the
    editorial workflow (publishing, revisions, previews, edit conflicts) and the SEO tools."""

    list_display = ["title", "status", "publish_at", "updated_at", "updated_by"]
    list_filter = ["status", "tags"]
    list_select_related = ["updated_by"]
    search_fields = ["title", "slug", "lead"]
    date_hierarchy = "updated_at"
    readonly_fields = ["path", "updated_at", "updated_by"]
    save_on_top = True
    show_facets = admin.ShowFacets.NEVER

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    """Every item in one list; also what the page pickers of cards and FAQ placements search.

    FAQ staff may search it from the FAQ form (to choose where an FAQ appears) but may not open
    any page of it.
    """

    list_display = ["title", "kind", "path", "status", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "path"]
    ordering = ["kind", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._picks_pages(request)

    def has_module_permission(self, request):
        return super().has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        self._require_real_view_permission(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_real_view_permission(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_real_view_permission(request)
        return super().history_view(request, object_id, extra_context)

    def _require_real_view_permission(self, request):
        if not super().has_view_permission(request):
            raise PermissionDenied

    @staticmethod
    def _picks_pages(request):
        user = request.user
        return user.has_perm("faq.add_faqplacement") or user.has_perm("faq.change_faqplacement")


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site_name", "organization_name", "faq_rich_results"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = "Harness CMS"
admin.site.site_title = "Harness CMS admin"
admin.site.index_title = "Content"
