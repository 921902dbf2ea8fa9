"""What a change tells the outside world, and when: on publish, unpublish and address change,
one IndexNow ping and one signed POST to each configured webhook, enqueued as background tasks
once the change is committed (decision 0105). Nothing here waits for the network."""

import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from harness_cms.notifications import tasks
from harness_cms.notifications.tasks import absolute


def change_event(event, item, *, old_path=""):
    """The JSON body of a webhook: what happened, to which page, when."""
    data = {
        "event": event,
        "url": absolute(item.path),
        "kind": item.kind,
        "title": item.title,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    if old_path:
        data["old_url"] = absolute(old_path)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def notify(event, item, *, old_path=""):
    """Enqueue the IndexNow ping and the webhooks for one change, after the transaction that
    made it commits (a rolled-back save tells no one)."""
    urls = [absolute(item.path)] + ([absolute(old_path)] if old_path else [])
    body = change_event(event, item, old_path=old_path)

    def enqueue():
        if settings.INDEXNOW_KEY:
            tasks.ping_indexnow.enqueue(urls)
        for hook in settings.CHANGE_WEBHOOK_URLS:
            tasks.deliver_webhook.enqueue(hook, body, event, 1)

    if settings.INDEXNOW_KEY or settings.CHANGE_WEBHOOK_URLS:
        transaction.on_commit(enqueue)


def on_publication_changed(sender, instances, went, by, **kwargs):
    event = "published" if went == "live" else "unpublished"
    for instance in instances:
        # FAQ entries have no address of their own; the pages that show them are unchanged.
        if getattr(instance, "path", None):
            notify(event, instance)


def on_path_changed(sender, item, old_path, was_public=True, **kwargs):
    if was_public and item.is_public:
        notify("moved", item, old_path=old_path)
