"""Admin widgets and inline formsets that refuse bad input with a form error, never a 500."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

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


class SafeAutocompleteMixin:
    """For model admins and inlines with ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
