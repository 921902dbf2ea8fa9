"""What a page (or a cached list) showed, collected while it is made, and when that last changed.

While a page renders, :func:`collecting` records

- ``r:<table>:<pk>`` for every row of content loaded as a model instance (``post_init``), and
- for every table of content a query read: ``t:<table>`` (its *membership*: which rows there are
  and how they are filtered and ordered) when the page loaded instances of it, or ``v:<table>``
  (any write to it) when it only read values, counts or aggregates from it (the sitemap, the
  live addresses), since such a page carries no row of it to be told about.

A write marks the tags it touches as changed now (:func:`record_change`, called by the signal
handlers in :mod:`harness_cms.core.generation`): an update marks its row and ``v:`` of its
tables, and ``t:`` too when a field that filters or orders lists changed; a creation, deletion,
publication or many-to-many change marks ``t:`` and ``v:``. A deletion or anything going
offline is *hard*: no page that showed it may be answered again, not even once.

Where changes are kept: in the shared cache (Redis) when there is one, else in a small file
beside the content generation's that every process on the machine reads. Either way a change is
kept for ``PAGE_CACHE_TIMEOUT`` (plus a minute): nothing stored is older. Design: decision 0111.
"""

import contextvars
import fcntl
import hashlib
import logging
import os
import re
import secrets
import stat
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.signals import post_init

log = logging.getLogger(__name__)

_current = contextvars.ContextVar("harness_dependencies", default=None)

# Tables quoted as both SQLite and PostgreSQL quote them, after FROM or JOIN.
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


class Collector:
    """The tags of one page or list being made (nested collectors report to their parent)."""

    __slots__ = ("instance_tables", "parent", "rows", "tables", "tags_seen")

    def __init__(self, parent=None):
        self.parent = parent
        self.rows = set()
        self.tables = set()
        self.instance_tables = set()
        # Tags of cached lists read whole (no query ran for them).
        self.tags_seen = set()

    def tags(self):
        tags = set(self.rows) | self.tags_seen
        for table in self.tables:
            tags.add(("t:" if table in self.instance_tables else "v:") + table)
        return frozenset(tags)


# The tables of the models whose rows public pages show (set by :func:`track`).
_tables_of_content = [frozenset()]


def content_tables():
    return _tables_of_content[0]


def track(models):
    """Collect rows and tables of ``models`` from now on (called once, from the core's
    ``ready()`` through ``generation.connect_signals``)."""
    _tables_of_content[0] = frozenset(table for model in models for table in tables_of(model))
    for model in models:
        post_init.connect(
            instance_loaded, sender=model, dispatch_uid=f"dependencies:{model._meta.label}"
        )


def _record_sql(execute, sql, params, many, context):
    collector = _current.get()
    if collector is not None and sql.lstrip()[:6].upper() in ("SELECT", "WITH R", 'WITH "'):
        known = content_tables()
        collector.tables.update(t for t in _TABLE.findall(sql) if t in known)
    return execute(sql, params, many, context)


@contextmanager
def collecting():
    """Collect what is read inside the block; yields the :class:`Collector`."""
    parent = _current.get()
    collector = Collector(parent)
    token = _current.set(collector)
    try:
        if parent is None:
            with connection.execute_wrapper(_record_sql):
                yield collector
        else:
            yield collector
    finally:
        _current.reset(token)
        if parent is not None:
            parent.tags_seen.update(collector.tags())


def note(tags):
    """What a cached list read, added to the page being made (a list read from the cache runs
    no query, so its tags come with it)."""
    collector = _current.get()
    if collector is not None:
        collector.tags_seen.update(tags)


def root_table(model):
    """The table a row's tag is named after: the first concrete parent's (a comparison is a
    content item of the same primary key)."""
    parents = model._meta.get_parent_list()
    return (parents[-1] if parents else model)._meta.db_table


def tables_of(model):
    return [
        model._meta.db_table,
        *(parent._meta.db_table for parent in model._meta.get_parent_list()),
    ]


def row_tag(model, pk):
    return f"r:{root_table(model)}:{pk}"


# Rows of a table are also counted in blocks of consecutive primary keys: a list that reads
# only the rows of a range of keys (one part of a long sitemap) depends on a few blocks, not on
# every write to the table.
ROW_BLOCK = 10_000


def block_tag(model, pk):
    """``b:<table>:<n>``: any write to a row of ``model`` whose key is in block ``n``."""
    return f"b:{root_table(model)}:{pk // ROW_BLOCK}"


def block_tags(model, start, stop):
    """The block tags of the keys ``start <= pk < stop``."""
    table = root_table(model)
    return frozenset(
        f"b:{table}:{block}" for block in range(start // ROW_BLOCK, (stop - 1) // ROW_BLOCK + 1)
    )


def instance_loaded(sender, instance, **kwargs):
    """``post_init`` of content models: a row loaded while a page is made is a row it shows."""
    collector = _current.get()
    if collector is None or instance.pk is None:
        return
    collector.rows.add(row_tag(sender, instance.pk))
    collector.instance_tables.update(tables_of(sender))


# --- Where changes are kept ------------------------------------------------------------------

CHANGE_KEY = "harness:change:"
HARD_KEY = "harness:change-hard:"
KEYS = (CHANGE_KEY, HARD_KEY)
# A change outlives every page and list stored before it.
KEEP_SECONDS_MARGIN = 60


def _shared_cache():
    return not isinstance(caches["default"], LocMemCache)


def _keep_seconds():
    return settings.PAGE_CACHE_TIMEOUT + KEEP_SECONDS_MARGIN


def private_directory(path):
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


_generation_files = {}


def generation_file():
    """Where the content generation is kept without a shared cache (the changes beside it)."""
    configured = settings.PAGE_CACHE_GENERATION_FILE
    database = str(settings.DATABASES["default"].get("NAME", ""))
    # Every request reads the file: its name is worked out once per setting.
    path = _generation_files.get((configured, database))
    if path is None:
        if configured:
            path = Path(configured)
        else:
            # One file per database (two sites of one checkout do not invalidate each other),
            # in a directory of the site's own: not the shared temporary directory, where
            # anyone could create or fill a file under a name that is easy to guess.
            digest = hashlib.sha256(f"{settings.BASE_DIR}|{database}".encode()).hexdigest()
            path = private_directory(Path(settings.BASE_DIR) / ".run") / (
                f"content-generation-{digest[:16]}"
            )
        _generation_files[configured, database] = path
    return path


_change_files = {}


def _change_file():
    key = (settings.PAGE_CACHE_GENERATION_FILE, str(settings.DATABASES["default"].get("NAME")))
    path = _change_files.get(key)
    if path is None:
        base = generation_file()
        path = _change_files[key] = base.with_name(f"{base.name}-changes")
    return path


# The file is a log, one line per change: "<number> <hard 0|1> <epoch second> <tag> <tag>…".
# Each process keeps what it has read (the file's inode, how far, and the latest change of each
# tag) and reads only what was appended since: a request costs an open, an fstat and a close.
# The log is rewritten shorter (a new inode) when it grows past COMPACT_BYTES.
COMPACT_BYTES = 1 << 20
# (the log's first line, offset, last number, {tag: (last, last hard, when)}): the first line
# names the log (written when it is made), so a new log is never read as the old one.
_read_so_far = [(None, 0, 0, {})]
_HEADER_BYTES = 18


def _apply(lines, changes, number):
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            raise ValueError("not a line of the log of changes")
        number, hard, when = int(parts[0]), parts[1] == "1", int(parts[2])
        for tag in parts[3:]:
            last_hard = number if hard else changes.get(tag, (0, 0, 0))[1]
            changes[tag] = (number, last_hard, when)
    return number


def _read_file_changes():
    """``(last number, {tag: (last change, last hard change, epoch second)})``, or None when
    the log cannot be read."""
    path = _change_file()
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return 0, {}
    try:
        header = os.read(fd, _HEADER_BYTES)
        known, offset, number, changes = _read_so_far[0]
        if header != known:
            offset, number, changes = _HEADER_BYTES, 0, {}
        size = os.fstat(fd).st_size
        if size == offset:
            return number, changes
        chunks = []
        os.lseek(fd, offset, os.SEEK_SET)
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    complete = data[: data.rfind(b"\n") + 1]  # a line being written is read next time
    changes = dict(changes)
    try:
        if not header.startswith(b"#") or not header.endswith(b"\n"):
            raise ValueError("no header")
        number = _apply(complete.decode().splitlines(), changes, number)
    except ValueError:
        log.warning("content changes: %s is unreadable; every stored page is made afresh", path)
        return None
    _read_so_far[0] = (header, offset + len(complete), number, changes)
    return number, changes


def _write_file_changes(tags, hard):
    path = _change_file()
    lock_path = path.with_name(f"{path.name}.lock")
    fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        read = _read_file_changes()
        now = int(time.time())
        # A log lost or damaged starts again above any number it can have given out.
        number = read[0] + 1 if read and read[0] else _restart_number()
        line = f"{number} {int(hard)} {now} {' '.join(sorted(tags))}\n"
        size = path.stat().st_size if path.exists() else 0
        if read is None or size == 0 or size > COMPACT_BYTES:
            _rewrite(path, (read or (0, {}))[1], now, line)
        else:
            with open(path, "a", encoding="utf-8") as file:
                file.write(line)
            os.chmod(path, 0o600)
    finally:
        os.close(fd)


def _rewrite(path, changes, now, line):
    """The log again with only the changes anything stored may predate, then ``line``."""
    oldest = now - _keep_seconds()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(f"#{secrets.token_hex(8)}\n")
        for tag, (last, last_hard, when) in changes.items():
            if when >= oldest:
                if last_hard:
                    file.write(f"{last_hard} 1 {when} {tag}\n")
                if last != last_hard:
                    file.write(f"{last} 0 {when} {tag}\n")
        file.write(line)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


SEQUENCE_KEY = "harness:changed-sequence"


def _restart_number():
    # Milliseconds since the epoch: above every earlier number unless a thousand changes a
    # second were recorded, and the clock does not go back.
    return int(time.time() * 1000)


def current_sequence():
    """The number of the last change recorded: read before a page is made, so that a change
    made while it renders (numbered after) makes it stale."""
    if _shared_cache():
        return cache.get(SEQUENCE_KEY) or 0
    read = _read_file_changes()
    return read[0] if read else 0


def record_change(tags, *, hard=False):
    """Mark ``tags`` as changed now (``hard``: what showed them may not be answered again).

    Changes are numbered, not timed, so clocks that differ between machines cannot hide one.
    Raises what the cache or the file raise: the caller starts a new generation instead."""
    tags = set(tags)
    if not tags:
        return
    if _shared_cache():
        try:
            sequence = cache.incr(SEQUENCE_KEY)
        except ValueError:
            # Never set, or evicted: start again above any number it can have given out.
            cache.add(SEQUENCE_KEY, _restart_number(), timeout=None)
            sequence = cache.incr(SEQUENCE_KEY)
        # A hard change has keys of its own: a soft change recorded at the same moment for
        # the same tag overwrites only the soft key, never the mark that hides the page.
        values = {CHANGE_KEY + tag: sequence for tag in tags}
        if hard:
            values.update({HARD_KEY + tag: sequence for tag in tags})
        cache.set_many(values, timeout=_keep_seconds())
    else:
        _write_file_changes(tags, hard)


FRESH, STALE, GONE = "fresh", "stale", "gone"


def state_since(tags, sequence):
    """``FRESH`` when none of ``tags`` changed after change number ``sequence``; ``GONE`` when
    one changed *hard* (or the changes cannot be read); ``STALE`` otherwise."""
    if not tags:
        return FRESH
    try:
        if _shared_cache():
            stored = cache.get_many([prefix + tag for tag in tags for prefix in KEYS])
            found = [
                (stored.get(CHANGE_KEY + tag, 0), stored.get(HARD_KEY + tag, 0))
                for tag in tags
                if CHANGE_KEY + tag in stored or HARD_KEY + tag in stored
            ]
        else:
            read = _read_file_changes()
            if read is None:
                return GONE
            changes = read[1]
            found = [changes[tag] for tag in tags if tag in changes]
    except Exception:
        log.warning("content changes: cannot be read; pages are made afresh", exc_info=True)
        return GONE
    state = FRESH
    for last, last_hard, *_ in found:
        if last_hard > sequence:
            return GONE
        if last > sequence:
            state = STALE
    return state
