"""Permanent redirects from earlier addresses to items, by reference: one hop, no chains.

- An item that moves (its slug or its role's changed) leaves its old address behind as a
  redirect to the item itself (``path_changed``); an address that becomes live again stops
  redirecting, so a slug changed back and forth never loops.
- A deleted or unpublished item can hand its address to another item (``redirect_away``).
- ``/compare/b-vs-a/`` answers with the canonical ``/compare/a-vs-b/``.
- Served by :class:`harness_cms.middleware.RedirectFallbackMiddleware` for addresses that
  would otherwise be a 404.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from harness_cms.links import is_public
from harness_cms.models import ContentItem, Redirect
from harness_cms.signals import path_changed

_PATH = re.compile(r"^/[^\s?#]*$")
MAX_PATH_LENGTH = 400


def validate_old_path(path, *, target=None):
    """Return ``path`` cleaned, or raise ValidationError with a message an editor can act on."""
    path = path.strip()
    if "://" in path:
        raise ValidationError({"old_path": "Give the path only, without the site's address."})
    if not _PATH.match(path) or len(path) > MAX_PATH_LENGTH:
        raise ValidationError(
            {"old_path": "An address starts with a slash and has no spaces, ? or #."}
        )
    if target is not None and target.path == path:
        raise ValidationError({"old_path": "A page cannot redirect to its own address."})
    live = ContentItem.objects.filter(path=path).first()
    if live is not None and (target is None or live.pk != target.pk):
        raise ValidationError(
            {"old_path": f"{path} is the address of “{live.title}”; it cannot redirect."}
        )
    return path


@receiver(path_changed)
def remember_old_path(sender, item, old_path, **kwargs):
    """The old address now leads to the item; the new one must not redirect anywhere."""
    with transaction.atomic():
        Redirect.objects.filter(old_path=item.path).delete()
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

    Looks up redirects first, then the reversed pair of a comparison. An address no item
    could have (too long, control characters such as NUL) is not looked up at all.
    """
    if len(path) > MAX_PATH_LENGTH or not path.isprintable():
        return None
    redirect = Redirect.objects.select_related("target").filter(old_path=path).first()
    if redirect is not None:
        target = redirect.target
        if target.path != path and is_public(target):
            Redirect.objects.filter(pk=redirect.pk).update(
                hits=F("hits") + 1, last_hit_at=timezone.now()
            )
            return target
        return None
    return _reversed_comparison(path)


def _reversed_comparison(path):
    from comparisons.models import Comparison

    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != "comparisons:comparison":
        return None
    slug = match.kwargs["slug"]
    candidates = []
    for found in re.finditer("-vs-", slug):
        left, right = slug[: found.start()], slug[found.end() :]
        if left and right:
            candidates.append(
                reverse("comparisons:comparison", kwargs={"slug": f"{right}-vs-{left}"})
            )
    if not candidates:
        return None
    comparison = Comparison.objects.published().filter(path__in=candidates).first()
    if comparison is not None:
        return comparison
    for candidate in candidates:
        # The reversed pair under an earlier slug of one of its roles.
        redirect = Redirect.objects.select_related("target").filter(old_path=candidate).first()
        if redirect is not None and redirect.target.path != path and is_public(redirect.target):
            return redirect.target
    return None
