"""Admin widgets, fields, inline formsets and change lists that refuse bad input with a form
error or the admin's own error page, never a 500."""

from django import forms
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from taggit.forms import TagField
from taggit.models import Tag

# Rows one inline of a change form may hold (table rows, shared points, FAQs on a page, cards,
# the pages an FAQ appears on): far past any real page. The largest form the admin can make,
# every inline full, must fit settings.DATA_UPLOAD_MAX_NUMBER_FIELDS (a test checks).
MAX_INLINE_ROWS = 200


class BoundedInlineFormSet(BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": "At most %(num)d rows here: remove some (or split the page) to save.",
    }


class BoundedInlineMixin:
    """An inline of at most MAX_INLINE_ROWS rows: more is a form error saying so, and a forged
    row count (``TOTAL_FORMS=99999999``) builds no more forms than that (Django's own cap is
    the limit plus 1,000)."""

    formset = BoundedInlineFormSet
    max_num = MAX_INLINE_ROWS

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
    number) re-renders as no choice instead of failing the whole page with a 500."""

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
