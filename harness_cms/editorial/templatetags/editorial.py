"""What the admin index shows of the editorial workflow: the drafts awaiting review and the
items due for review."""

from django import template
from django.urls import reverse

from harness_cms.core.visibility import publishable_models
from harness_cms.editorial.drafts import awaiting_review
from harness_cms.editorial.freshness import due_for_review
from harness_cms.editorial.services import can_publish

register = template.Library()

SHOWN = 10


@register.inclusion_tag("admin/editorial/awaiting_review.html")
def awaiting_review_box(user):
    """Drafts awaiting review, for those who may approve them (nothing for others)."""
    if not any(can_publish(user, model) for model in publishable_models()):
        return {"shown": False}
    drafts = list(awaiting_review()[: SHOWN + 1])
    entries = []
    for draft in drafts[:SHOWN]:
        opts = draft.content_type.model_class()._meta
        entries.append(
            {
                "draft": draft,
                "item": draft.item,
                "url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_draft", args=[draft.object_id]
                ),
            }
        )
    queue = reverse("admin:editorial_draft_changelist") + "?submitted_at__isempty=0"
    return {"shown": True, "entries": entries, "more": len(drafts) > SHOWN, "queue_url": queue}


@register.inclusion_tag("admin/editorial/due_for_review_box.html")
def due_for_review_box(user):
    """How many live items this user looks after are due for review, with the queue's link."""
    sections = due_for_review(user)
    if not sections:
        return {"shown": False}
    counts = [(section.name, section.items.count()) for section in sections]
    return {
        "shown": True,
        "counts": counts,
        "total": sum(count for _name, count in counts),
        "queue_url": reverse("due_for_review"),
    }
