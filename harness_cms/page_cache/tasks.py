"""Warming: the pages a publish changed are made again in the background (decision 0111).

A change already makes every stored page that showed it stale (``core.dependencies``); the
warmer asks for those pages once, so that the first reader after a publish gets a page made
for it instead of the one before. It is an optimisation only: with no worker, readers get the
stale page once and a fresh one after it, as without the warmer.

Bounded (at most ``MAX_PAGES`` addresses a task) and deduplicated (a set of addresses already
waiting is not enqueued again).
"""

import hashlib
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.test import Client

from faq.models import FAQ, FAQPlacement
from harness_cms.core.models import ContentItem, RelatedLink

log = logging.getLogger(__name__)

MAX_PAGES = 50
PENDING_KEY = "harness:warm-pending:"


def affected_paths(instances):
    """The public addresses that show ``instances`` (items or FAQ entries), most telling first:
    their own, the pages that list them or point at them, the home page and the FAQ index."""
    paths = []
    item_ids = {obj.pk for obj in instances if isinstance(obj, ContentItem)}
    faq_ids = {obj.pk for obj in instances if isinstance(obj, FAQ)}
    for obj in instances:
        if isinstance(obj, ContentItem):
            paths.append(obj.path)
            paths.extend(parent.path for parent in obj.window_parents())
    if faq_ids:
        item_ids.update(
            FAQPlacement.objects.filter(faq_id__in=faq_ids).values_list("item_id", flat=True)
        )
    if item_ids:
        item_ids.update(
            RelatedLink.objects.filter(target_id__in=item_ids).values_list("source_id", flat=True)
        )
        paths.extend(
            ContentItem.objects.published()
            .filter(pk__in=item_ids)
            .order_by("pk")
            .values_list("path", flat=True)[:MAX_PAGES]
        )
    paths.append("/")
    if faq_ids:
        paths.append("/faq/")
    return list(dict.fromkeys(paths))[:MAX_PAGES]


def warm_published(instances=(), went="live", **kwargs):
    """``publication_changed``: what went live is warmed (what went offline has no page)."""
    if went == "live":
        warm_later(list(instances))


def warm_later(instances):
    """Enqueue the warming of the pages that show ``instances`` once the transaction commits
    (the worker must read the new rows); nothing when the page cache is off."""
    if not settings.PAGE_CACHE:
        return
    paths = affected_paths(instances)
    if paths:
        transaction.on_commit(lambda: enqueue(paths), robust=True)


def enqueue(paths):
    """``warm_pages`` for ``paths`` unless the same set is already waiting."""
    paths = sorted(set(paths))[:MAX_PAGES]
    digest = hashlib.sha256("\n".join(paths).encode()).hexdigest()[:32]
    try:
        if not cache.add(PENDING_KEY + digest, 1, timeout=60):
            return None
        return warm_pages.enqueue(paths, digest)
    except Exception:
        # Warming is an optimisation: a queue that refuses costs speed, never the save.
        log.exception("page cache: warming could not be enqueued")
        return None


def _client():
    site = urlsplit(settings.SITE_URL)
    return Client(HTTP_HOST=site.netloc, **{"wsgi.url_scheme": site.scheme or "http"})


@task
def warm_pages(paths, digest=""):
    """Ask for each page once, as an anonymous visitor: a stale page is made again and stored,
    a fresh one costs a cache read. Returns how many answered 200."""
    cache.delete(PENDING_KEY + digest)
    client = _client()
    answered = 0
    for path in paths[:MAX_PAGES]:
        try:
            answered += client.get(path).status_code == 200
        except Exception:
            log.exception("page cache: warming %s failed", path)
    return answered
