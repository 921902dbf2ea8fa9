"""Freshness: when each live item was last reviewed, which are due for review again (the site
settings say how often, per kind), and marking one reviewed.

Marking reviewed writes the two review columns with an UPDATE and keeps a revision of the item
as it is live: no save, so nothing a save derives, no new version (an open form or a waiting
draft stays valid), no content generation (no cached page changes) — decision 0125.
"""

from dataclasses import dataclass

import reversion
from django.contrib.auth import get_permission_codename
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst

from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.core.visibility import publishable_models, publishing_tables
from harness_cms.editorial import audit


def change_permission(model):
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename('change', opts)}"


def may_mark(user, model):
    """Whether ``user`` may mark ``model``'s objects reviewed: those who may change them."""
    return user.has_perm(change_permission(model))


def reviewable_models(user):
    """The kinds of item whose freshness ``user`` looks after (editors: all; FAQ staff: the
    FAQ entries)."""
    return [model for model in publishable_models() if may_mark(user, model)]


def review_since(obj):
    """When the review interval of ``obj`` started: its last review, else its publish time."""
    return obj.last_reviewed_at or obj.publish_at


def due_at(obj, *, settings=None):
    """When ``obj`` is (or was) due for review; None when it was never published."""
    since = review_since(obj)
    if since is None:
        return None
    settings = settings or SiteSettings.load()
    return since + settings.review_interval(concrete_model(obj))


def concrete_model(obj):
    """The kind ``obj`` is (Role, Comparison, Page, FAQ), for a row of a shared table too."""
    if isinstance(obj, ContentItem) and type(obj).KIND is None:
        return ContentItem.kinds()[obj.kind]
    return type(obj)


def _due_q(table, models, *, settings, now):
    """Rows of ``table`` of the kinds in ``models`` whose review interval has run out."""
    due = Q(pk__in=[])
    for model in models:
        cutoff = now - settings.review_interval(model)
        kind = Q(kind=model.KIND) if model is not table else Q()
        due |= kind & (
            Q(last_reviewed_at__lte=cutoff)
            | Q(last_reviewed_at__isnull=True, publish_at__lte=cutoff)
        )
    return due


@dataclass
class Section:
    """One table's due items for one user: its name and the queryset, oldest review first."""

    table: type
    models: list
    items: object

    @property
    def name(self):
        if self.table is ContentItem:
            return "Roles, comparisons and pages"
        return capfirst(self.table._meta.verbose_name_plural)


def due_for_review(user, *, now=None):
    """The live items ``user`` looks after that are due for review, one :class:`Section` per
    table (the content items, the FAQ entries), each oldest review first."""
    now = now or timezone.now()
    settings = SiteSettings.load()
    mine = reviewable_models(user)
    sections = []
    for table in publishing_tables():
        models = [model for model in mine if issubclass(model, table)]
        if not models:
            continue
        items = (
            table.objects.published(now=now)
            .filter(_due_q(table, models, settings=settings, now=now))
            .select_related("last_reviewed_by")
            .order_by(Coalesce("last_reviewed_at", "publish_at").asc(), "pk")
        )
        sections.append(Section(table=table, models=models, items=items))
    return sections


def mark_reviewed(*, obj, user, now=None):
    """Record that ``user`` reviewed ``obj`` now: the two review columns, a revision of the item
    as it is (its live content, not a waiting draft) and an audit entry. Returns the time."""
    now = now or timezone.now()
    model = concrete_model(obj)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Marked reviewed: the content still holds.")
        # The shared table holds the columns; an UPDATE leaves every other column as it is.
        type(obj)._base_manager.filter(pk=obj.pk).update(
            last_reviewed_at=now, last_reviewed_by=user
        )
        live = model._base_manager.get(pk=obj.pk)
        reversion.add_to_revision(live)
        audit.record(audit.Action.REVIEWED, live, user=user, detail="Content still holds.")
    obj.last_reviewed_at, obj.last_reviewed_by = now, user
    return now
