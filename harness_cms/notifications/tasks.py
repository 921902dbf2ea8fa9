"""The background senders (Django's Tasks framework): an IndexNow ping and one webhook
delivery, which retries itself with a growing delay until the receiver answers 2xx."""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("harness_cms.notifications")

TIMEOUT = 10  # seconds a receiver may take to answer
WEBHOOK_ATTEMPTS = 6
# After attempt n fails, the next waits BACKOFF_BASE * 4 ** (n - 1) seconds: 30 s, 2 min, 8 min,
# 32 min, about 2 h — some 2.8 hours in all before giving up.
BACKOFF_BASE = 30


SIGNATURE_HEADER = "X-Harness-Signature"
EVENT_HEADER = "X-Harness-Event"


def absolute(path):
    return settings.SITE_URL + path


def sign(body, secret):
    """``sha256=<hex>``: the HMAC-SHA256 of the exact body with the shared secret."""
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def indexnow_body(urls):
    """What IndexNow reads: our host, the key, where the key file is, the changed URLs."""
    return {
        "host": urlsplit(settings.SITE_URL).hostname,
        "key": settings.INDEXNOW_KEY,
        "keyLocation": absolute(f"/{settings.INDEXNOW_KEY}.txt"),
        "urlList": list(urls),
    }


def post(url, body, headers):
    """POST ``body`` (text) to ``url``; the HTTP status, or None when nothing answered."""
    if not url.startswith(("http://", "https://")):
        return None
    # Only http(s) addresses the operator set (checked above and by the settings).
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError, ValueError):
        return None


def backoff(attempt):
    return timedelta(seconds=BACKOFF_BASE * 4 ** (attempt - 1))


@task
def ping_indexnow(urls):
    """Tell IndexNow (and the engines that share it) that ``urls`` changed."""
    body = json.dumps(indexnow_body(urls))
    status = post(
        settings.INDEXNOW_ENDPOINT, body, {"Content-Type": "application/json; charset=utf-8"}
    )
    if status not in (200, 202):
        logger.warning("IndexNow answered %s for %d address(es)", status, len(urls))
    return status


@task
def deliver_webhook(url, body, event, attempt):
    """POST the signed ``body`` to ``url``; on anything but 2xx, enqueue the next attempt
    after :func:`backoff` (at most :data:`WEBHOOK_ATTEMPTS` in all)."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        EVENT_HEADER: event,
        "X-Harness-Attempt": str(attempt),
    }
    if settings.CHANGE_WEBHOOK_SECRET:
        headers[SIGNATURE_HEADER] = sign(body, settings.CHANGE_WEBHOOK_SECRET)
    status = post(url, body, headers)
    if status is not None and 200 <= status < 300:
        return status
    if attempt >= WEBHOOK_ATTEMPTS:
        logger.error("Webhook %s failed %d times (last: %s); giving up", url, attempt, status)
        return status
    logger.warning("Webhook %s answered %s (attempt %d); retrying", url, status, attempt)
    retry = deliver_webhook
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + backoff(attempt))
    retry.enqueue(url, body, event, attempt + 1)
    return status
