"""Admin for roles and comparisons (with their shared points and table rows)."""

from django import forms
from django.contrib import admin
from django.db import models

from harness_cms.core.admin import PICTURES_FIELDSET, ContentAdmin
from harness_cms.core.widgets import BoundedInlineMixin, ReorderableInlineMixin
from harness_cms.editorial.admin import PUBLISHING_FIELDSET
from harness_cms.seo.admin import SEO_FIELDSET

from .models import Comparison, ComparisonRow, Role, SharedPoint


@admin.register(Role)
class RoleAdmin(ContentAdmin):
    list_display = ["title", "summary", "position", *ContentAdmin.list_display[1:]]
    search_fields = [*ContentAdmin.search_fields, "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "position", "path"]}),
        ("Definition", {"fields": ["lead", "body", "tags"]}),
        ("After the article", {"fields": ["faq_intro", "next_step", "related_intro"]}),
        PICTURES_FIELDSET,
        PUBLISHING_FIELDSET,
        SEO_FIELDSET,
        ("Last change", {"fields": ["updated_at", "updated_by"]}),
    ]


class SharedPointInline(ReorderableInlineMixin, BoundedInlineMixin, admin.TabularInline):
    model = SharedPoint
    extra = 0
    fields = ["text", "position"]
    verbose_name_plural = "Shared ground: what both roles have in common"


class ComparisonRowInline(ReorderableInlineMixin, BoundedInlineMixin, admin.TabularInline):
    model = ComparisonRow
    extra = 0
    fields = ["dimension", "role_a_text", "role_b_text", "position"]
    verbose_name_plural = "Comparison table: one row per dimension"
    # Two cells side by side must fit beside the admin's sidebar: short, narrow text boxes.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 16})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 30})},
    }


class ComparisonForm(forms.ModelForm):
    """A comparison's title defaults to "Role A vs Role B" (its address always follows the two
    roles): left empty, the roles chosen name it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = (
                "Empty: “Role A vs Role B”, from the two roles above (filled in as you choose "
                "them). The address is always made from the two roles."
            )

    def clean(self):
        cleaned = super().clean()
        role_a, role_b = cleaned.get("role_a"), cleaned.get("role_b")
        if "title" in self.fields and not cleaned.get("title") and role_a and role_b:
            cleaned["title"] = f"{role_a.title} vs {role_b.title}"
        return cleaned


@admin.register(Comparison)
class ComparisonAdmin(ContentAdmin):
    form = ComparisonForm
    list_display = ["title", "role_a", "role_b", *ContentAdmin.list_display[1:]]
    list_filter = ["role_a", "role_b", *ContentAdmin.list_filter]
    list_select_related = ["role_a", "role_b", "updated_by"]
    search_fields = [*ContentAdmin.search_fields, "role_a__title", "role_b__title"]
    autocomplete_fields = ["role_a", "role_b", *ContentAdmin.autocomplete_fields]
    readonly_fields = [*ContentAdmin.readonly_fields, "slug"]
    inlines = [SharedPointInline, ComparisonRowInline, *ContentAdmin.inlines]

    @property
    def media(self):
        return super().media + forms.Media(js=["harness_cms/comparison-title.js"])

    fieldsets = [
        (None, {"fields": ["role_a", "role_b", "title", "slug", "path"]}),
        ("Introduction", {"fields": ["lead", "shared_heading"]}),
        ("The two roles", {"fields": ["role_a_summary", "role_b_summary"]}),
        ("More and verdict", {"fields": ["body", "verdict", "tags"]}),
        ("After the article", {"fields": ["faq_intro", "next_step", "related_intro"]}),
        PICTURES_FIELDSET,
        PUBLISHING_FIELDSET,
        SEO_FIELDSET,
        ("Last change", {"fields": ["updated_at", "updated_by"]}),
    ]
