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

import hashlib
import logging
import os
import re
import secrets
import stat
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max, Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

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


_generation_files = {}


def _generation_file():
    configured = settings.PAGE_CACHE_GENERATION_FILE
    database = str(settings.DATABASES["default"].get("NAME", ""))
    # Every request reads the file: its name is worked out once per setting.
    path = _generation_files.get((configured, database))
    if path is None:
        if configured:
            path = Path(configured)
        else:
            # One file per database (two sites of one checkout do not invalidate each other),
            # in a directory of the site's own: not the shared temporary directory, where anyone
            # could create or fill a file under a name that is easy to guess.
            digest = hashlib.sha256(f"{settings.BASE_DIR}|{database}".encode()).hexdigest()
            path = _private_directory(Path(settings.BASE_DIR) / ".run") / (
                f"content-generation-{digest[:16]}"
            )
        _generation_files[configured, database] = path
    return path


def _private_directory(path):
    """``path`` as a directory only this user may enter (made if missing)."""
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ImproperlyConfigured(
            f"{path} must be a directory of the user running the site (the content generation "
            "is kept there); remove it, or set PAGE_CACHE_GENERATION_FILE."
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(0o700)
    return path


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


def cached_for_generation(key, compute, *, token=None, until=float("inf")):
    """``compute()``, kept under ``key`` with the token of the generation that made it (the
    current one unless ``token`` is given) and answered only while that token is current:
    one entry per key, replaced by the next generation, never one per generation. Kept no
    longer than ``PAGE_CACHE_TIMEOUT`` nor past the epoch second ``until``."""
    token = token or current_generation()
    stored = _get(key)
    if stored is not None and stored[0] == token:
        return stored[1]
    value = compute()
    timeout = min(settings.PAGE_CACHE_TIMEOUT, until - time.time())
    if timeout >= 1:
        _set(key, (token, value), int(timeout))
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
    """Start a new generation on every save, delete and many-to-many change of content, and
    when something goes live or offline (called once, from the core's ``ready()``)."""
    for model in content_models():
        uid = f"generation:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
        m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=f"{uid}:m2m")
    publication_changed.connect(_changed, dispatch_uid="generation:publication")


def _changed(**kwargs):
    content_changed()


def _m2m_changed(action, **kwargs):
    if action.startswith("post_"):
        content_changed()
