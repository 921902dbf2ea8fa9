"""``/healthz``: what a load balancer asks before sending an app server traffic."""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return False


def _cache_ok():
    # A fresh key per probe: several app servers share the cache and probe at once.
    key = f"harness:healthz:{secrets.token_hex(8)}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
        return answered
    except (RedisError, OSError):
        logger.exception("health check: the cache does not answer")
        return False


@never_cache
@require_GET
def healthz(request):
    """200 with ``{"status": "ok", ...}`` when the database and the cache answer, else 503."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "failing" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)
