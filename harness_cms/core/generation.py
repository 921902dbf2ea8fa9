"""The content generation: a token that changes whenever anything a public page shows changes.

Every cached page and every cached list that public pages read is keyed by it (the page cache,
site settings, topic counts, a role's first comparisons...), so one new token makes all of them
stale at once, in every process. It changes on every save, delete and tag change of content
(:func:`connect_signals`), on bulk writes and restores (:func:`content_changed`), and when a
scheduled publish or unpublish time passes (:func:`generation_for_now`).

The token lives in the shared cache (Redis) when there is one, else in a small file that every
process on the machine reads (local-memory caches are per process). Design: decision 0043.

What is cached under the generation is filed under its own name with the token that made it
(:func:`cached_for_generation`): a new generation replaces an entry rather than adding one
beside it, so the cache holds one entry per page or list whatever the number of edits
(decision 0083). The cache is a speed-up: when it fails, pages are made afresh and a save
goes through.
"""

import logging
import os
import re
import secrets
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import CharField, Max, Min, Q, TextField
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from harness_cms.core import dependencies
from harness_cms.core.dependencies import block_tag, generation_file, row_tag, tables_of
from harness_cms.core.signals import publication_changed
from harness_cms.core.visibility import Status, publishing_tables

GENERATION_KEY = "harness:content-generation"

log = logging.getLogger(__name__)

# Cache backends raise their own errors (redis.RedisError, OSError for the generation file...):
# any of them costs speed, never a page or a save.
CACHE_FAILURES = (Exception,)


def _new_token():
    # The time goes first: it is the pages' Last-Modified (see last_modified()).
    return f"{time.time():.6f}-{secrets.token_hex(4)}"


def _shared_cache():
    return not isinstance(caches["default"], LocMemCache)


def _generation_file():
    return generation_file()


# What _new_token() makes: anything else found where the token is kept (a damaged file, a
# value someone wrote) is no token, and a new generation begins.
_TOKEN = re.compile(r"\d{1,12}\.\d{6}-[0-9a-f]{8}")


def _valid(token):
    return token if isinstance(token, str) and _TOKEN.fullmatch(token) else None


def _read_file_token():
    # os-level calls: a tenth of the cost of Path.read_text(), on every request.
    try:
        fd = os.open(_generation_file(), os.O_RDONLY)
    except FileNotFoundError:
        return ""
    try:
        return os.read(fd, 256).decode(errors="replace")
    finally:
        os.close(fd)


def _write_file_token(token):
    path = _generation_file()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(token)
    # Atomic: readers see the old token or the new one, never half a token.
    os.replace(temporary, path)


def _read_token():
    if _shared_cache():
        return _valid(cache.get(GENERATION_KEY))
    return _valid(_read_file_token())


def _establish_token():
    token = _new_token()
    if _shared_cache():
        # Another process may have made one meanwhile: theirs wins, unless it is no token.
        if not cache.add(GENERATION_KEY, token, timeout=None):
            existing = _valid(cache.get(GENERATION_KEY))
            if existing:
                return existing
            cache.set(GENERATION_KEY, token, timeout=None)
        return token
    _write_file_token(token)
    return token


# A change this process could not record (the cache refused the write): recorded on its next
# use of the cache.
_unrecorded_change = False


def current_generation():
    """The token every stored page and list carries; made on first use.

    When the cache cannot be read or written, a token of this call's own: nothing stored
    matches it, so pages are made afresh.
    """
    if _unrecorded_change:
        _record_change()
    try:
        return _read_token() or _establish_token()
    except CACHE_FAILURES:
        log.warning("content generation: the cache cannot be used; pages are made afresh")
        return _new_token()


def new_generation():
    """Make every stored page stale, and return the new token."""
    token = _new_token()
    if _shared_cache():
        cache.set(GENERATION_KEY, token, timeout=None)
    else:
        _write_file_token(token)
    return token


def _record_change():
    """A new generation; if the cache refuses it, forget the old token (a delete is allowed
    when a write is not: Redis at its memory limit), so that no stored page matches it, and
    try again on this process's next use of the cache."""
    global _unrecorded_change
    try:
        new_generation()
    except CACHE_FAILURES:
        _unrecorded_change = True
        log.exception("content generation: a change could not be recorded in the cache")
        try:
            if _shared_cache():
                cache.delete(GENERATION_KEY)
            else:
                _generation_file().unlink(missing_ok=True)
        except CACHE_FAILURES:
            log.exception("content generation: the old generation could not be forgotten")
    else:
        _unrecorded_change = False


def content_changed():
    """Something a public page may show has changed: no stored page may be answered again.

    Called by the model signals below, by bulk writes that send no signals, and by restores.
    The generation moves at once and again when the transaction commits: a page made from the
    old rows between the two moments is stored under a token nobody asks for any more. A cache
    that refuses the change does not fail the save (:func:`_record_change`).
    """
    _record_change()
    connection = transaction.get_connection()
    # One callback per transaction, however many rows it writes (an import saves thousands).
    if connection.in_atomic_block and not any(
        func is _record_change for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(_record_change, robust=True)


def last_modified(token):
    """The Last-Modified of every page of a generation: when the generation began."""
    return int(float(token.split("-", 1)[0]))


VALID_UNTIL_KEY = "harness:content-generation:valid-until"


def scheduled_changes(*, now=None):
    """The latest publish or unpublish time of anything published up to ``now``, and the
    earliest one after it (either may be None).

    Visibility reads the clock: a page is right only between two such times.
    """
    now = now or timezone.now()
    before, after = [], []
    for model in publishing_tables():
        found = model.objects.filter(status=Status.PUBLISHED).aggregate(
            last_publish=Max("publish_at", filter=Q(publish_at__lte=now)),
            last_unpublish=Max("unpublish_at", filter=Q(unpublish_at__lte=now)),
            next_publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            next_unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        for name, value in found.items():
            if value is not None:
                (before if name.startswith("last") else after).append(value)
    return (max(before) if before else None), (min(after) if after else None)


def generation_for_now():
    """The current token and the epoch second until which its pages stay right.

    When a scheduled time has passed since the token began, a new generation starts: pages
    stored before it are no longer answered and the next ones carry a later Last-Modified.
    Costs one cache read, and one query per generation and scheduled time.
    """
    token = current_generation()
    known = _get(VALID_UNTIL_KEY)
    if known is not None and known[0] == token and known[1] > time.time():
        return token, known[1]
    last, following = scheduled_changes()
    if last is not None and last.timestamp() >= float(token.split("-", 1)[0]):
        _record_change()
        token = current_generation()
    until = following.timestamp() if following else float("inf")
    _set(VALID_UNTIL_KEY, (token, until), settings.PAGE_CACHE_TIMEOUT)
    return token, until


def _get(key):
    try:
        return cache.get(key)
    except CACHE_FAILURES:
        log.warning("cache: reading %s failed", key, exc_info=True)
        return None


def _set(key, value, timeout):
    try:
        cache.set(key, value, timeout=timeout)
    except CACHE_FAILURES:
        log.warning("cache: writing %s failed", key, exc_info=True)


def cached_for_generation(key, compute, *, token=None, until=float("inf"), narrow=None):
    """``compute()``, kept under ``key`` with the token of the generation that made it (the
    current one unless ``token`` is given) and what it read (:mod:`.dependencies`), answered
    only while that token is current and nothing it read has changed since: one entry per key,
    replaced by the next generation or change, never one per generation. Kept no longer than
    ``PAGE_CACHE_TIMEOUT`` nor past the epoch second ``until``. The page being made is told
    what the value read, whether it was computed or found. ``narrow`` may replace the tags
    collected by narrower ones that still cover what the value read (a range of keys read
    from a table: its blocks rather than the whole table)."""
    token = token or current_generation()
    stored = _get(key)
    if (
        stored is not None
        and len(stored) == 4
        and stored[0] == token
        and dependencies.state_since(stored[3], stored[2]) == dependencies.FRESH
    ):
        dependencies.note(stored[3])
        return stored[1]
    made_at = dependencies.current_sequence()
    with dependencies.collecting() as collector:
        value = compute()
    tags = collector.tags() if narrow is None else narrow(collector.tags())
    timeout = min(settings.PAGE_CACHE_TIMEOUT, until - time.time())
    if timeout >= 1:
        _set(key, (token, value, made_at, tags), int(timeout))
    return value


def cached_for_now(name, compute):
    """``compute()``, kept in the cache for the content generation and no longer than until
    the next scheduled publish or unpublish time (``generation_for_now``): for lists that many
    public pages read and that follow the clock as the pages do (topic counts, a role's first
    comparisons, the topics in use)."""
    token, until = generation_for_now()
    return cached_for_generation(f"harness:{name}", compute, token=token, until=until)


# --- What counts as a content change ---------------------------------------------------------


def content_models():
    """Models whose rows public pages show: every model of an app whose config says
    ``public_content = True``, less proxies and models that say ``public_content = False``
    (users, sessions, revisions and login attempts reach no public page)."""
    for app_config in apps.get_app_configs():
        if not getattr(app_config, "public_content", False):
            continue
        for model in app_config.get_models():
            if getattr(model, "public_content", True) and not model._meta.proxy:
                yield model


def connect_signals():
    """Record what each save, delete and many-to-many change of content changed (decision
    0111), and when something goes live or offline (called once, from the core's ``ready()``).
    Rows loaded while a page is made are collected from now on."""
    models = list(content_models())
    dependencies.track(models)
    for model in models:
        uid = f"generation:{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:pre-save")
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}:delete")
        m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=f"{uid}:m2m")
    publication_changed.connect(_publication_changed, dispatch_uid="generation:publication")


# Columns every save moves that no list filters or orders by.
BOOKKEEPING = {"updated_at", "updated_by_id", "version", "search_document"}


def _display_only(model):
    """Fields whose change alters how a row reads, not which lists hold it nor their order:
    text, less slugs, statuses and whatever the model orders by."""
    ordering = {name.lstrip("-").split("__")[0] for name in model._meta.ordering or ()}
    return {
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, CharField | TextField)
        and not field.choices
        and field.name not in ordering
        and field.name not in ("slug", "path")
    }


def _before_save(sender, instance, raw=False, **kwargs):
    """What the row held before (one query per save of an existing row): the save then knows
    whether lists may change."""
    instance._held_before = None
    if raw or instance.pk is None or instance._state.adding:
        return
    names = [field.attname for field in sender._meta.concrete_fields]
    instance._held_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def _is_public(instance, now):
    status = getattr(instance, "status", None)
    if status is None:
        return True
    publish_at = getattr(instance, "publish_at", None)
    unpublish_at = getattr(instance, "unpublish_at", None)
    return (
        status == Status.PUBLISHED
        and (publish_at is None or publish_at <= now)
        and (unpublish_at is None or unpublish_at > now)
    )


def _record(tags, *, hard=False):
    """Record a change of ``tags`` at once, and again when the transaction commits (a page
    another connection makes meanwhile from the old rows is numbered before that), once per
    transaction however many rows it writes."""
    _write_change(tags, hard)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "_harness_changes", None)
    # A rolled-back transaction drops its callbacks: what it had pending goes with them.
    if pending is None or not any(func is _flush for _, func, _ in connection.run_on_commit):
        pending = connection._harness_changes = ({}, set())
        transaction.on_commit(_flush, robust=True)
    soft, hard_tags = pending
    soft.setdefault("tags", set()).update(tag for tag in tags if not _is_hard(tag, hard))
    hard_tags.update(tag for tag in tags if _is_hard(tag, hard))


def _flush():
    connection = transaction.get_connection()
    pending = getattr(connection, "_harness_changes", None)
    connection._harness_changes = None
    if pending is None:
        return
    soft, hard_tags = pending
    if hard_tags:
        _write_change(hard_tags, True)
    if soft.get("tags"):
        _write_change(soft["tags"] - hard_tags, False)


def _is_hard(tag, hard):
    # What went offline: the pages that showed its row, or read its table's values (which
    # cannot tell its rows apart), are never answered again; lists that merely hold rows of
    # its kind did not show it and may be answered once more.
    return hard and not tag.startswith("t:")


def _write_change(tags, hard):
    try:
        if hard:
            dependencies.record_change({tag for tag in tags if not _is_hard(tag, hard)})
            dependencies.record_change({tag for tag in tags if _is_hard(tag, hard)}, hard=True)
        else:
            dependencies.record_change(tags)
    except CACHE_FAILURES:
        # Unrecorded, a change could leave a page showing old content: everything is made
        # afresh instead.
        log.exception("content changes: could not be recorded; a new generation begins")
        _record_change()


def _saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        content_changed()  # fixtures: a bulk write
        return
    tables = tables_of(sender)
    tags = {row_tag(sender, instance.pk), block_tag(sender, instance.pk)}
    tags.update(f"v:{table}" for table in tables)
    before = getattr(instance, "_held_before", None)
    hard = False
    if created or before is None:
        tags.update(f"t:{table}" for table in tables)
        _schedule_moved(instance, {}, timezone.now())
    else:
        after = {
            field.attname: field.value_from_object(instance)
            for field in sender._meta.concrete_fields
        }
        changed = {name for name, value in before.items() if after.get(name) != value}
        log.debug("content changes: %s %s changed %s", sender._meta.label, instance.pk, changed)
        changed -= BOOKKEEPING
        if changed - _display_only(sender):
            tags.update(f"t:{table}" for table in tables)
        # Anything that was public and is no longer: its pages go at once.
        old = type("Before", (), before)
        now = timezone.now()
        hard = _is_public(old, now) and not _is_public(instance, now)
        _schedule_moved(instance, before, now)
    _record(tags, hard=hard)


def _deleted(sender, instance, **kwargs):
    tables = tables_of(sender)
    tags = {row_tag(sender, instance.pk), block_tag(sender, instance.pk)}
    tags.update(f"{kind}:{table}" for table in tables for kind in ("t", "v"))
    _record(tags, hard=True)


def _m2m_changed(sender, instance, action, reverse=False, model=None, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    tags = {f"t:{sender._meta.db_table}", f"v:{sender._meta.db_table}"}
    tags.add(row_tag(type(instance), instance.pk))
    for table in tables_of(type(instance)):
        tags.add(f"v:{table}")
    _record(tags)


def _publication_changed(instances=(), went="live", **kwargs):
    tags = set()
    for instance in instances:
        model = type(instance)
        tags.update((row_tag(model, instance.pk), block_tag(model, instance.pk)))
        tags.update(f"{kind}:{table}" for table in tables_of(model) for kind in ("t", "v"))
    _record(tags, hard=went == "offline")


def rows_rewritten(model, pks):
    """Rows of ``model`` written without their model's signals (a bulk update of stored
    windows): what reads their blocks of keys is told."""
    if pks:
        _record({block_tag(model, pk) for pk in pks})


def _schedule_moved(instance, before, now):
    """A save that sets a publish or unpublish time earlier than the next one known: pages
    (and every worker) must stop at it."""
    times = [
        value
        for value in (
            getattr(instance, "publish_at", None),
            getattr(instance, "unpublish_at", None),
        )
        if value is not None and value > now
    ]
    if not times or [before.get("publish_at"), before.get("unpublish_at")] == [
        getattr(instance, "publish_at", None),
        getattr(instance, "unpublish_at", None),
    ]:
        return
    earliest = min(times).timestamp()
    token = current_generation()
    known = _get(VALID_UNTIL_KEY)
    if known is None or known[0] != token or known[1] <= earliest:
        return  # worked out afresh on the next request, or already earlier
    if _shared_cache():
        _set(VALID_UNTIL_KEY, (token, earliest), settings.PAGE_CACHE_TIMEOUT)
    else:
        # Each process keeps its own "valid until": a new generation tells them all.
        _record_change()
