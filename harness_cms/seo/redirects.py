"""Permanent redirects from earlier addresses to items, by reference: one hop, no chains.

- An item that moves (its slug or its role's changed) leaves its old address behind as a
  redirect to the item itself (``path_changed``); an address that becomes live again stops
  redirecting, so a slug changed back and forth never loops.
- A deleted or unpublished item can hand its address to another item (``redirect_away``).
- An address that is another spelling of an item's (``/compare/b-vs-a/`` for the canonical
  ``/compare/a-vs-b/``) is answered by the item's kind (``ContentItem.alias_target``).
- Served by :class:`harness_cms.seo.middleware.RedirectFallbackMiddleware` for addresses that
  would otherwise be a 404; an address nothing answers is counted by the 404 monitor
  (``record_not_found``).
- Redirects are exported to and imported from CSV (``export_csv``, ``import_csv``).
"""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from harness_cms.core.models import (
    MAX_PATH_LENGTH,
    ContentItem,
    NotFoundAddress,
    Redirect,
    validate_old_path,
)

# The 404 monitor keeps this many addresses at most; past it, the least asked-for (fewest
# hits, then longest unseen) make room, so a flood of made-up addresses evicts its own.
NOT_FOUND_KEPT = 1_000
# Addresses that are no page of the site's: not worth an editor's look.
NOT_FOUND_IGNORED = ("/admin/", "/static/", "/media/")


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


def _referrer(value):
    """``scheme://host/path`` of a Referer header, without user, password, query or fragment;
    empty when it is no http(s) address."""
    try:
        parts = urlsplit(value or "")
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not host:
        return ""
    netloc = f"{host}:{port}" if port else host
    result = f"{parts.scheme}://{netloc}{parts.path}"
    return result[:400] if result.isprintable() else ""


def record_not_found(path, referrer=""):
    """Count a 404 at ``path`` for the 404 monitor (at most :data:`NOT_FOUND_KEPT` rows)."""
    if (
        len(path) > MAX_PATH_LENGTH
        or not path.isprintable()
        or not path.startswith("/")
        or path.startswith(NOT_FOUND_IGNORED)
    ):
        return
    referrer = _referrer(referrer)
    now = timezone.now()
    changes = {"hits": F("hits") + 1, "last_seen": now}
    if referrer:
        changes["referrer"] = referrer
    if NotFoundAddress.objects.filter(path=path).update(**changes):
        return
    excess = NotFoundAddress.objects.count() - NOT_FOUND_KEPT + 1
    if excess > 0:
        stale = NotFoundAddress.objects.order_by("hits", "last_seen", "pk")[:excess]
        NotFoundAddress.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    try:
        with transaction.atomic():
            NotFoundAddress.objects.create(path=path, last_seen=now, referrer=referrer)
    except IntegrityError:
        # Another request recorded it first.
        NotFoundAddress.objects.filter(path=path).update(**changes)


# -- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = ["old_path", "target", "reason"]
CSV_MAX_ROWS = 10_000


def export_csv():
    """Every redirect as CSV text: old address, the target's current address, why."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, "hits"])
    for old_path, target, reason, hits in Redirect.objects.order_by("old_path").values_list(
        "old_path", "target__path", "reason", "hits"
    ):
        writer.writerow([old_path, target, reason, hits])
    return out.getvalue()


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): rows by outcome, and the problems."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # "line N: what is wrong"
    applied: bool = False


def import_csv(text, *, dry_run):
    """Create or update redirects from CSV (columns ``old_path``, ``target`` — the target
    item's current address — and optionally ``reason``). All or nothing: with any problem,
    nothing is written; with ``dry_run``, nothing is written either way."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = {"old_path", "target"} - set(reader.fieldnames or [])
    if missing:
        report.problems.append(f"line 1: the header needs the columns {', '.join(sorted(missing))}")
        return report
    rows, seen = [], {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > CSV_MAX_ROWS:
            report.problems.append(f"more than {CSV_MAX_ROWS:,} rows: split the file")
            return report
        old_path = (row.get("old_path") or "").strip()
        target_path = (row.get("target") or "").strip()
        reason = (row.get("reason") or "").strip() or Redirect.Reason.MANUAL
        target = ContentItem.objects.filter(path=target_path).first()
        if target is None:
            report.problems.append(f"line {line}: no page at {target_path!r}")
            continue
        if reason not in Redirect.Reason.values:
            report.problems.append(f"line {line}: unknown reason {reason!r}")
            continue
        try:
            old_path = validate_old_path(old_path, target=target)
        except ValidationError as error:
            report.problems.append(f"line {line}: {' '.join(error.messages)}")
            continue
        if old_path in seen:
            report.problems.append(f"line {line}: {old_path} is also on line {seen[old_path]}")
            continue
        seen[old_path] = line
        rows.append((old_path, target, reason))
    if report.problems:
        return report
    existing = {r.old_path: r for r in Redirect.objects.filter(old_path__in=list(seen))}
    for old_path, target, reason in rows:
        current = existing.get(old_path)
        if current is None:
            report.created.append(old_path)
        elif (current.target_id, current.reason) == (target.pk, reason):
            report.unchanged.append(old_path)
        else:
            report.updated.append(old_path)
    if dry_run:
        return report
    with transaction.atomic():
        for old_path, target, reason in rows:
            Redirect.objects.update_or_create(
                old_path=old_path, defaults={"target": target, "reason": reason}
            )
        NotFoundAddress.objects.filter(path__in=list(seen)).delete()
    report.applied = True
    return report
