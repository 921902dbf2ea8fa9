"""The editorial workflow inside the Django admin, for every publishable model.

:class:`WorkflowAdminMixin` adds to a ModelAdmin: the publish permission (status choices and
schedule fields, checked on save too), bulk actions, a version check that refuses a save made
from an outdated form, a revision for every save, the history / compare / restore pages,
previews of saved drafts and of unsaved changes, and the Markdown live-preview endpoint.
"""

from datetime import timedelta
from functools import cache

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.forms.formsets import all_valid
from django.forms.models import BaseInlineFormSet
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.timesince import timesince
from reversion.models import Version

from harness_cms.core.links import unlink_dead
from harness_cms.core.markdown import MarkdownTooComplex
from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.core.signals import publication_changed
from harness_cms.core.text import moment, normalise_newlines
from harness_cms.core.versions import EditConflict, claim_version
from harness_cms.core.visibility import STATES, Status, is_visible, publishable_models, state_q
from harness_cms.core.widgets import ReadOnlyAdminMixin, TopicsField
from harness_cms.editorial import (
    audit,
    bulk_edit,
    drafts,
    duplicates,
    freshness,
    presence,
    preview,
    revisions,
    trash,
)
from harness_cms.editorial.groups import may_pick_links
from harness_cms.editorial.models import AuditEntry, Draft, TrashedItem
from harness_cms.editorial.services import UNPUBLISHED_STATES, can_publish, change_status
from harness_cms.images.models import render_markdown_html

PUBLISHING_FIELDSET = ("Publishing", {"fields": ["status", "publish_at", "unpublish_at"]})
VERSION_FIELD = "loaded_version"
DRAFT_PUBLISH_FIELD = "draft_publish_at"
REVIEW_NOTE_FIELD = "review_note"
FORM_ONLY_FIELDS = (VERSION_FIELD, DRAFT_PUBLISH_FIELD, REVIEW_NOTE_FIELD)
MARKDOWN_PREVIEW_LIMIT = 200_000
# What the Markdown live preview's frame loads: the public site's stylesheet, then the frame's
# own few rules (its margins; no full-height page).
PREVIEW_STYLESHEETS = ("css/site.css", "harness_cms/preview-frame.css")


def _name(user):
    return (user.get_full_name() or user.username) if user is not None else "Someone"


def _time(value):
    return moment(value)


def _day(value):
    """The day of ``value`` as the admin writes days: "2 Dec 2026" (decision 0120)."""
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def conflict_message(obj, change_url):
    """Who saved ``obj`` (or one of its rows, cards or FAQ placements) after the editor opened
    it, when, and what their change was; what to do now."""
    latest = Version.objects.get_for_object(obj).select_related("revision").first()
    change = ""
    who, when = obj.updated_by, obj.updated_at
    draft = drafts.draft_of(obj)
    if draft is not None and draft.saved_at > obj.updated_at:
        # A draft saved over the live item made the form stale: its saver is the one to name.
        who, when, change = draft.saved_by, draft.saved_at, "a draft, not yet published"
    # Quoted only when it is the save that made the form stale (a row deleted with its FAQ
    # entry, say, makes no revision of the item).
    elif latest is not None and latest.revision.date_created >= when - timedelta(seconds=5):
        change = latest.revision.comment
    return format_html(
        "Not saved: {who} saved this {kind} at {time} ({ago}), after you opened it{change}. "
        "Your text is still in the form below, so nothing you typed is lost. "
        '<a href="{url}" target="_blank" rel="noopener">Open their version in a new tab</a>, '
        "copy your changes into it and save there; the history shows what they changed.",
        who=_name(who),
        kind=obj._meta.verbose_name,
        time=_time(when),
        ago=_ago(when),
        change=f" (their change: {change.rstrip('.')})" if change else "",
        url=change_url,
    )


def locked_message(obj):
    """Why a form opened while ``obj`` was a draft can no longer be saved by this user."""
    return format_html(
        "Not saved: {who} {state} this {kind} at {time} ({ago}), after you opened it, and "
        "only editors change what is {state}. Your text is still in the form below, so nothing "
        "you typed is lost: copy it and send it to an editor.",
        who=_name(obj.updated_by),
        state=obj.get_status_display().lower(),
        kind=obj._meta.verbose_name,
        time=_time(obj.updated_at),
        ago=_ago(obj.updated_at),
    )


def deleted_message(opts, object_id, entry):
    """Why the change form of an object deleted meanwhile came back as an add form."""
    who = _name(entry.user) if entry is not None else "Someone"
    when = f" at {_time(entry.action_time)}" if entry is not None else ""
    return format_html(
        "Not saved: {who} deleted this {kind} (id {id}){when}, after you opened it. Your text is "
        "still in the form below, so nothing you typed is lost; saving it adds the {kind} again.",
        who=who,
        kind=opts.verbose_name,
        id=object_id,
        when=when,
    )


@cache
def keeping_rows(formset):
    """``formset`` (an inline's own: bounded, say) that also keeps its rows true."""
    if issubclass(formset, KeepRowsInlineFormSet):
        return formset
    return type(f"KeepRows{formset.__name__}", (KeepRowsInlineFormSet, formset), {})


class KeepRowsInlineFormSet(BaseInlineFormSet):
    """An inline formset that stays true when rows changed after the form was opened.

    Django pairs the posted rows with the rows in the database by position; after someone
    deleted a row elsewhere, every row below it showed its neighbour's heading, and the
    deleted row's error sat on a hidden field, shown nowhere. Here each posted row keeps its
    own row, and a row deleted meanwhile says so where it is, with the values typed into it.
    """

    GONE = (
        "Not saved: someone else deleted this row after you opened the form. What you typed "
        "into it is still here; add it again as a new row if it should stay."
    )

    def _posted_pk(self, index):
        value = self.data.get(f"{self.add_prefix(index)}-{self.model._meta.pk.name}")
        try:
            return self._get_to_python(self.model._meta.pk)(value)
        except ValidationError:
            return None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for formfield in form.fields.values():
            full_input(formfield)

    def _existing_object(self, pk):
        if not hasattr(self, "_object_dict"):
            self._object_dict = {row.pk: row for row in super().get_queryset()}
        return self._object_dict.get(pk)

    def get_queryset(self):
        """Bound: the rows in the order they were posted (None for one deleted meanwhile)."""
        if not self.is_bound:
            return super().get_queryset()
        return [self._existing_object(self._posted_pk(i)) for i in range(self.initial_form_count())]

    def clean(self):
        super().clean()
        for index, form in enumerate(self.initial_forms):
            deleting = self.can_delete and self._should_delete_form(form)
            pk = self._posted_pk(index)
            if pk is not None and self._existing_object(pk) is None and not deleting:
                form.add_error(None, self.GONE)


def _ago(moment):
    if timezone.now() - moment < timedelta(minutes=1):
        return "moments ago"
    return f"{timesince(moment)} ago"


class StateFilter(admin.SimpleListFilter):
    """The list by effective state: live, scheduled, waiting, expired, draft…"""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STATES

    def queryset(self, request, queryset):
        if self.value() not in dict(STATES):
            return queryset
        stored = issubclass(queryset.model, ContentItem)
        return queryset.filter(state_q(self.value(), stored=stored))


class WorkflowAdminMixin:
    """Publishing, revisions, previews and edit-conflict checks for a ModelAdmin."""

    actions = ["publish_now", "unpublish", "send_to_review", "duplicate_selected", "bulk_edit"]
    change_form_template = "admin/editorial/change_form.html"

    @admin.display(description="state", ordering="status")
    def effective_state(self, obj):
        """What the public sees now, not only the status: Expired, Live until …; "Live +
        draft" when changes wait to be published."""
        label = obj.state.label
        if getattr(obj, "has_draft", False):
            return f"{label} + draft"
        return label

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(
            has_draft=Exists(drafts.drafts_of(self.model).filter(object_id=OuterRef("pk")))
        )

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["harness_cms/admin-workflow.css", "images/admin.css"]},
            js=[
                "harness_cms/markdown-preview.js",
                "images/image-picker.js",
                "harness_cms/link-picker.js",
                "harness_cms/presence.js",
                "harness_cms/admin-a11y.js",
            ],
        )

    # --- Permissions ---------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        """Without the publish permission, what is published (or archived) is read-only, except
        a live item, whose changes they propose as a draft for review (decision 0090)."""
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status not in UNPUBLISHED_STATES:
            # A form opened while it was a draft is shown back, refused (locked_message).
            return (
                self.has_publish_permission(request)
                or _is_locked(request, obj)
                or drafts.is_live(obj)
            )
        return allowed

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["publish_at", "unpublish_at"]
            if obj is not None and obj.status not in UNPUBLISHED_STATES:
                fields.append("status")  # a proposal changes content, not whether it is live
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [(state.value, state.label) for state in UNPUBLISHED_STATES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # --- The form: version check, schedule validation -----------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        if obj is not None and self.has_change_permission(request, obj):
            _name, options = fieldsets[-1]
            options["fields"] = [*options["fields"], VERSION_FIELD]
            if self._keeps_drafts(request, obj):
                extra = [REVIEW_NOTE_FIELD]
                if self.has_publish_permission(request):
                    extra.insert(0, DRAFT_PUBLISH_FIELD)
                for _name, options in fieldsets:
                    if "status" in options["fields"]:
                        options["fields"] = [*options["fields"], *extra]
                        break
        return fieldsets

    def _keeps_drafts(self, request, obj):
        """Whether a plain save of ``obj`` keeps a draft: it is live (decision 0090)."""
        return obj is not None and drafts.is_live(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields") is None:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in kwargs["fields"] if name not in FORM_ONLY_FIELDS]
        form = super().get_form(request, obj, change, **kwargs)
        change_url = (
            reverse(self._url_name("change"), args=[quote(obj.pk)]) if obj is not None else ""
        )

        class WorkflowForm(form):
            check_version = obj is not None

            def __init__(self, data=None, *args, **kwargs):
                # The change form of an item with a draft opens on the draft.
                opened = getattr(request, "draft_data", None)
                if data is None and opened is not None:
                    data = opened
                super().__init__(data, *args, **kwargs)

            def clean(self):
                cleaned = super().clean()
                _check_schedule(self, cleaned)
                publish_changes_at = cleaned.get(DRAFT_PUBLISH_FIELD)
                if publish_changes_at is not None and publish_changes_at <= timezone.now():
                    self.add_error(
                        DRAFT_PUBLISH_FIELD,
                        "This time has passed. Leave it empty and press “Publish changes” to "
                        "publish now, or choose a time in the future.",
                    )
                refusal = getattr(request, "edit_refused", None)
                if refusal:
                    raise ValidationError(refusal)
                if self.check_version:
                    loaded = cleaned.get(VERSION_FIELD)
                    if loaded is None:
                        raise ValidationError(
                            "This form does not say which version it was opened from; "
                            "reload the page (copy your text first)."
                        )
                    if loaded != self.instance.version or getattr(request, "edit_conflict", 0):
                        raise ValidationError(conflict_message(self.instance, change_url))
                return cleaned

        if obj is not None:
            WorkflowForm.base_fields[VERSION_FIELD] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=obj.version
            )
            if self._keeps_drafts(request, obj):
                WorkflowForm.base_fields[REVIEW_NOTE_FIELD] = full_input(
                    forms.CharField(
                        label="Note for the reviewer",
                        required=False,
                        max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 2}),
                        help_text="With “Submit for review”: what you changed and why. Editors "
                        "see it in the review queue.",
                    )
                )
            if self._keeps_drafts(request, obj) and self.has_publish_permission(request):
                WorkflowForm.base_fields[DRAFT_PUBLISH_FIELD] = forms.SplitDateTimeField(
                    label="Publish these changes at",
                    required=False,
                    widget=AdminSplitDateTime,
                    help_text="The page is live, so Save keeps your changes as a draft. A time "
                    "here publishes that draft then; empty: it waits for Publish changes.",
                )
        WorkflowForm.__name__ = form.__name__
        return WorkflowForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = full_input(super().formfield_for_dbfield(db_field, request, **kwargs))
        if formfield is not None and db_field.name == "publish_at":
            formfield.help_text = (
                "When a published item goes live. A future time schedules it; a time in the "
                "past publishes at once and is kept as its publish date. Empty: the moment it "
                "is published."
            )
        if formfield is not None and revisions.is_markdown(self.model, db_field):
            formfield.widget.attrs["data-markdown-preview"] = reverse(
                self._url_name("markdown_preview")
            )
            # The preview draws the text as the public page does: in the element the page
            # puts it in, with the site's own stylesheet, in a frame the admin's styles do not
            # reach (decision 0126).
            attrs = formfield.widget.attrs
            attrs["data-markdown-shown-in"] = getattr(db_field, "shown_in", "prose")
            attrs["data-markdown-stylesheets"] = " ".join(map(static, PREVIEW_STYLESHEETS))
            if request.user.has_perm("images.view_image"):
                formfield.widget.attrs["data-image-picker"] = reverse("admin:images_image_picker")
            if may_pick_links(request.user):
                formfield.widget.attrs["data-link-picker"] = reverse(
                    "admin:harness_cms_contentitem_link_picker"
                )
        return formfield

    # --- Saving: conflicts, revisions, publish checks -------------------------------------

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.formset = keeping_rows(inline.formset)
        return inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        params = super().get_formset_kwargs(request, obj, inline, prefix)
        opened = getattr(request, "draft_data", None)
        if request.method != "POST" and opened is not None:
            params["data"] = opened
        return params

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            _normalise_post(request)
        if request.method == "POST" and "_publish" in request.POST:
            # Publish changes: the form is saved to the live item and the editor stays on it.
            if not self.has_publish_permission(request):
                raise PermissionDenied
            data = request.POST.copy()
            data["_continue"] = "1"
            request.POST = data
        if object_id and request.method != "POST":
            extra_context = {
                **(extra_context or {}),
                **self._open_draft(request, object_id),
                **self._presence(request, object_id),
                **self._freshness(request, object_id),
            }
        if request.method == "POST" and object_id:
            obj = self.get_object(request, unquote(object_id))
            if obj is None and self.has_add_permission(request):
                return self._deleted_meanwhile(request, object_id, extra_context)
            if (
                obj is not None
                and VERSION_FIELD in request.POST  # the form was editable when opened
                and not self.has_change_permission(request, obj)
                and super().has_change_permission(request, obj)
            ):
                # Published (or archived) since this form was opened by someone who may not
                # change it now: the form comes back refused, with everything typed.
                request.edit_locked = obj.pk
                request.edit_refused = locked_message(obj)
        extra_context = {**(extra_context or {}), **self._workflow_context(request, object_id)}
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id and "_publish" not in request.POST:
            obj = self.get_object(request, unquote(object_id))
            if self._keeps_drafts(request, obj) and self.has_change_permission(request, obj):
                extra_context["draft_mode"] = True
                saved = self._save_draft(request, obj)
                if saved is not None:
                    return saved
                # Invalid or refused: the form is shown again with its errors, never saved.
                request.draft_only = True
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between this form's checks and its UPDATE. Nothing was written;
            # the form is shown again, refused with the message naming them (read afresh),
            # and keeps everything the editor typed.
            request.edit_conflict = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    # --- Drafts over live items (decision 0090) -------------------------------------------

    def _save_draft(self, request, obj):
        """A plain save of a live item: its changes become its draft, the live rows stay.
        Returns the redirect, or None when the form must be shown again (errors, a conflict)."""
        ModelForm = self.get_form(request, obj, change=True)
        form = ModelForm(request.POST, request.FILES, instance=obj)
        formsets, _ = self._create_formsets(request, form.instance, change=True)
        if not (form.is_valid() & all_valid(formsets)):
            return None
        publish_at = form.cleaned_data.get(DRAFT_PUBLISH_FIELD)
        try:
            drafts.save_draft(
                obj=form.instance,
                rows=preview.rows_from_formsets(formsets),
                tags=form.cleaned_data.get("tags"),
                form_data=request.POST,
                user=request.user,
                expected_version=form.cleaned_data[VERSION_FIELD],
                publish_at=publish_at,
            )
        except EditConflict:
            request.edit_conflict = True
            return None
        if "_submit_review" in request.POST:
            drafts.submit_for_review(
                draft=drafts.draft_of(obj),
                user=request.user,
                note=form.cleaned_data.get(REVIEW_NOTE_FIELD, ""),
            )
            self.message_user(
                request,
                f"Submitted for review: your changes to “{obj}” wait for an editor; the public "
                "still sees the live version. You are told by email when they decide.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse(self._url_name("change"), args=[quote(obj.pk)]))
        if publish_at is not None:
            when = f" They are published at {_time(publish_at)}."
        elif self.has_publish_permission(request):
            when = " Press “Publish changes” to make them live."
        else:
            when = ""
        self.message_user(
            request,
            f"Saved as a draft: the public still sees the live “{obj}”.{when}",
            messages.SUCCESS,
        )
        if "_continue" in request.POST:
            target = reverse(self._url_name("change"), args=[quote(obj.pk)])
        elif "_addanother" in request.POST:
            target = reverse(self._url_name("add"))
        else:
            target = reverse(self._url_name("changelist"))
        return HttpResponseRedirect(target)

    def _open_draft(self, request, object_id):
        """Open the change form on the item's draft, saying whose and since when."""
        obj = self.get_object(request, unquote(object_id))
        draft = drafts.draft_of(obj)
        if draft is None or not self.has_change_permission(request, obj):
            return {"draft_mode": self._keeps_drafts(request, obj) and obj is not None}
        data = QueryDict(mutable=True)
        for key, values in drafts.opened_data(draft, obj).items():
            data.setlist(key, values)
        request.draft_data = data
        return {
            "draft": draft,
            "draft_stale": drafts.is_stale(draft, obj),
            "draft_mode": self._keeps_drafts(request, obj),
            "draft_url": reverse(self._url_name("draft"), args=[object_id]),
            "draft_saved_by": _name(draft.saved_by),
            "draft_saved_at": _time(draft.saved_at),
            "draft_saved_ago": _ago(draft.saved_at),
            "draft_publish_at": _time(draft.publish_at) if draft.publish_at else "",
            "draft_submitted_at": _time(draft.submitted_at) if draft.submitted_at else "",
            "draft_submitted_by": _name(draft.submitted_by),
        }

    def _presence(self, request, object_id):
        """Who else has this form open (and note that this user has, from now)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            return {}
        return {
            "presence_url": reverse(self._url_name("presence"), args=[object_id]),
            "presence_others": [
                {"name": other["name"], "since": _time(other["since"])}
                for other in presence.beat(self.model, obj.pk, request.user)
            ],
        }

    def _freshness(self, request, object_id):
        """When the item was last reviewed and when it is due, with "Mark reviewed"."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not freshness.may_mark(request.user, self.model):
            return {}
        due = freshness.due_at(obj)
        return {
            "freshness": {
                "reviewed_at": _time(obj.last_reviewed_at) if obj.last_reviewed_at else "",
                "reviewed_by": _name(obj.last_reviewed_by) if obj.last_reviewed_by_id else "",
                "due_at": _time(due) if due else "",
                "overdue": due is not None and due <= timezone.now(),
                "url": reverse(self._url_name("reviewed"), args=[object_id]),
            }
        }

    def reviewed_view(self, request, object_id):
        """POST: mark the item reviewed (its content, live or drafted, stays as it is)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_or_404(request, unquote(object_id))
        if not freshness.may_mark(request.user, self.model):
            raise PermissionDenied
        when = freshness.mark_reviewed(obj=obj, user=request.user)
        due = freshness.due_at(obj)
        messages.success(
            request,
            f"Marked “{obj}” reviewed at {_time(when)}; the next review is due "
            f"{timezone.localtime(due):%Y-%m-%d}. Its content, and any unpublished changes, "
            "are as they were.",
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse(self._url_name("change"), args=[object_id])
        return HttpResponseRedirect(target)

    def presence_view(self, request, object_id):
        """The form's heartbeat (POST): who else has it open, as JSON; ``leave`` to close."""
        if request.method != "POST":
            refused = JsonResponse({"error": "POST only."}, status=405)
            refused["Allow"] = "POST"
            return refused
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.POST.get("leave"):
            presence.leave(self.model, obj.pk, request.user)
            return JsonResponse({"others": []})
        others = presence.beat(self.model, obj.pk, request.user)
        response = JsonResponse(
            {"others": [{"name": o["name"], "since": _time(o["since"])} for o in others]}
        )
        response["Cache-Control"] = "no-store, private"
        return response

    def draft_view(self, request, object_id):
        """GET: the draft against what is live. POST: publish it, or discard it."""
        obj = self.get_object(request, unquote(object_id))
        change_url = reverse(self._url_name("change"), args=[object_id])
        draft = drafts.draft_of(obj)
        if obj is None or draft is None:
            if not self.has_change_permission(request):
                raise PermissionDenied
            messages.info(
                request,
                "There are no unpublished changes here: they were published or discarded, "
                "or the item was deleted.",
            )
            target = change_url if obj is not None else reverse(self._url_name("changelist"))
            return HttpResponseRedirect(target)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST":
            return self._draft_action(request, obj, draft, change_url)
        diffs = revisions.diff(
            self.model,
            revisions.current_snapshot(obj),
            drafts.snapshot_of(draft, self.model),
            skip={"version"},
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Unpublished changes: {obj}",
            "subtitle": None,
            "draft": draft,
            "draft_stale": drafts.is_stale(draft, obj),
            "draft_saved_by": _name(draft.saved_by),
            "draft_saved_at": _time(draft.saved_at),
            "draft_publish_at": _time(draft.publish_at) if draft.publish_at else "",
            "diffs": diffs,
            "diffs_changed": any(d.changed for d in diffs),
            "change_url": change_url,
            "preview_url": reverse(self._url_name("preview"), args=[object_id]) + "?draft=1",
            "can_publish": self.has_publish_permission(request),
            "draft_submitted_at": _time(draft.submitted_at) if draft.submitted_at else "",
            "draft_submitted_by": _name(draft.submitted_by),
            "seen": draft.saved_at.isoformat(),
            "comments": list(drafts.comments_on(obj)[:20]),
        }
        return TemplateResponse(request, "admin/editorial/draft.html", context)

    def _draft_action(self, request, obj, draft, change_url):
        action = request.POST.get("action")
        if action in ("approve", "changes"):
            if not self.has_publish_permission(request):
                raise PermissionDenied
            return self._review_action(request, obj, draft, action, change_url)
        if action == "discard":
            if drafts.discard_draft(draft=draft):
                messages.success(
                    request, f"Discarded the unpublished changes: “{obj}” stays as it is live."
                )
            return HttpResponseRedirect(change_url)
        if action != "publish":
            return HttpResponseRedirect(reverse(self._url_name("draft"), args=[quote(obj.pk)]))
        if not self.has_publish_permission(request):
            raise PermissionDenied
        try:
            drafts.publish_draft(draft=draft, user=request.user)
        except drafts.DraftError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(change_url)
        messages.success(request, f"Published: the public now sees these changes to “{obj}”.")
        return HttpResponseRedirect(change_url)

    def _review_action(self, request, obj, draft, action, change_url):
        """Approve (publish) or request changes, on the draft as the reviewer read it."""
        seen = parse_datetime(request.POST.get("seen", ""))
        comment = request.POST.get("comment", "")[:2000]
        here = reverse(self._url_name("draft"), args=[quote(obj.pk)])
        try:
            if action == "approve":
                drafts.approve(draft=draft, user=request.user, seen_saved_at=seen, comment=comment)
            else:
                drafts.request_changes(
                    draft=draft, user=request.user, comment=comment, seen_saved_at=seen
                )
        except drafts.DraftError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(here)
        if action == "approve":
            messages.success(request, f"Approved and published: the public now sees “{obj}”.")
            return HttpResponseRedirect(change_url)
        messages.success(request, "Changes requested: the author was told, with your comment.")
        return HttpResponseRedirect(here)

    # --- Deleting keeps it in the trash -------------------------------------------------

    def delete_model(self, request, obj):
        trash.keep(obj, user=request.user)
        super().delete_model(request, obj)
        self.message_user(request, f"“{obj}” is in the trash: it can be restored from there.")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            trash.keep(obj, user=request.user)
        super().delete_queryset(request, queryset)

    def _deleted_meanwhile(self, request, object_id, extra_context):
        """The change form of an object deleted since it was opened: shown again as an add
        form with everything typed (the inline rows as new rows), saying who deleted it."""
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(
                    self.model, for_concrete_model=False
                ),
                object_id=str(unquote(object_id)),
                action_flag=DELETION,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        data = request.POST.copy()
        data.pop(VERSION_FIELD, None)
        for FormSet, _inline in self.get_formsets_with_inlines(request):
            prefix = FormSet.get_default_prefix()
            gone = {FormSet.model._meta.pk.name, FormSet.fk.name}
            for key in list(data):
                head, _, name = key.rpartition("-")
                if name in gone and head.startswith(f"{prefix}-"):
                    del data[key]
            if f"{prefix}-INITIAL_FORMS" in data:
                data[f"{prefix}-INITIAL_FORMS"] = "0"
        request.POST = data
        request.edit_refused = deleted_message(self.opts, unquote(object_id), entry)
        add_url = reverse(self._url_name("add"))
        return self.changeform_view(request, None, add_url, extra_context)

    def save_model(self, request, obj, form, change):
        if getattr(request, "draft_only", False):
            raise PermissionDenied("A live item's plain save keeps a draft; it writes nothing.")
        if obj.status not in UNPUBLISHED_STATES and not self.has_publish_permission(request):
            raise PermissionDenied
        if not self.has_publish_permission(request):
            for name in ("publish_at", "unpublish_at"):
                if name in form.changed_data:
                    raise PermissionDenied
        was_live = change and is_visible(
            form.initial.get("status"),
            form.initial.get("publish_at"),
            form.initial.get("unpublish_at"),
        )
        if change:
            claim_version(obj, expected=form.cleaned_data[VERSION_FIELD])
            # The form showed the draft (if any): saving it to the item is publishing it.
            drafts.discard_drafts_of(obj)
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        logged = audit.publishing_change(
            obj,
            user=request.user,
            was_live=was_live,
            scheduled_changed=any(
                name in form.changed_data for name in ("status", "publish_at", "unpublish_at")
            ),
        )
        if "_publish" in request.POST and not logged:
            audit.record(audit.Action.PUBLISHED, obj, user=request.user, detail="Changes.")
        if "_publish" in request.POST:
            self.message_user(request, f"Published: the public now sees these changes to “{obj}”.")
        if obj.is_published != was_live:
            publication_changed.send(
                sender=Status,
                instances=[obj],
                went="live" if obj.is_published else "offline",
                by="editor",
            )
        self._schedule_message(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The rows (inlines) are content: they come before the publishing fieldset and what
        # follows it (SEO, last change), not after the whole form.
        fieldsets = context["adminform"].fieldsets
        context["inlines_at"] = next(
            (
                index
                for index, (_name, options) in enumerate(fieldsets)
                if "status" in flatten_fieldsets([(None, options)])
            ),
            None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _schedule_message(self, request, obj):
        """Say what a published item's state means when it is not simply live."""
        if obj.status != Status.PUBLISHED:
            return
        state = obj.state
        if state.code == "scheduled":
            start = getattr(obj, "live_from", None) or obj.publish_at
            self.message_user(
                request,
                f"{state.label.replace('Scheduled: goes', f'Scheduled: “{obj}” goes')} "
                f"(in {timesince(timezone.now(), start)}); until then only staff can see it, "
                "in the preview.",
                messages.INFO,
            )
        elif state.code == "waiting":
            self.message_user(request, waiting_message(obj, state), messages.WARNING)
        elif state.code == "expired":
            self.message_user(request, f"“{obj}” is offline: its unpublish time has passed.")

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    # --- Bulk actions -------------------------------------------------------------------

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._change_status(request, queryset, Status.PUBLISHED, "Published (bulk action).")

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._change_status(request, queryset, Status.DRAFT, "Unpublished (bulk action).")

    @admin.action(description="Send to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self._change_status(request, queryset, Status.REVIEW, "Sent to review (bulk action).")

    @admin.action(description="Duplicate as new drafts", permissions=["add"])
    def duplicate_selected(self, request, queryset):
        copies, skipped = duplicates.duplicate_many(list(queryset), user=request.user)
        if copies:
            names = ", ".join(f"“{copy}”" for copy in copies)
            self.message_user(request, f"Duplicated as new drafts: {names}.", messages.SUCCESS)
        for obj, reason in skipped:
            self.message_user(request, f"“{obj}” not duplicated: {reason}.", messages.WARNING)

    @admin.action(description="Edit topics, topic or SEO fields…", permissions=["change"])
    def bulk_edit(self, request, queryset):
        """An intermediate page: the change to make, checked against every selected item as
        its form would check it; Apply writes it to all of them or, on an error, to none."""
        may_publish = self.has_publish_permission(request)
        selected = list(queryset)
        skipped = [(obj, bulk_edit.left_out(obj, may_publish=may_publish)) for obj in selected]
        skipped = [(obj, reason) for obj, reason in skipped if reason]
        editable = [obj for obj in selected if obj not in {o for o, _ in skipped}]
        form = BulkEditForm(request.POST if "apply" in request.POST else None, model=self.model)
        if form.is_bound and form.is_valid() and editable:
            change = form.change()
            if not change:
                form.add_error(None, "Nothing to change: fill in at least one field.")
            else:
                try:
                    bulk_edit.apply(editable, change, user=request.user)
                except ValidationError as error:
                    for name, problems in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, problems)
                else:
                    names = ", ".join(f"“{obj}”" for obj in editable)
                    self.message_user(
                        request, f"Changed ({change.describe()}): {names}.", messages.SUCCESS
                    )
                    for obj, reason in skipped:
                        self.message_user(
                            request, f"“{obj}” left as it is: {reason}.", messages.WARNING
                        )
                    return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Edit {len(selected)} {self.opts.verbose_name_plural}",
            "subtitle": None,
            "form": form,
            "editable": editable,
            "skipped": skipped,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/editorial/bulk_edit.html", context)

    def duplicate_view(self, request, object_id):
        """GET: the new draft's title and address (or, for a comparison, its two roles).
        POST: save the copy and open it; a taken address or pair is a form error."""
        obj = self._get_or_404(request, unquote(object_id))
        if not (
            self.has_add_permission(request) and self.has_view_or_change_permission(request, obj)
        ):
            raise PermissionDenied
        DuplicateForm = duplicate_form(self.model, obj)
        form = DuplicateForm(request.POST or None, initial=duplicate_initial(obj))
        if request.method == "POST" and form.is_valid():
            changes = dict(form.cleaned_data)
            try:
                copy = duplicates.duplicate(obj=obj, user=request.user, changes=changes)
            except ValidationError as error:
                for field, problems in error.update_error_dict({}).items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                self.message_user(
                    request,
                    f"Duplicated “{obj}” as a new draft: “{copy}”. It is not public until "
                    "it is published.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse(self._url_name("change"), args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Duplicate “{obj}” as a new draft",
            "subtitle": None,
            "form": form,
            "rows": [
                (label, getattr(obj, relation).count())
                for relation, label in self.model.REVISION_CHILDREN
            ],
            "tags": list(obj.tags.names()),
        }
        return TemplateResponse(request, "admin/editorial/duplicate.html", context)

    def _change_status(self, request, queryset, to, comment):
        outcome = change_status(list(queryset), to=to, user=request.user, comment=comment)
        if outcome.changed:
            names = ", ".join(f"“{obj}”" for obj in outcome.changed)
            self.message_user(request, f"{comment.split(' (')[0]}: {names}.", messages.SUCCESS)
        for obj, reason in outcome.skipped:
            self.message_user(request, f"“{obj}” left as it is: {reason}.", messages.WARNING)
        for obj in outcome.changed:
            state = obj.state
            if state.code == "waiting":
                self.message_user(request, waiting_message(obj, state), messages.WARNING)

    # --- Extra pages ---------------------------------------------------------------------

    def _url_name(self, view):
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(self.preview_view), name=f"{info}_preview_add"),
            path(
                "markdown-preview/",
                wrap(self.markdown_preview_view),
                name=f"{info}_markdown_preview",
            ),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{info}_preview"),
            path("<path:object_id>/draft/", wrap(self.draft_view), name=f"{info}_draft"),
            path(
                "<path:object_id>/duplicate/",
                wrap(self.duplicate_view),
                name=f"{info}_duplicate",
            ),
            path("<path:object_id>/presence/", wrap(self.presence_view), name=f"{info}_presence"),
            path("<path:object_id>/reviewed/", wrap(self.reviewed_view), name=f"{info}_reviewed"),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name=f"{info}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(self.restore_view),
                name=f"{info}_restore",
            ),
            *super().get_urls(),
        ]

    def _workflow_context(self, request, object_id):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        if object_id:
            preview_url = reverse(f"{self.admin_site.name}:{info}_preview", args=[object_id])
        else:
            preview_url = reverse(f"{self.admin_site.name}:{info}_preview_add")
        duplicate_url = ""
        if object_id and self.has_add_permission(request):
            duplicate_url = reverse(f"{self.admin_site.name}:{info}_duplicate", args=[object_id])
        return {
            "preview_url": preview_url,
            "duplicate_url": duplicate_url,
            "has_publish_permission": self.has_publish_permission(request),
        }

    def _get_or_404(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id “{object_id}”.")
        return obj

    def preview_view(self, request, object_id=None):
        """GET: the saved item. POST (the change form's data): the unsaved changes."""
        obj = self._get_or_404(request, object_id) if object_id else None
        if obj is None and not self.has_add_permission(request):
            raise PermissionDenied
        if obj is not None and not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "GET":
            if obj is None:
                raise Http404("Fill in the form and press “Preview changes” to preview a new item.")
            draft = drafts.draft_of(obj) if "draft" in request.GET else None
            if draft is not None:
                snap = drafts.snapshot_of(draft, self.model)
                rows = {child.model: list(rows) for child, rows in snap.children.items()}
                item = preview.prepare(drafts.as_item(draft, obj))
                shown = (
                    f"Draft, saved by {_name(draft.saved_by)} at {_time(draft.saved_at)}: "
                    f"changes not yet published (the public sees the live version)"
                )
                return preview.render(request, item, rows=rows, tags=snap.tags, shown=shown)
            return preview.render(request, preview.prepare(obj))
        if request.method != "POST":
            return JsonResponse({"error": "GET or POST only."}, status=405)
        _normalise_post(request)
        ModelForm = self.get_form(request, obj, change=obj is not None)
        ModelForm.check_version = False  # a preview of an outdated form is still a preview
        form = ModelForm(request.POST, request.FILES, instance=obj)
        formsets, _ = self._create_formsets(request, form.instance, change=obj is not None)
        if not (form.is_valid() & all_valid(formsets)):
            errors = [
                *(f"{name or 'Form'}: {' '.join(msgs)}" for name, msgs in form.errors.items()),
                *(str(error) for formset in formsets for error in formset.errors if error),
                *(str(error) for formset in formsets for error in formset.non_form_errors()),
            ]
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Preview not possible yet",
                "errors": errors,
            }
            return TemplateResponse(
                request, "admin/editorial/preview_invalid.html", context, status=400
            )
        item = preview.prepare(form.instance)
        return preview.render(
            request,
            item,
            rows=preview.rows_from_formsets(formsets),
            tags=form.cleaned_data.get("tags"),
            shown="Unsaved changes from the form, not saved yet" if obj is not None else None,
        )

    def markdown_preview_view(self, request):
        """The Markdown of one field rendered by the site's own sanitising pipeline."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return JsonResponse({"error": "POST the text as “text”."}, status=405)
        text = request.POST.get("text", "")
        if len(text) > MARKDOWN_PREVIEW_LIMIT:
            return JsonResponse({"error": "Too long to preview."}, status=400)
        try:
            # Links by reference shown at their item's address, as the page will show them.
            response = JsonResponse({"html": unlink_dead(render_markdown_html(text))})
        except MarkdownTooComplex as too_complex:
            response = JsonResponse({"error": str(too_complex)}, status=400)
        response["Cache-Control"] = "no-store, private"
        return response

    def history_view(self, request, object_id, extra_context=None):
        obj = self._get_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = revisions.history(obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"History: {obj}",
            "subtitle": None,
            "versions": versions,
            "can_restore": self._may_restore(request, obj),
            "compare_url": reverse(self._url_name("compare"), args=[object_id]),
            "restore_url_name": self._url_name("restore"),
            "object_id": object_id,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/editorial/history.html", context)

    def compare_view(self, request, object_id):
        obj = self._get_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = {version.pk: version for version in revisions.history(obj)}
        try:
            old_id, new_id = int(request.GET.get("old", "")), int(request.GET.get("new", ""))
            old, new = versions[old_id], versions[new_id]
        except (KeyError, ValueError):
            messages.error(request, "Choose two revisions of this item to compare.")
            return HttpResponseRedirect(reverse(self._url_name("history"), args=[object_id]))
        if old.number > new.number:
            old, new = new, old
        diffs = revisions.diff(self.model, revisions.snapshot(old), revisions.snapshot(new))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Compare revisions {old.number} and {new.number}: {obj}",
            "subtitle": None,
            "old": old,
            "new": new,
            "diffs": diffs,
            "diffs_changed": any(d.changed for d in diffs),
            "history_url": reverse(self._url_name("history"), args=[object_id]),
            "can_restore": self._may_restore(request, obj),
            "restore_url": reverse(self._url_name("restore"), args=[object_id, old.pk]),
        }
        return TemplateResponse(request, "admin/editorial/compare.html", context)

    def _may_restore(self, request, obj):
        """A restore writes straight to the item: what is published only an editor restores
        (others propose changes to a live item as a draft)."""
        if obj.status not in UNPUBLISHED_STATES and not self.has_publish_permission(request):
            return False
        return self.has_change_permission(request, obj)

    def restore_view(self, request, object_id, version_id):
        """GET: what restoring would change. POST: restore it as a new revision."""
        history_url = reverse(self._url_name("history"), args=[object_id])
        obj = self.get_object(request, object_id)
        if obj is None:
            if not self.has_change_permission(request):
                raise PermissionDenied
            messages.error(
                request,
                f"Nothing restored: the {self.opts.verbose_name} with id “{object_id}” has been "
                "deleted, and a deleted item cannot be brought back from its history.",
            )
            return HttpResponseRedirect(reverse(self._url_name("changelist")))
        if not self._may_restore(request, obj):
            raise PermissionDenied
        versions = {version.pk: version for version in revisions.history(obj)}
        version = versions.get(version_id)
        if version is None:
            raise Http404("That revision does not belong to this item.")
        if request.method == "POST":
            try:
                revisions.restore(obj=obj, version=version, user=request.user)
            except revisions.RestoreError as error:
                for problem in error.problems:
                    messages.error(request, f"Nothing restored. {problem}")
                return HttpResponseRedirect(history_url)
            messages.success(
                request,
                f"Restored revision {version.number} as a new revision. The publishing state "
                "was left as it was.",
            )
            return HttpResponseRedirect(reverse(self._url_name("change"), args=[object_id]))
        current = revisions.current_snapshot(obj)
        diffs = revisions.diff(
            self.model,
            current,
            revisions.restored_snapshot(obj, version),
            skip=revisions.NOT_RESTORED,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Restore revision {version.number}: {obj}",
            "subtitle": None,
            "version": version,
            "diffs": diffs,
            "diffs_changed": any(d.changed for d in diffs),
            "problems": revisions.missing_references(revisions.snapshot(version)),
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/editorial/restore.html", context)


class RowRevisionAdminMixin:
    """For the admin of rows that belong to an item (cards): every save or delete is a
    revision of the item it belongs to, by its user, saying which row changed how (the row's
    signal adds the item; see ``revisions.connect_row_signals``)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return full_input(super().formfield_for_dbfield(db_field, request, **kwargs))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().delete_view(request, object_id, extra_context)

    def _comment(self, obj, message):
        if reversion.is_active():
            reversion.set_comment(f"{capfirst(self.opts.verbose_name)} “{obj}”: {message}")

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment(obj, entry.get_change_message() or "Added.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment(obj, entry.get_change_message() or "Saved without changes.")
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._comment(obj, "Deleted.")
        return super().log_deletions(request, queryset)


UNCHANGED = ""
YES_NO = [(UNCHANGED, "(unchanged)"), ("yes", "Yes"), ("no", "No")]


class BulkEditForm(forms.Form):
    """What a bulk edit changes; an empty field leaves that field of every item as it is."""

    add_tags = TopicsField(
        label="Add topics", required=False, help_text="Comma-separated; added to every item."
    )
    remove_tags = TopicsField(
        label="Remove topics",
        required=False,
        help_text="Comma-separated; removed where present.",
    )

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        names = {f.name for f in model._meta.get_fields()}
        if "topic" in names:
            topic = model._meta.get_field("topic").formfield(required=False)
            topic.empty_label = "(unchanged)"
            topic.help_text = "The topic every selected entry is filed under."
            self.fields["topic"] = topic
        for name in ("seo_title", "seo_description", "target_keyword"):
            if name in names:
                formfield = full_input(model._meta.get_field(name).formfield())
                formfield.widget.attrs["class"] = "vTextField"
                formfield.help_text = f"{formfield.help_text} Empty: unchanged."
                self.fields[name] = formfield
        for name in ("noindex", "exclude_from_sitemap"):
            if name in names:
                model_field = model._meta.get_field(name)
                self.fields[name] = forms.ChoiceField(
                    label=capfirst(model_field.verbose_name),
                    choices=YES_NO,
                    required=False,
                    help_text=model_field.help_text,
                )

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("add_tags") or []) & set(cleaned.get("remove_tags") or [])
        if both:
            self.add_error("remove_tags", f"Added and removed at once: {', '.join(sorted(both))}.")
        return cleaned

    def change(self):
        values = {}
        for name, value in self.cleaned_data.items():
            if name in ("add_tags", "remove_tags") or value in (None, UNCHANGED):
                continue
            values[name] = {"yes": True, "no": False}.get(value, value)
        return bulk_edit.Change(
            add_tags=list(self.cleaned_data.get("add_tags") or []),
            remove_tags=list(self.cleaned_data.get("remove_tags") or []),
            values=values,
        )


def duplicate_form(model, obj):
    """The duplicate page's form: a comparison's two roles (its address) and optional title;
    any other item's title (or question) and slug."""
    fields = {}
    if hasattr(obj, "role_a_id"):
        for name in ("role_a", "role_b"):
            fields[name] = model._meta.get_field(name).formfield()
        fields["title"] = forms.CharField(
            required=False,
            max_length=model._meta.get_field("title").max_length,
            help_text="Empty: “Role A vs Role B”. The address follows the two roles.",
        )
    else:
        name = "question" if hasattr(obj, "question") else "title"
        fields[name] = full_input(model._meta.get_field(name).formfield())
        fields["slug"] = full_input(model._meta.get_field("slug").formfield())
        for formfield in (fields[name], fields["slug"]):
            formfield.widget.attrs["class"] = "vTextField"
    return type("DuplicateForm", (forms.Form,), fields)


def duplicate_initial(obj):
    if hasattr(obj, "role_a_id"):
        return {}
    name = "question" if hasattr(obj, "question") else "title"
    return {name: duplicates.copy_title(obj), "slug": duplicates.copy_slug(obj)}


def waiting_message(obj, state):
    """What "published" means for an item whose roles are not public (decision 0070)."""
    return (
        f"“{obj}” is published but not live: it {state.label[0].lower()}{state.label[1:]}. "
        "Its page answers 404 until then, and it goes live by itself when they do."
    )


SLUG_REQUIRED = (
    "Give the address a slug: lowercase Latin letters, digits and hyphens, e.g. data-engineer. "
    "It is filled in from the title as you type, but only from Latin letters and digits; "
    "a title in another script (データ エンジニア) leaves it empty, so type it here."
)


def full_input(formfield):
    """No silent cut: without the browser's maxlength, text pasted past a field's limit stays
    whole and the form error says the limit ("at most 70 characters (it has 94)")."""
    if formfield is not None:
        formfield.widget.attrs.pop("maxlength", None)
        if isinstance(formfield, forms.SlugField):
            formfield.error_messages["required"] = SLUG_REQUIRED
    return formfield


def _normalise_post(request):
    """The posted form with LF line endings: browsers send a textarea's as CRLF, which made
    every Markdown field look changed in the history and in exports (the models store LF)."""
    if any("\r" in value for values in request.POST.lists() for value in values[1]):
        data = request.POST.copy()
        for key, values in data.lists():
            data.setlist(key, [normalise_newlines(value) for value in values])
        request.POST = data


def _is_locked(request, obj):
    """Whether ``obj`` is the object whose refused form this request shows back."""
    return obj is not None and getattr(request, "edit_locked", None) == obj.pk


class LockedWithParentMixin:
    """An inline that is read-only whenever its parent is (published, for non-publishers)."""

    def _parent_locked(self, request, obj):
        return (
            obj is not None
            and obj.status not in UNPUBLISHED_STATES
            and not can_publish(request.user, self.parent_model)
            and not _is_locked(request, obj)
            and not drafts.is_live(obj)  # a proposal for review (decision 0090)
        )

    def has_add_permission(self, request, obj):
        return not self._parent_locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_delete_permission(request, obj)


def _check_schedule(form, cleaned):
    """Form errors for a publishing window that cannot work, in words an editor can act on."""
    publish_at, unpublish_at = cleaned.get("publish_at"), cleaned.get("unpublish_at")
    status = cleaned.get("status", getattr(form.instance, "status", None))
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        form.add_error(
            "unpublish_at",
            "The unpublish time must come after the publish time: as set, the item would "
            "never be visible.",
        )
    elif status == Status.PUBLISHED and unpublish_at and unpublish_at <= timezone.now():
        form.add_error(
            "unpublish_at",
            "This unpublish time has already passed, so the item would be offline at once. "
            "Clear it, or set a time in the future.",
        )


def _may_review(user):
    return any(can_publish(user, model) for model in publishable_models())


class ReviewersOnlyMixin:
    """A page for those who may publish something: the review queue, the trash, the audit log."""

    def _may(self, request):
        return _may_review(request.user)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)


DUE_PER_PAGE = 50


def due_for_review_view(request):
    """The live items due for review that this user looks after (editors: every kind; FAQ
    staff: FAQ entries), each with "Mark reviewed"; one paged table per kind of table."""
    sections = freshness.due_for_review(request.user)
    if not sections:
        raise PermissionDenied
    settings = SiteSettings.load()
    shown = []
    for section in sections:
        key = section.table._meta.model_name
        param = f"{key}-page"
        page = Paginator(section.items, DUE_PER_PAGE).get_page(request.GET.get(param))
        rows = []
        for obj in page:
            model = freshness.concrete_model(obj)
            opts = model._meta
            due = freshness.due_at(obj, settings=settings)
            rows.append(
                {
                    "title": getattr(obj, "title", None) or str(obj),
                    "kind": capfirst(opts.verbose_name),
                    "change_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
                    ),
                    "reviewed_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_reviewed", args=[obj.pk]
                    ),
                    "reviewed_at": _day(obj.last_reviewed_at) if obj.last_reviewed_at else "",
                    "reviewed_by": _name(obj.last_reviewed_by) if obj.last_reviewed_by else "",
                    "published": _day(obj.publish_at),
                    "due": _day(due),
                }
            )
        shown.append(
            {
                "key": key,
                "name": section.name,
                "param": param,
                "page": page,
                "count": page.paginator.count,
                "rows": rows,
            }
        )
    models = [model for section in sections for model in section.models]
    intervals = ", ".join(
        f"{opts.verbose_name_plural} every {settings.review_interval(model).days} days"
        for model in models
        for opts in [model._meta]
    )
    may_edit_settings = request.user.has_perm("harness_cms.change_sitesettings")
    context = {
        **admin.site.each_context(request),
        "title": "Due for review",
        "subtitle": None,
        "sections": shown,
        "intervals": intervals,
        "settings_url": reverse("admin:harness_cms_sitesettings_changelist")
        if may_edit_settings
        else "",
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/editorial/due_for_review.html", context)


@admin.register(Draft)
class DraftAdmin(ReviewersOnlyMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The review queue: every unpublished draft, those awaiting review first, each leading to
    its comparison with live, where an editor approves or requests changes."""

    list_display = ["item_link", "kind", "awaiting", "submitted_by", "note", "saved_by", "saved_at"]
    list_display_links = None
    list_filter = [("submitted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["content_type", "submitted_by", "saved_by"]
    ordering = [F("submitted_at").asc(nulls_last=True), "-saved_at"]
    show_facets = admin.ShowFacets.NEVER

    def changelist_view(self, request, extra_context=None):
        title = "Unpublished drafts: those awaiting review first"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description="item")
    def item_link(self, draft):
        model = draft.content_type.model_class()
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_draft", args=[draft.object_id])
        return format_html('<a href="{}">{}</a>', url, draft.item or f"#{draft.object_id}")

    @admin.display(description="kind")
    def kind(self, draft):
        return capfirst(draft.content_type.model_class()._meta.verbose_name)

    @admin.display(description="awaiting review since", ordering="submitted_at")
    def awaiting(self, draft):
        return _time(draft.submitted_at) if draft.submitted_at else "not submitted"

    @admin.display(description="note for the reviewer")
    def note(self, draft):
        return draft.review_note


@admin.register(TrashedItem)
class TrashAdmin(ReviewersOnlyMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Deleted items, newest first, each with what went with it; Restore puts one back."""

    list_display = ["title", "kind", "path", "deleted_by", "deleted_when", "restore_button"]
    list_display_links = None
    list_select_related = ["content_type", "deleted_by"]
    search_fields = ["title", "path"]
    show_facets = admin.ShowFacets.NEVER

    def changelist_view(self, request, extra_context=None):
        title = "Trash: deleted items, restorable until they are purged"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description="kind")
    def kind(self, trashed):
        return capfirst(trashed.content_type.model_class()._meta.verbose_name)

    @admin.display(description="deleted", ordering="deleted_at")
    def deleted_when(self, trashed):
        return _time(trashed.deleted_at)

    @admin.display(description="restore")
    def restore_button(self, trashed):
        url = reverse("admin:editorial_trasheditem_restore", args=[trashed.pk])
        return format_html('<a href="{}">Restore…</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:trashed_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="editorial_trasheditem_restore",
            ),
            *super().get_urls(),
        ]

    def restore_view(self, request, trashed_id):
        if not self._may(request):
            raise PermissionDenied
        trashed = TrashedItem.objects.filter(pk=trashed_id).first()
        if trashed is not None and request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Restore “{trashed.title}” from the trash",
                "subtitle": None,
                "trashed": trashed,
                "deleted_when": _time(trashed.deleted_at),
                "rows": len(trashed.objects_data),
            }
            return TemplateResponse(request, "admin/editorial/trash_restore.html", context)
        if trashed is None:
            messages.error(
                request, "Nothing restored: it was restored or purged by someone else meanwhile."
            )
            return HttpResponseRedirect(reverse("admin:editorial_trasheditem_changelist"))
        try:
            obj = trash.restore(trashed=trashed, user=request.user)
        except trash.TrashError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:editorial_trasheditem_changelist"))
        opts = obj._meta
        messages.success(
            request,
            f"Restored “{obj}” at its address with its rows, cards, FAQ placements and redirects.",
        )
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )


@admin.register(AuditEntry)
class AuditLogAdmin(ReviewersOnlyMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """One page of who published, unpublished, scheduled, deleted, restored, changed redirects
    or permissions, and when; filtered by person, action and item (search)."""

    list_display = ["at_time", "user", "action", "item", "detail"]
    list_display_links = None
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter), "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "object_id", "detail"]
    date_hierarchy = "at"
    show_facets = admin.ShowFacets.NEVER

    def changelist_view(self, request, extra_context=None):
        title = "Audit log: who published, unpublished, deleted, restored or changed access"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description="when", ordering="at")
    def at_time(self, entry):
        return _time(entry.at)

    @admin.display(description="item", ordering="object_repr")
    def item(self, entry):
        return entry.object_repr
