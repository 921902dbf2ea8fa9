"""Admin widgets, fields, inline formsets and change lists that refuse bad input with a form
error or the admin's own error page, never a 500."""

from django import forms
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from taggit.forms import TagField
from taggit.models import Tag

# Rows one inline of a change form may hold (table rows, shared points, FAQs on a page, cards,
# the pages an FAQ appears on): far past any real page. The largest form the admin can make,
# every inline full, must fit settings.DATA_UPLOAD_MAX_NUMBER_FIELDS (a test checks).
MAX_INLINE_ROWS = 200


def label_cells(form, row_name):
    """Name every visible input of a table row: a table cell has no <label>, so each input says
    its column and its row ("Comparison row 2: Role A") to screen readers and voice control."""
    for name, formfield in form.fields.items():
        if formfield.widget.is_hidden:
            continue
        column = "Delete" if name == "DELETE" else capfirst(formfield.label or name)
        # The related-object wrapper's attrs are its original widget's, shared by every row.
        widget = getattr(formfield.widget, "widget", formfield.widget)
        widget.attrs["aria-label"] = f"{row_name}: {column}"


class BoundedInlineFormSet(BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": "At most %(num)d rows here: remove some (or split the page) to save.",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        kind = capfirst(self.model._meta.verbose_name)
        label_cells(form, f"{kind} {index + 1}" if index is not None else f"New {kind.lower()}")


PLAIN_TEXT_HELP = "Plain text: shown as typed, Markdown is not rendered here."
MARKDOWN_HELP = "Markdown: **bold**, *italic*, [links](/path/)."


def mark_text_format(db_field, formfield):
    """Say on a table's text column whether it takes Markdown: "(plain text)" or "(Markdown)"
    after its heading, and a sentence in its help (the tables show no help under a cell)."""
    if formfield is None or not isinstance(db_field, models.CharField | models.TextField):
        return formfield
    if db_field.choices or isinstance(db_field, models.SlugField | models.URLField):
        return formfield
    markdown = getattr(db_field, "renders_markdown", False)
    formfield.label = f"{capfirst(formfield.label)} ({'Markdown' if markdown else 'plain text'})"
    said = MARKDOWN_HELP if markdown else PLAIN_TEXT_HELP
    formfield.help_text = f"{formfield.help_text} {said}" if formfield.help_text else said
    return formfield


class BoundedInlineMixin:
    """An inline of at most MAX_INLINE_ROWS rows: more is a form error saying so, and a forged
    row count (``TOTAL_FORMS=99999999``) builds no more forms than that (Django's own cap is
    the limit plus 1,000). Its text columns say whether they take Markdown."""

    formset = BoundedInlineFormSet
    max_num = MAX_INLINE_ROWS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return mark_text_format(db_field, formfield)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.get_max_num(request, obj, **kwargs))
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)


class ReorderableInlineMixin:
    """A tabular inline whose rows are put in order by dragging a handle, or by the arrow keys
    on it (``static/harness_cms/reorder.js``); the rows' ``position`` follows the order shown
    (decision 0121)."""

    classes = ["harness-reorder"]

    class Media:
        js = ["harness_cms/reorder.js"]
        css = {"all": ["harness_cms/reorder.css"]}


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, but a posted value that is no key at all ("abc" for a
    number) re-renders as no choice instead of failing the whole page with a 500; and the box
    select2 draws is named by the field's label (admin-a11y.js)."""

    @property
    def media(self):
        return super().media + forms.Media(js=["harness_cms/admin-a11y.js"])

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        key = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        valid = []
        for candidate in value:
            try:
                key.run_validators(key.to_python(candidate))
            except ValidationError:
                continue
            valid.append(candidate)
        return super().optgroups(name, valid, attr)


class CellLabelsMixin:
    """For model admins with ``list_editable``: each input of the list names its column and its
    row (see :func:`label_cells`)."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledCells(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                label_cells(self, str(self.instance))

        LabelledCells.__name__ = base.__name__
        return LabelledCells


class ReadOnlyAdminMixin:
    """An admin list that is a report (a log, a queue, a trash, the cluster's health): nobody
    adds, changes or deletes its rows from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SafeAutocompleteMixin:
    """For model admins and inlines with ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Topics on one item: far past any real page, and a bound on the tag rows one save can make.
MAX_TOPICS = 50


class TopicsField(TagField):
    """taggit's comma-separated tags, each no longer than a tag's name may be (100 characters:
    PostgreSQL refused a longer one with a 500, SQLite stored it), at most MAX_TOPICS."""

    def clean(self, value):
        names = super().clean(value)
        limit = Tag._meta.get_field("name").max_length
        too_long = [name for name in names if len(name) > limit]
        if too_long:
            raise forms.ValidationError(
                f"A topic may be at most {limit} characters; "
                f"“{too_long[0][:30]}…” has {len(too_long[0]):,}."
            )
        if len(names) > MAX_TOPICS:
            raise forms.ValidationError(f"An item may have at most {MAX_TOPICS} topics.")
        return names


class SafeChangeList(ChangeList):
    """Django turns a date hierarchy's impossible year, month or day into the admin's "invalid
    lookup" answer, except one too large for a C integer (``?updated_at__year=99999999999``),
    which was an OverflowError and a 500."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class SafeChangeListMixin:
    def get_changelist(self, request, **kwargs):
        return SafeChangeList


def protect_date_hierarchies(site):
    """Give every model admin of ``site`` with a date hierarchy (ours and other apps', such as
    django-axes') the SafeChangeList, by registering a subclass of it in its place."""
    for model, model_admin in list(site._registry.items()):
        if not model_admin.date_hierarchy or isinstance(model_admin, SafeChangeListMixin):
            continue
        safe = type(type(model_admin).__name__, (SafeChangeListMixin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, safe)
