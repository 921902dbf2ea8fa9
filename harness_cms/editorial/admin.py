"""The editorial workflow inside the Django admin, for every publishable model.

:class:`WorkflowAdminMixin` adds to a ModelAdmin: the publish permission (status choices and
schedule fields, checked on save too), bulk actions, a version check that refuses a save made
from an outdated form, a revision for every save, the history / compare / restore pages,
previews of saved drafts and of unsaved changes, and the Markdown live-preview endpoint.
"""

from datetime import timedelta

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from harness_cms.core import markdown
from harness_cms.core.signals import publication_changed
from harness_cms.core.versions import EditConflict, claim_version
from harness_cms.core.visibility import Status, is_visible
from harness_cms.editorial import preview, revisions
from harness_cms.editorial.services import UNPUBLISHED_STATES, can_publish, change_status

PUBLISHING_FIELDSET = ("Publishing", {"fields": ["status", "publish_at", "unpublish_at"]})
VERSION_FIELD = "loaded_version"
MARKDOWN_PREVIEW_LIMIT = 200_000


def conflict_message(obj, change_url):
    """Who saved ``obj`` after the editor opened it, and when; what to do now."""
    who = "Someone"
    if obj.updated_by is not None:
        who = obj.updated_by.get_full_name() or obj.updated_by.username
    when = timezone.localtime(obj.updated_at)
    return format_html(
        "Not saved: {who} saved this {kind} at {time} ({ago}), after you opened it. "
        "Your text is still in the form below, so nothing you typed is lost. "
        '<a href="{url}" target="_blank" rel="noopener">Open their version in a new tab</a>, '
        "copy your changes into it and save there; the history shows what they changed.",
        who=who,
        kind=obj._meta.verbose_name,
        time=when.strftime("%Y-%m-%d %H:%M:%S %Z"),
        ago=_ago(obj.updated_at),
        url=change_url,
    )


def _ago(moment):
    if timezone.now() - moment < timedelta(minutes=1):
        return "moments ago"
    return f"{timesince(moment)} ago"


class WorkflowAdminMixin:
    """Publishing, revisions, previews and edit-conflict checks for a ModelAdmin."""

    actions = ["publish_now", "unpublish", "send_to_review"]

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["harness_cms/admin-workflow.css"]},
            js=["harness_cms/markdown-preview.js"],
        )

    # --- Permissions ---------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        """Without the publish permission, what is public (or archived) is read-only."""
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status not in UNPUBLISHED_STATES:
            return self.has_publish_permission(request)
        return allowed

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["publish_at", "unpublish_at"]
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
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields") is None:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        form = super().get_form(request, obj, change, **kwargs)
        change_url = (
            reverse(self._url_name("change"), args=[quote(obj.pk)]) if obj is not None else ""
        )

        class WorkflowForm(form):
            check_version = obj is not None

            def clean(self):
                cleaned = super().clean()
                _check_schedule(self, cleaned)
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
        WorkflowForm.__name__ = form.__name__
        return WorkflowForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
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
        return formfield

    # --- Saving: conflicts, revisions, publish checks -------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self._workflow_context(request, object_id)}
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
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

    def save_model(self, request, obj, form, change):
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
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if obj.is_published != was_live:
            publication_changed.send(
                sender=Status,
                instances=[obj],
                went="live" if obj.is_published else "offline",
                by="editor",
            )
        self._schedule_message(request, obj)

    def _schedule_message(self, request, obj):
        now = timezone.now()
        if obj.status != Status.PUBLISHED or obj.publish_at is None:
            return
        if obj.publish_at > now:
            when = timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M %Z")
            self.message_user(
                request,
                f"Scheduled: “{obj}” goes live at {when} (in {timesince(now, obj.publish_at)}); "
                "until then only staff can see it, in the preview.",
                messages.INFO,
            )
        elif obj.unpublish_at is not None and obj.unpublish_at <= now:
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

    def _change_status(self, request, queryset, to, comment):
        outcome = change_status(list(queryset), to=to, user=request.user, comment=comment)
        if outcome.changed:
            names = ", ".join(f"“{obj}”" for obj in outcome.changed)
            self.message_user(request, f"{comment.split(' (')[0]}: {names}.", messages.SUCCESS)
        for obj, reason in outcome.skipped:
            self.message_user(request, f"“{obj}” left as it is: {reason}.", messages.WARNING)

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
        return {"preview_url": preview_url}

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
            return preview.render(request, preview.prepare(obj))
        if request.method != "POST":
            return JsonResponse({"error": "GET or POST only."}, status=405)
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
            response = JsonResponse({"html": markdown.render_html(text)})
        except markdown.MarkdownTooComplex as too_complex:
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
            "can_restore": self.has_change_permission(request, obj),
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
            "can_restore": self.has_change_permission(request, obj),
            "restore_url": reverse(self._url_name("restore"), args=[object_id, old.pk]),
        }
        return TemplateResponse(request, "admin/editorial/compare.html", context)

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
        if not self.has_change_permission(request, obj):
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
            self.model, current, revisions.snapshot(version), skip=revisions.NOT_RESTORED
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


class LockedWithParentMixin:
    """An inline that is read-only whenever its parent is (published, for non-publishers)."""

    def _parent_locked(self, request, obj):
        return (
            obj is not None
            and obj.status not in UNPUBLISHED_STATES
            and not can_publish(request.user, self.parent_model)
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
