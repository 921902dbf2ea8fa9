"""The admin every kind of content builds on, the cards, and the site settings."""

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.urls import path
from taggit.managers import TaggableManager

from faq.admin import ItemFAQInline
from harness_cms.core.models import Author, Byline, ContentItem, RelatedLink, SiteSettings
from harness_cms.core.widgets import (
    BoundedInlineMixin,
    ReadOnlyAdminMixin,
    ReorderableInlineMixin,
    SafeAutocompleteMixin,
    TopicsField,
)
from harness_cms.editorial.admin import RowRevisionAdminMixin, StateFilter, WorkflowAdminMixin
from harness_cms.editorial.groups import may_pick_links
from harness_cms.seo.admin import SearchEngineAdminMixin

PICTURES_FIELDSET = (
    "Pictures",
    {
        "fields": ["lead_image", "social_image"],
        "description": "Choose from the image library (Images). Without a picture for link "
        "previews, the site draws a card from the title.",
    },
)


class RelatedLinkInline(
    ReorderableInlineMixin, SafeAutocompleteMixin, BoundedInlineMixin, admin.TabularInline
):
    """Cards shown on an item: related pages and next-step links."""

    model = RelatedLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["section", "target", "external_url", "title", "blurb", "position"]
    verbose_name = "card"
    verbose_name_plural = "Cards: related pages and next-step links"


class BylineInline(SafeAutocompleteMixin, BoundedInlineMixin, admin.TabularInline):
    """The authors named on an item, in order (none: the page is the organisation's)."""

    model = Byline
    fk_name = "item"
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = "author"
    verbose_name_plural = "Authors: the byline (none: the organisation)"


class ContentAdmin(
    SafeAutocompleteMixin, WorkflowAdminMixin, SearchEngineAdminMixin, admin.ModelAdmin
):
    """What every content admin shares: list columns, filters, who saved it last, the
    editorial workflow (publishing, revisions, previews, edit conflicts) and the SEO tools."""

    # The SEO tools' change form, which shows the workflow's state line too.
    change_form_template = SearchEngineAdminMixin.change_form_template
    list_display = [
        "title", "effective_state", "seo_score", "publish_at", "updated_at", "updated_by",
    ]  # fmt: skip
    list_filter = [StateFilter, "tags"]
    list_select_related = ["updated_by"]
    search_fields = ["title", "slug", "lead"]
    date_hierarchy = "updated_at"
    readonly_fields = ["path", "updated_at", "updated_by"]
    save_on_top = True
    show_facets = admin.ShowFacets.NEVER
    formfield_overrides = {TaggableManager: {"form_class": TopicsField}}
    # Every item shows FAQs and cards; a kind adds its own rows in front of these.
    inlines = [BylineInline, ItemFAQInline, RelatedLinkInline]
    autocomplete_fields = ["lead_image", "social_image"]
    # The bulk delete with the redirect prompt (SearchEngineAdminMixin.delete_selected).
    actions = [*WorkflowAdminMixin.actions, "delete_selected"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")


@admin.register(ContentItem)
class ContentItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every item in one list; also what the page pickers of cards and FAQ placements search.

    FAQ staff may search it from the FAQ form (to choose where an FAQ appears) but may not open
    any page of it.
    """

    list_display = ["title", "kind", "path", "status", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "path"]
    ordering = ["kind", "title"]

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

    def get_urls(self):
        return [
            path(
                "link-picker/",
                self.admin_site.admin_view(self.link_picker_view),
                name="harness_cms_contentitem_link_picker",
            ),
            *super().get_urls(),
        ]

    def link_picker_view(self, request):
        """JSON for the "Insert link" picker of Markdown fields: items whose title matches
        ``q`` (every state: a link to a draft shows once it is live), best matches first."""
        if not may_pick_links(request.user):
            raise PermissionDenied
        query = " ".join(request.GET.get("q", "").split())[:100]
        items = ContentItem.objects.only(*LINK_PICKER_FIELDS)
        if query:
            items = items.filter(title__icontains=query)
        # Titles that start with the words typed come first.
        starting = list(items.filter(title__istartswith=query)[:LINK_PICKER_SIZE])
        rest = items.exclude(pk__in=[item.pk for item in starting]) if query else items.none()
        found = starting + list(rest[: LINK_PICKER_SIZE - len(starting)])
        results = [
            {
                "id": item.pk,
                "title": item.title,
                "kind": item.kind_label,
                "path": item.path,
                "live": item.is_public,
            }
            for item in found
        ]
        response = JsonResponse({"results": results})
        response["Cache-Control"] = "no-store, private"
        return response

    def _require_real_view_permission(self, request):
        if not super().has_view_permission(request):
            raise PermissionDenied

    @staticmethod
    def _picks_pages(request):
        """FAQ staff choose where an FAQ appears: they may search items (drafts and scheduled
        ones too) from that picker — the autocomplete of a placement's item — and from no
        other (Django asks the searched model's admin only, whatever field asks)."""
        user = request.user
        if not (user.has_perm("faq.add_faqplacement") or user.has_perm("faq.change_faqplacement")):
            return False
        return all(request.GET.get(key) == value for key, value in PLACEMENT_PICKER.items())


# Items the link picker lists at once; typing narrows them.
LINK_PICKER_SIZE = 20
LINK_PICKER_FIELDS = ("kind", "title", "path", "live_from", "live_until")

# The one autocomplete FAQ staff may search content items from.
PLACEMENT_PICKER = {"app_label": "faq", "model_name": "faqplacement", "field_name": "item"}


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (``/admin/r/<type>/<id>/``), for what the user may
    see: an object of a model they may not view is a 404 unless the public may see it now, so
    that a draft's address is not given away (FAQ staff, say, probing items by number)."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as error:
        raise Http404("No such object.") from error
    opts = type(obj)._meta
    may_view = any(
        request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )
    if not may_view and not getattr(obj, "is_public", False):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)


@admin.register(SiteSettings)
class SiteSettingsAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["site_name", "organization_name", "brand_colour", "faq_rich_results"]
    autocomplete_fields = ["logo"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "site_name",
                    "tagline",
                    "organization_name",
                    "default_seo_description",
                    "logo",
                    "brand_colour",
                    "faq_rich_results",
                    "similarity_threshold",
                ]
            },
        ),
        (
            "Freshness: how often live items are due for review",
            {
                "fields": [
                    "review_days_role",
                    "review_days_comparison",
                    "review_days_page",
                    "review_days_faq",
                ],
                "description": "An item is listed under “Due for review” this many days after "
                "it was last marked reviewed, or after it was published if it never was.",
            },
        ),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Author profiles editors name on pages: a byline, and the Article's Person."""

    list_display = ["name", "slug", "page_count"]
    search_fields = ["name", "slug"]
    # The page counts group the rows, and a grouped query leaves out the model's ordering.
    ordering = ["name", "pk"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "bio", "links"]

    @admin.display(description="pages")
    def page_count(self, obj):
        return obj.page_count

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(page_count=Count("bylines"))


@admin.register(RelatedLink)
class RelatedLinkAdmin(RowRevisionAdminMixin, SafeAutocompleteMixin, admin.ModelAdmin):
    """Cards on their own form; a change is a revision of the item the card is on."""

    list_display = ["__str__", "source", "section", "target", "external_url", "position"]
    list_filter = ["section", "source__kind"]
    list_select_related = ["source", "target"]
    search_fields = ["title", "blurb", "source__title", "target__title", "external_url"]
    autocomplete_fields = ["source", "target"]


admin.site.site_header = "Harness CMS"
admin.site.site_title = "Harness CMS admin"
admin.site.index_title = "Content"
