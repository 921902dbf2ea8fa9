"""Previews: a saved draft or unsaved changes, in the real public template, never saved.

The object and its rows are built in memory (from the database or from the admin form and its
inline formsets) and rendered with the public view's own context, then the lists the templates
read (rows, shared points, FAQs, cards, tags) are replaced by the in-memory ones. Everything
runs in a transaction that is rolled back, so a preview cannot write even by accident.
"""

from itertools import groupby

from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import resolve
from django.utils.cache import add_never_cache_headers

from faq.models import FAQ, FAQPlacement
from faq.views import FAQIndexView
from harness_cms.core.models import ContentItem, RelatedLink


def prepare(item):
    """Derive what ``save()`` would (address, rendered Markdown...) without saving."""
    item.derive()
    return item


def render(request, item, *, rows=None, tags=None, shown=None):
    """The preview response for ``item``; ``rows`` maps a row model to in-memory rows.

    Without ``rows`` the item's saved rows are used (a saved draft). ``shown`` is what the
    banner says the page shows ("Draft, saved by … at …"); without it, the item's status.
    """
    with transaction.atomic():
        response = _render(request, item, rows, tags)
        response.context_data["preview_shown"] = shown
        response.render()
        transaction.set_rollback(True)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _render(request, item, rows, tags):
    unsaved = item.pk is None
    if unsaved:
        # Lookups by this item find nothing; the in-memory lists replace their results.
        item.pk = 0
    try:
        if isinstance(item, FAQ):
            context, template = _faq_context(request, item, rows)
        else:
            # The public view of the item's address, as a visitor would get it.
            view = resolve(item.path).func.view_class()
            view.setup(request)
            if getattr(item, "is_home", False):
                # The hub lists the cluster; the home item is its FAQs, next step and cards.
                context = view.get_context_data()
                context["home"] = item
                context["meta_description"] = item.meta_description
            else:
                view.object = item
                context = view.get_context_data(object=item)
                if rows is not None:
                    context.update(_lists(item, rows, tags))
            template = view.get_template_names()
    finally:
        if unsaved:
            item.pk = None
    notes = _hidden_notes(context)
    context.update(preview=True, noindex=True, preview_item=item, preview_notes=notes)
    return TemplateResponse(request, template, context)


def _lists(item, rows, tags):
    placements = rows.get(FAQPlacement, [])
    links = rows.get(RelatedLink, [])
    lists = {
        "faqs": [placement.faq for placement in placements],
        "related_links": [link for link in links if link.section == RelatedLink.Section.RELATED],
        "next_links": [link for link in links if link.section == RelatedLink.Section.NEXT],
        "tags": [_Tag(name) for name in (tags or [])],
    }
    # The kind's own rows (a comparison's shared points and table), under their relation's name.
    shared = {relation for relation, _label in ContentItem.REVISION_CHILDREN}
    for relation, _label in item.REVISION_CHILDREN:
        if relation not in shared:
            lists[relation] = rows.get(item._meta.get_field(relation).related_model, [])
    return lists


class _Tag:
    def __init__(self, name):
        self.name = name
        self.slug = name

    def __str__(self):
        return self.name


def _hidden_notes(context):
    """What the public will not see although the form names it: unpublished FAQs and cards."""
    notes = []
    for faq in context.get("faqs", []):
        if not faq.is_published:
            notes.append(f"FAQ “{faq.question}” is {faq.get_status_display().lower()}.")
    for link in [*context.get("related_links", []), *context.get("next_links", [])]:
        if link.target_id and not link.target.is_published:
            notes.append(f"Card to “{link.target.title}”: that page is not published.")
    return notes


def _faq_context(request, faq, rows):
    view = FAQIndexView()
    view.setup(request)
    context = view.get_context_data()
    others = [f for f in FAQ.objects.published().select_related("topic") if f.pk != faq.pk]

    def order(entry):
        topic = entry.topic
        return (topic is None, topic.position if topic else 0, topic.name if topic else "")

    entries = sorted([*others, faq], key=lambda f: (*order(f), f.question))
    context["groups"] = [
        (topic, list(group)) for topic, group in groupby(entries, key=lambda f: f.topic)
    ]
    placements = rows.get(FAQPlacement) if rows is not None else faq.placements.all()
    context["preview_places"] = [placement.item for placement in placements]
    return context, view.get_template_names()


def rows_from_formsets(formsets):
    """The rows an admin form's inline formsets describe, in memory, by row model and position."""
    rows = {}
    for formset in formsets:
        kept = []
        for form in formset.forms:
            if formset.can_delete and formset._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            kept.append(form.instance)
        rows[formset.model] = sorted(kept, key=lambda row: getattr(row, "position", 0))
    return rows
