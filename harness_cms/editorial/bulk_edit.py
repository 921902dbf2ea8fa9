"""Bulk edit: topics added or removed, an FAQ's topic, and the SEO fields set on many items at
once; checked for every item before any is written, then one revision and one audit entry each
(decision 0123)."""

from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction

from harness_cms.core.versions import bump_version
from harness_cms.editorial import audit, drafts

# The fields a bulk edit may set, with what the audit entry calls them.
FIELDS = {
    "topic": "topic",
    "seo_title": "SEO title",
    "seo_description": "meta description",
    "target_keyword": "target keyword",
    "noindex": "kept out of search results",
    "exclude_from_sitemap": "left out of the sitemap",
}


@dataclass
class Change:
    add_tags: list = field(default_factory=list)
    remove_tags: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # field name -> new value

    def __bool__(self):
        return bool(self.add_tags or self.remove_tags or self.values)

    def describe(self):
        parts = []
        if self.add_tags:
            parts.append("topics added: " + ", ".join(self.add_tags))
        if self.remove_tags:
            parts.append("topics removed: " + ", ".join(self.remove_tags))
        for name, value in self.values.items():
            shown = (
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
            parts.append(f"{FIELDS[name]}: {shown or '(empty)'}")
        return "; ".join(parts)


def left_out(obj, *, may_publish):
    """Why a bulk edit leaves ``obj`` alone, or "" (decision 0123): a pending draft would undo
    it when published, and changing a live item is publishing."""
    if drafts.draft_of(obj) is not None:
        return (
            "it has unpublished changes; make this change in its draft, or publish or discard "
            "it first"
        )
    if drafts.is_live(obj) and not may_publish:
        return "it is live; propose the change on its form, as a draft for review"
    return ""


def check(objs, change):
    """Every item with the change applied, validated as its form would validate those
    fields; raises ValidationError by field (the first item that fails names itself)."""
    errors = {}
    for obj in objs:
        for name, value in change.values.items():
            setattr(obj, name, value)
        try:
            obj.clean_fields(
                exclude=[f.name for f in obj._meta.fields if f.name not in change.values]
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, [f"“{obj}”: {message}" for message in messages])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def apply(objs, change, *, user):
    """Write ``change`` to each of ``objs`` (checked first: all or nothing)."""
    check(objs, change)
    detail = change.describe()
    for obj in objs:
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Bulk edit: {detail}.")
            bump_version(obj)
            if change.add_tags:
                obj.tags.add(*change.add_tags)
            if change.remove_tags:
                obj.tags.remove(*change.remove_tags)
            obj.updated_by = user
            obj.save()
        audit.record(audit.Action.BULK_EDITED, obj, user=user, detail=detail)
    return objs
