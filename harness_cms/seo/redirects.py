"""Permanent redirects from earlier addresses to items, by reference: one hop, no chains.

- An item that moves (its slug or its role's changed) leaves its old address behind as a
  redirect to the item itself (``path_changed``); an address that becomes live again stops
  redirecting, so a slug changed back and forth never loops.
- A deleted or unpublished item can hand its address to another item (``redirect_away``).
- An address that is another spelling of an item's (``/compare/b-vs-a/`` for the canonical
  ``/compare/a-vs-b/``) is answered by the item's kind (``ContentItem.alias_target``).
- Served by :class:`harness_cms.seo.middleware.RedirectFallbackMiddleware` for addresses that
  would otherwise be a 404.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from harness_cms.core.models import MAX_PATH_LENGTH, ContentItem, Redirect


def remember_old_path(sender, item, old_path, was_public=True, **kwargs):
    """The old address now leads to the item; the new one must not redirect anywhere
    (connected to ``path_changed`` by the app's ``ready()``). An address that was never
    public (a draft renamed before it was first published) is not kept."""
    with transaction.atomic():
        Redirect.objects.filter(old_path=item.path).delete()
        if not was_public:
            # Earlier addresses of the item still follow it; this one was never seen.
            return
        Redirect.objects.update_or_create(
            old_path=old_path,
            defaults={"target_id": item.pk, "reason": Redirect.Reason.MOVED},
        )


def redirect_away(item, *, to, reason):
    """Send visitors of ``item``'s address (and of its earlier ones) to the item ``to``.

    Used when ``item`` is deleted or stops being public. Returns the redirect made.
    """
    if to.pk == item.pk:
        raise ValidationError("A page cannot redirect to itself.")
    with transaction.atomic():
        Redirect.objects.filter(target=item).exclude(old_path=to.path).update(target=to)
        Redirect.objects.filter(old_path=to.path).delete()
        redirect, _ = Redirect.objects.update_or_create(
            old_path=item.path, defaults={"target": to, "reason": reason}
        )
    return redirect


def find_target(path):
    """The public item an unknown ``path`` should send visitors to, or None.

    Looks up redirects first, then asks each kind of item whether ``path`` is another spelling
    of one of its addresses (a comparison's reversed pair). An address no item could have (too
    long, control characters such as NUL) is not looked up at all.
    """
    if len(path) > MAX_PATH_LENGTH or not path.isprintable():
        return None
    redirect = Redirect.objects.select_related("target").filter(old_path=path).first()
    if redirect is not None:
        target = redirect.target
        if target.path != path and target.is_public:
            Redirect.objects.filter(pk=redirect.pk).update(
                hits=F("hits") + 1, last_hit_at=timezone.now()
            )
            return target
        return None
    for model in ContentItem.kinds().values():
        target = model.alias_target(path)
        if target is not None:
            return target
    return None
