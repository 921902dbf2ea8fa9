"""Admin widgets that refuse bad input with a form error, never a 500."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


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
