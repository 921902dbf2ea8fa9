"""Admin for search engines and the cluster: SEO checks and preview on every content form,
"what links here", redirect offers on unpublish and delete, the redirect manager, and the
"Cluster health" page with its link graph."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path as route
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.http import urlencode
from django.utils.text import capfirst

from harness_cms.core.links import dead_links
from harness_cms.core.markdown import MarkdownTooComplex
from harness_cms.core.models import (
    BODY_MAX_LENGTH,
    ClusterHealth,
    ContentItem,
    NotFoundAddress,
    Redirect,
)
from harness_cms.core.visibility import is_visible
from harness_cms.core.widgets import (
    ReadOnlyAdminMixin,
    SafeAutocompleteMixin,
    SafeAutocompleteSelect,
)
from harness_cms.seo import analysis, audit, drawing, head, redirects, suggestions
from harness_cms.seo.graph import (
    COUNTED_LINKS,
    build_graph,
    inbound_links,
    link_summary,
    listed_on,
)

SEO_FIELDSET = (
    "Search engines",
    {
        "classes": ["collapse"],
        "fields": [
            "seo_title",
            "seo_description",
            "target_keyword",
            ("noindex", "exclude_from_sitemap"),
            "canonical_url",
        ],
        "description": "What search results show for this page. Empty fields fall back to "
        "the title and the lead. The last three are for exceptions: a page kept out of "
        "search results or the sitemap, or one whose original is at another address.",
    },
)
REDIRECT_FIELD = "redirect_to"


def _target_field(admin_site, *, label, help_text):
    return forms.ModelChoiceField(
        queryset=ContentItem.objects.all(),
        required=False,
        label=label,
        help_text=help_text,
        widget=SafeAutocompleteSelect(Redirect._meta.get_field("target"), admin_site),
    )


def _check_target(target, item):
    if target.pk == item.pk:
        raise ValidationError("Choose another page: a page cannot redirect to itself.")
    if not target.is_public:
        raise ValidationError(f"“{target.title}” is not public; choose a published page.")


# The pages that go offline with an item get one redirect field each, up to this many (a role
# with more comparisons is rare; the rest are listed without a field).
OFFLINE_REDIRECT_FIELDS = 50


def offline_with(item):
    """The public items that go offline when ``item`` does (a role's comparisons and cluster
    pages), kept on the instance: the fieldsets, the form and the page all ask."""
    if not hasattr(item, "_offline_with"):
        item._offline_with = list(item.dependents().published()) if item.is_public else []
    return item._offline_with


def _dependent_field(item):
    return f"{REDIRECT_FIELD}_{item.pk}"


def _stays_public(cleaned_data):
    """Whether the item is visible once the form is saved (publishing without a time is now)."""
    now = timezone.now()
    return is_visible(
        cleaned_data.get("status"),
        cleaned_data.get("publish_at") or now,
        cleaned_data.get("unpublish_at"),
        now=now,
    )


class RedirectOnDeleteForm(forms.Form):
    def __init__(self, *args, item, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields[REDIRECT_FIELD] = _target_field(
            admin_site,
            label="Send its visitors to",
            help_text="Optional: its address (and its earlier ones) will redirect to this page "
            "with a permanent 301. Left empty, the address answers 404.",
        )

    def clean_redirect_to(self):
        target = self.cleaned_data.get(REDIRECT_FIELD)
        if target is not None:
            _check_target(target, self.item)
        return target


# A bulk delete offers a redirect for each public item selected, up to this many (the list's page
# holds 100; more are deleted without a field, as a single delete with none chosen).
BULK_REDIRECT_FIELDS = 100


def _bulk_field(item):
    return f"{REDIRECT_FIELD}_{item.pk}"


class RedirectsOnBulkDeleteForm(forms.Form):
    """The bulk delete's redirect prompt: one optional target per public item going away."""

    def __init__(self, *args, items, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.going = {item.pk for item in items}
        self.items = [item for item in items if item.is_public][:BULK_REDIRECT_FIELDS]
        for item in self.items:
            self.fields[_bulk_field(item)] = _target_field(
                admin_site,
                label=f"Send the visitors of “{item.title}” ({item.path}) to",
                help_text="Optional: its address redirects here with a permanent 301. Left "
                "empty, the address answers 404.",
            )

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            name = _bulk_field(item)
            target = cleaned.get(name)
            if target is None:
                continue
            try:
                _check_target(target, item)
                if target.pk in self.going:
                    raise ValidationError(
                        f"“{target.title}” is being deleted too; choose another page."
                    )
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def targets(self):
        """The chosen target of each item (by id) that has one."""
        return {
            item.pk: self.cleaned_data[_bulk_field(item)]
            for item in self.items
            if self.cleaned_data.get(_bulk_field(item)) is not None
        }

    def rows(self):
        return [(item, self[_bulk_field(item)]) for item in self.items]


# Score bands of the list column and the form's panel.
SCORE_GOOD = 80
SCORE_FAIR = 50


def score_band(score):
    return "good" if score >= SCORE_GOOD else "fair" if score >= SCORE_FAIR else "poor"


class OnPageAnalysisMixin:
    """The on-page analysis (``harness_cms.seo.analysis``) of a ModelAdmin's objects: a score
    column in the list, a panel on the form, and the JSON endpoint the panel calls as the
    editor types (``…/analysis/`` for a new object, ``…/<id>/analysis/`` for a saved one).

    A ModelAdmin names the form fields the analysis reads (``analysis_fields``) and says how
    to analyse an object, saved or typed (``analyse``)."""

    analysis_fields = ()

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["admin/harness/seo.css"]}, js=["admin/harness/seo.js"]
        )

    def analyse(self, obj, *, data=None, summary=None):
        """The analysis of ``obj`` (or of the typed ``data``): each admin using the mixin says
        what its text is (SearchEngineAdminMixin for items, FAQAdmin for answers)."""
        raise NotImplementedError(
            f"{type(self).__name__} uses the on-page analysis and must define analyse()"
        )

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            route("analysis/", wrap(self.analysis_view), name=f"{info}_analysis_add"),
            route("<path:object_id>/analysis/", wrap(self.analysis_view), name=f"{info}_analysis"),
            *super().get_urls(),
        ]

    def analysis_url(self, obj=None):
        info = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        if obj is None or obj.pk is None:
            return reverse(f"{info}_analysis_add")
        return reverse(f"{info}_analysis", args=[obj.pk])

    def analysis_view(self, request, object_id=None):
        """POST the form's fields: the analysis of the text as typed, as JSON."""
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                return JsonResponse({"error": "No such object."}, status=404)
            if not self.has_view_or_change_permission(request, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            refused = JsonResponse({"error": "POST the form's fields."}, status=405)
            refused["Allow"] = "POST"
            return refused
        data = {name: request.POST[name] for name in self.analysis_fields if name in request.POST}
        if any(len(value) > BODY_MAX_LENGTH for value in data.values()):
            return JsonResponse({"error": "The text is too long to analyse."}, status=400)
        try:
            result = self.analyse(obj, data=data)
        except MarkdownTooComplex as too_complex:
            return JsonResponse({"error": str(too_complex)}, status=400)
        payload = result.as_json()
        payload["band"] = score_band(result.score)
        response = JsonResponse(payload)
        response["Cache-Control"] = "no-store, private"
        return response

    def get_changelist_instance(self, request):
        """The list, each shown object with its analysis (one read of the link graph)."""
        changelist = super().get_changelist_instance(request)
        summary = self.analysis_summary(changelist.result_list)
        for obj in changelist.result_list:
            obj.seo_analysis = self.analyse(obj, summary=summary)
        return changelist

    def analysis_summary(self, objs):
        """What the analyses of a list's rows read once for all of them."""
        return link_summary()

    @admin.display(description="SEO score")
    def seo_score(self, obj):
        result = getattr(obj, "seo_analysis", None)
        if result is None:
            return "–"
        warnings = len(result.warnings)
        return format_html(
            '<span class="seo-score {}" title="{}">{}</span>',
            score_band(result.score),
            f"{warnings} check{'s' if warnings != 1 else ''} to improve"
            if warnings
            else "Every check passes",
            result.score,
        )

    def analysis_context(self, obj):
        result = self.analyse(obj) if obj is not None and obj.pk else None
        return {
            "seo_analysis": result,
            "seo_analysis_band": score_band(result.score) if result else "",
            "seo_analysis_url": self.analysis_url(obj),
            "seo_analysis_fields": " ".join(self.analysis_fields),
        }


class SearchEngineAdminMixin(OnPageAnalysisMixin):
    """Mixed into ``ContentAdmin``: SEO counters, preview and checks, what links here, and a
    redirect target when an item is unpublished or deleted."""

    change_form_template = "admin/seo/content_change_form.html"
    delete_confirmation_template = "admin/seo/content_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/seo/content_delete_selected_confirmation.html"

    # -- the change form ---------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        result = []
        placed = False
        for name, options in fieldsets:
            fields = list(options.get("fields", []))
            if "status" in fields and not placed:
                extra = [_dependent_field(d) for d in offline_with(obj)[:OFFLINE_REDIRECT_FIELDS]]
                fields[fields.index("status") + 1 : fields.index("status") + 1] = [
                    REDIRECT_FIELD,
                    *extra,
                ]
                placed = True
            result.append((name, {**options, "fields": fields}))
        if not placed:
            result.append(("Redirect", {"fields": [REDIRECT_FIELD]}))
        return result

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return super().get_form(request, obj, change=change, **kwargs)
        base = kwargs.pop("form", self.form)
        was_public = obj.is_public
        field = _target_field(
            self.admin_site,
            label="When it stops being public, redirect to",
            help_text="Only when unpublishing: visitors of this page's address are sent to the "
            "chosen page with a permanent 301.",
        )

        def clean_redirect_to(form):
            target = form.cleaned_data.get(REDIRECT_FIELD)
            if target is None:
                return None
            if not was_public:
                raise ValidationError("This page is not public; there is nothing to redirect.")
            _check_target(target, obj)
            return target

        dependents = offline_with(obj)[:OFFLINE_REDIRECT_FIELDS]
        fields = {REDIRECT_FIELD: field}
        for dependent in dependents:
            fields[_dependent_field(dependent)] = _target_field(
                self.admin_site,
                label=f"… and “{dependent.title}” ({dependent.path}), which goes offline with "
                "it, to",
                help_text="Optional: its address redirects to the chosen page with a 301.",
            )
        going = {obj.pk, *(dependent.pk for dependent in dependents)}

        def clean(form):
            cleaned = super(form_class, form).clean()
            # An unpublish time still to come schedules the end: the redirects wait for it
            # (they answer only once the address is a 404).
            ends = cleaned.get("unpublish_at") is not None
            for dependent in dependents:
                name = _dependent_field(dependent)
                target = cleaned.get(name)
                if target is None:
                    continue
                try:
                    _check_target(target, dependent)
                except ValidationError as error:
                    form.add_error(name, error)
            for name in fields:
                target = cleaned.get(name)
                if target is None or name in form.errors:
                    continue
                if _stays_public(cleaned) and not ends:
                    form.add_error(name, "Leave this empty while the page stays published.")
                elif target.pk in going:
                    form.add_error(name, f"“{target.title}” goes offline too; choose another page.")
            return cleaned

        form_class = type(
            base.__name__,
            (base,),
            {**fields, "clean_redirect_to": clean_redirect_to, "clean": clean},
        )
        return super().get_form(request, obj, change=change, form=form_class, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.seo_context(obj))
        context.update(self.analysis_context(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    @property
    def analysis_fields(self):
        names = ["title", "slug", "seo_title", "seo_description", "target_keyword"]
        return [*names, *self.model.markdown_fields()]

    def analyse(self, obj, *, data=None, summary=None):
        return analysis.analyse_item(self.model, obj, data=data, summary=summary)

    def seo_context(self, obj):
        from django.conf import settings

        context = {"seo_site_url": settings.SITE_URL, "seo_limits": head}
        if obj is None or obj.pk is None:
            context.update(seo_path="", seo_links=[], seo_public=False, seo_checks=[])
            return context
        links = inbound_links(obj)
        public_ids = {source.pk for source, _, _ in links if source.is_public}
        context.update(
            seo_path=obj.path,
            seo_public=obj.is_public,
            seo_links=[
                {
                    "source": source,
                    "via": via,
                    "detail": detail,
                    "public": source.pk in public_ids,
                    "admin_url": source.admin_url(),
                }
                for source, via, detail in links
            ],
            seo_public_link_count=len(public_ids),
            seo_listed_on=listed_on(obj),
            seo_counted_links=COUNTED_LINKS,
            seo_checks=head.field_warnings(
                title=obj.meta_title,
                description=obj.meta_description,
                keyword=obj.target_keyword,
            )
            + head.duplicate_warnings(obj),
            seo_redirects=list(Redirect.objects.filter(target=obj)),
            seo_offline_with=[
                {
                    "item": dependent,
                    "links": [
                        {"source": source, "via": via, "admin_url": source.admin_url()}
                        for source, via, _ in inbound_links(dependent)
                        if source.is_public and source.pk != obj.pk
                    ],
                }
                for dependent in offline_with(obj)[:OFFLINE_REDIRECT_FIELDS]
            ],
            seo_offline_more=max(len(offline_with(obj)) - OFFLINE_REDIRECT_FIELDS, 0),
            seo_dead_links=dead_links(obj),
            seo_suggest_from=suggestions.pages_mentioning(
                obj, linked_from={source.pk for source, _, _ in links}
            ),
            seo_suggest_to=suggestions.items_mentioned(obj),
        )
        return context

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get(REDIRECT_FIELD)
        if target is not None:
            redirects.redirect_away(obj, to=target, reason=Redirect.Reason.UNPUBLISHED)
            messages.info(request, f"{obj.path} now redirects to {target.path}.")
        for dependent in offline_with(obj)[:OFFLINE_REDIRECT_FIELDS]:
            target = form.cleaned_data.get(_dependent_field(dependent))
            if target is not None:
                redirects.redirect_away(dependent, to=target, reason=Redirect.Reason.UNPUBLISHED)
                messages.info(request, f"{dependent.path} now redirects to {target.path}.")

    def response_add(self, request, obj, post_url_continue=None):
        self._warn_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._warn_after_save(request, obj)
        return super().response_change(request, obj)

    def _warn_after_save(self, request, obj):
        for warning in head.field_warnings(
            title=obj.meta_title, description=obj.meta_description, keyword=obj.target_keyword
        ) + head.duplicate_warnings(obj):
            messages.warning(request, warning)
        for href in dead_links(obj):
            messages.warning(
                request,
                f"A link in the text leads to {href}, which is not a live page: visitors see it "
                "as plain text. Link to a live page, or publish that one.",
            )
        if obj.is_public and not getattr(obj, "is_home", False):
            sources = [source for source, _, _ in inbound_links(obj) if source.is_public]
            if not sources and not listed_on(obj):
                messages.warning(
                    request,
                    "No published page links to this one: readers and crawlers cannot find it. "
                    "Add a card or a link on a related page.",
                )

    # -- deleting ----------------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().delete_view(request, object_id, extra_context)
        form = RedirectOnDeleteForm(request.POST or None, item=obj, admin_site=self.admin_site)
        if request.method == "POST" and not form.is_valid():
            for error in form.errors.get(REDIRECT_FIELD, []):
                messages.error(request, error)
            return HttpResponseRedirect(request.get_full_path())
        request._redirect_on_delete = (
            form.cleaned_data.get(REDIRECT_FIELD) if form.is_bound else None
        )
        links = inbound_links(obj) if request.method == "GET" else []
        context = {
            "redirect_form": form,
            "redirects_here": list(Redirect.objects.filter(target=obj)),
            "seo_links": [
                {"source": source, "via": via, "public": source.is_public}
                for source, via, _ in links
            ],
            **(extra_context or {}),
        }
        return super().delete_view(request, object_id, context)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Redirects to the item are not simply deleted: they follow the page chosen to
        # redirect to (the confirmation says so on its own), or go when none is chosen.
        label = f"{capfirst(Redirect._meta.verbose_name)}: "
        deleted = _without(deleted, label)
        model_count.pop(Redirect._meta.verbose_name_plural, None)
        # The ContentItem row is the item's own parent table, not a separate object: whoever
        # may delete the role, comparison or page may delete it (its admin is read-only).
        perms_needed.discard(str(ContentItem._meta.verbose_name))
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        target = getattr(request, "_redirect_on_delete", None)
        if target is not None:
            redirects.redirect_away(obj, to=target, reason=Redirect.Reason.DELETED)
            messages.info(request, f"{obj.path} now redirects to {target.path}.")
        super().delete_model(request, obj)

    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        """Django's bulk delete with the single delete's redirect prompt: the confirmation
        asks, for each public item, where its visitors should go; a target that cannot be
        chosen shows the page again with the error, and nothing is deleted."""
        form = RedirectsOnBulkDeleteForm(
            request.POST if request.POST.get("post") else None,
            items=list(queryset),
            admin_site=self.admin_site,
        )
        if form.is_bound and not form.is_valid():
            data = request.POST.copy()
            data.pop("post")
            request.POST = data
        request._redirects_on_delete = form.targets() if form.is_bound and form.is_valid() else {}
        response = delete_selected(self, request, queryset)
        if response is not None:
            response.context_data["redirect_form"] = form
            response.context_data["media"] = response.context_data["media"] + form.media
        return response

    def delete_queryset(self, request, queryset):
        targets = getattr(request, "_redirects_on_delete", {})
        for obj in queryset:
            target = targets.get(obj.pk)
            if target is not None:
                redirects.redirect_away(obj, to=target, reason=Redirect.Reason.DELETED)
                messages.info(request, f"{obj.path} now redirects to {target.path}.")
        super().delete_queryset(request, queryset)


def _without(nested, prefix):
    """The admin's nested list of objects to delete, less the entries that start with
    ``prefix`` (redirects, which nothing else refers to, so they have no entries below them)."""
    kept = []
    for entry in nested:
        if isinstance(entry, list):
            entry = _without(entry, prefix)
            if entry:
                kept.append(entry)
        elif not str(strip_tags(entry)).startswith(prefix):
            kept.append(entry)
    return kept


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "target", "reason"]


class RedirectImportForm(forms.Form):
    label_suffix = ""

    file = forms.FileField(
        label="CSV file",
        help_text="Columns old_path, target (the page's current address) and optionally reason, "
        "as the export writes them. At most 2 MB.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: only show what would change",
        required=False,
        initial=True,
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("The file is larger than 2 MB: split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError("The file is not UTF-8 text.") from error


@admin.register(Redirect)
class RedirectAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """The redirect manager: every earlier address and where it leads now; CSV export and
    import (with a dry run)."""

    form = RedirectForm
    list_display = ["old_path", "target", "current_path", "reason", "hits", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["target"]
    search_fields = ["old_path", "target__title", "target__path"]
    autocomplete_fields = ["target"]
    readonly_fields = ["hits", "last_hit_at", "created_at"]
    fields = ["old_path", "target", "reason", "hits", "last_hit_at", "created_at"]
    change_list_template = "admin/seo/redirect_change_list.html"

    @admin.display(description="leads to")
    def current_path(self, obj):
        return obj.target.path

    def get_urls(self):
        own = [
            route(
                "export.csv", self.admin_site.admin_view(self.export_view), name="redirect-export"
            ),
            route("import/", self.admin_site.admin_view(self.import_view), name="redirect-import"),
        ]
        return own + super().get_urls()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The address leads somewhere now: the 404 monitor has nothing more to say about it.
        NotFoundAddress.objects.filter(path=obj.old_path).delete()

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(redirects.export_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="redirects.csv"'
        return response

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = RedirectImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = redirects.import_csv(
                form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
            if report.applied:
                messages.success(
                    request,
                    f"Imported: {len(report.created)} created, {len(report.updated)} updated, "
                    f"{len(report.unchanged)} unchanged.",
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "Import redirects",
            "opts": self.opts,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/seo/redirect_import.html", context)


@admin.register(NotFoundAddress)
class NotFoundAddressAdmin(admin.ModelAdmin):
    """The 404 monitor: addresses that answered 404, most asked-for first, each one click from
    a redirect. Open to whoever may manage redirects."""

    list_display = ["path", "hits", "last_seen", "referrer", "make_redirect"]
    search_fields = ["path", "referrer"]
    readonly_fields = ["path", "hits", "first_seen", "last_seen", "referrer"]
    fields = readonly_fields

    def _may(self, request, action):
        return request.user.is_active and request.user.has_perm(f"harness_cms.{action}_redirect")

    def has_module_permission(self, request):
        return self._may(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    @admin.display(description="redirect")
    def make_redirect(self, obj):
        url = reverse("admin:harness_cms_redirect_add") + "?" + urlencode({"old_path": obj.path})
        return format_html('<a class="button" href="{}">Redirect…</a>', url)


def _may_see_cluster(request):
    return request.user.is_active and request.user.has_perm("harness_cms.view_contentitem")


@admin.register(ClusterHealth)
class ClusterHealthAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The "Cluster health" page: the audit's findings, the comparison matrix, the link graph."""

    def has_module_permission(self, request):
        return _may_see_cluster(request)

    def has_view_permission(self, request, obj=None):
        return _may_see_cluster(request)

    def changelist_view(self, request, extra_context=None):
        if not _may_see_cluster(request):
            raise PermissionDenied
        graph = build_graph()
        report = audit.run(graph)
        admin_urls = {}
        for node in graph.nodes.values():
            admin_urls[node.path] = ContentItem(pk=node.id, kind=node.kind).admin_url()
        findings = [
            {"finding": finding, "admin_url": admin_urls.get(finding.path)}
            for finding in report.findings
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Cluster health",
            "opts": self.opts,
            "report": report,
            "findings": findings,
            "severities": [str(s) for s in audit.Severity],
            "graph": drawing.layout(graph, report, admin_urls),
            "counted_links": COUNTED_LINKS,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/seo/cluster_health.html", context)
