"""Who has an item's form open: a heartbeat every half minute, kept in the cache for two.

It warns, never blocks: the edit-conflict check (decision 0031) is what keeps saves safe.
"""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

# A form not heard from for this long is taken as closed.
STALE_AFTER = timedelta(minutes=2)


def _key(model, pk):
    return f"harness:presence:{model._meta.label_lower}:{pk}"


def beat(model, pk, user):
    """``user`` has the form of ``pk`` open now; returns the others who have it open."""
    now = timezone.now()
    key = _key(model, pk)
    seen = _fresh(cache.get(key) or {}, now)
    name = user.get_full_name() or user.get_username()
    since = seen.get(user.pk, {}).get("since", now)
    seen[user.pk] = {"name": name, "since": since, "last": now}
    cache.set(key, seen, timeout=int(STALE_AFTER.total_seconds()) * 2)
    return others(seen, user)


def leave(model, pk, user):
    """``user`` closed the form (saved it, or left the page)."""
    key = _key(model, pk)
    seen = cache.get(key) or {}
    if seen.pop(user.pk, None) is not None:
        cache.set(key, seen, timeout=int(STALE_AFTER.total_seconds()) * 2)


def others(seen, user):
    """The other people in ``seen``, earliest first: [{"name", "since"}]."""
    return sorted(
        (
            {"name": entry["name"], "since": entry["since"]}
            for pk, entry in seen.items()
            if pk != user.pk
        ),
        key=lambda entry: entry["since"],
    )


def _fresh(seen, now):
    return {pk: entry for pk, entry in seen.items() if now - entry["last"] < STALE_AFTER}
