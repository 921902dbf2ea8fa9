"""Admin for FAQ entries (with where they appear), their topics, and the FAQs on an item's form."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from harness_cms.core.visibility import public_item_q
from harness_cms.core.widgets import (
    BoundedInlineMixin,
    CellLabelsMixin,
    ReorderableInlineMixin,
    SafeAutocompleteMixin,
    TopicsField,
)
from harness_cms.editorial.admin import (
    PUBLISHING_FIELDSET,
    LockedWithParentMixin,
    StateFilter,
    WorkflowAdminMixin,
)
from harness_cms.seo.admin import OnPageAnalysisMixin
from harness_cms.seo.analysis import (
    FAQ_BASE_PATH,
    analyse_faq,
    faq_input,
    items_at,
    local_paths,
)

from .models import FAQ, FAQPlacement, Topic


class FAQPlacementInline(
    SafeAutocompleteMixin, LockedWithParentMixin, BoundedInlineMixin, admin.TabularInline
):
    """On an FAQ: the pages it appears on."""

    model = FAQPlacement
    fk_name = "faq"
    extra = 0
    autocomplete_fields = ["item"]
    fields = ["item", "position", "is_home"]
    verbose_name = "appears on"
    verbose_name_plural = "Appears on"


class ItemFAQInline(
    ReorderableInlineMixin, SafeAutocompleteMixin, BoundedInlineMixin, admin.TabularInline
):
    """On a role, comparison or page: the FAQs it shows, in order."""

    model = FAQPlacement
    fk_name = "item"
    extra = 0
    autocomplete_fields = ["faq"]
    fields = ["faq", "position", "is_home"]
    verbose_name = "FAQ"
    verbose_name_plural = "FAQs on this page"


class TagsOnFAQsFilter(admin.SimpleListFilter):
    """The tags FAQs carry, and only those: Django's filter of the ``tags`` field listed every
    tag of the site, those used only on items FAQ staff may not see (drafts) among them.
    (Subqueries over the tagged rows: taggit builds its ``tags__`` joins with an API Django
    has deprecated.)"""

    title = "tags"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        on_faqs = TaggedItem.objects.filter(content_type=self._faq_type()).values("tag_id")
        return Tag.objects.filter(pk__in=on_faqs).order_by("name").values_list("pk", "name")

    def queryset(self, request, queryset):
        # A tag id from the query string (text), or from a lookup when the list counts facets.
        value = str(self.value() or "")
        if not value.isdigit():
            return queryset
        tagged = TaggedItem.objects.filter(content_type=self._faq_type(), tag_id=int(value))
        return queryset.filter(pk__in=tagged.values("object_id"))

    @staticmethod
    def _faq_type():
        return ContentType.objects.get_for_model(FAQ)


@admin.register(FAQ)
class FAQAdmin(WorkflowAdminMixin, OnPageAnalysisMixin, admin.ModelAdmin):
    list_display = [
        "question", "topic", "effective_state", "seo_score", "placement_count", "updated_at",
        "updated_by",
    ]  # fmt: skip
    list_filter = [StateFilter, "topic", TagsOnFAQsFilter]
    list_select_related = ["topic", "updated_by"]
    search_fields = ["question", "answer", "slug"]
    prepopulated_fields = {"slug": ["question"]}
    readonly_fields = ["updated_at", "updated_by"]
    # Explicit: the placement count's GROUP BY drops Meta.ordering, and the page pickers'
    # autocomplete paginates this queryset (unordered pagination warns, and may repeat rows).
    ordering = ["topic__position", "question"]
    inlines = [FAQPlacementInline]
    change_form_template = "admin/faq/faq/change_form.html"
    analysis_fields = ["question", "answer"]
    formfield_overrides = {TaggableManager: {"form_class": TopicsField}}
    fieldsets = [
        (None, {"fields": ["question", "slug", "answer", "topic", "tags"]}),
        PUBLISHING_FIELDSET,
        ("Last change", {"fields": ["updated_at", "updated_by"]}),
    ]

    @admin.display(description="shown on")
    def placement_count(self, obj):
        return obj.placement_count

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                placement_count=Count("placements"),
                public_place_count=Count(
                    "placements", filter=public_item_q("placements__item__"), distinct=True
                ),
            )
        )

    def analysis_summary(self, objs):
        """The items the listed answers link to, read once for the whole list."""
        paths = local_paths([faq.answer_html for faq in objs], FAQ_BASE_PATH)
        return items_at(paths)

    def analyse(self, obj, *, data=None, summary=None):
        places = getattr(obj, "public_place_count", None) if data is None else None
        return analyse_faq(faq_input(obj, data=data, public_places=places, known=summary))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.analysis_context(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Topic)
class TopicAdmin(CellLabelsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
