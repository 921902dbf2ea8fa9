"""Backups and restores of the whole site, and a fingerprint to prove a restore complete.

Two kinds of backup are taken together:

- a native copy: SQLite's online backup API, or ``pg_dump --format=custom`` on PostgreSQL —
  fast, exact, restorable only to the same engine;
- a portable JSON export (``dumpdata`` with natural keys): content types, permissions, groups
  and users are referred to by name, so it loads into any freshly migrated database, SQLite or
  PostgreSQL. Tags, revisions and every table an app adds come along by themselves; only
  tables that are rebuilt or transient are left out (``NOT_EXPORTED``).
"""

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from contextlib import closing, contextmanager
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core import serializers
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
)
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_save
from django.utils import timezone

from harness_cms.core.generation import content_changed
from harness_cms.core.models import ContentItem, refresh_live_windows

log = logging.getLogger(__name__)

# Rebuilt by `migrate` (content types, permissions) or transient (sessions, login attempts).
NOT_EXPORTED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    # The RQ dashboard's model has no table (installed with DJANGO_TASKS_BACKEND=rq).
    "django_rq",
]
NATIVE_SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


class Progress:
    """How far a long step has come, in the log: a line every few seconds, and a summary."""

    INTERVAL = 5.0

    def __init__(self, what, *, total=None, unit="rows"):
        self.what, self.total, self.unit = what, total, unit
        self.done = 0
        self.started = self.reported = time.monotonic()

    def advance(self, count=1):
        self.done += count
        now = time.monotonic()
        if now - self.reported >= self.INTERVAL:
            self.reported = now
            of = f" of {self.total:,}" if self.total else ""
            log.info("%s: %s%s %s", self.what, f"{self.done:,}", of, self.unit)

    def finish(self):
        log.info(
            "%s: done, %s %s in %.1f s",
            self.what,
            f"{self.done:,}",
            self.unit,
            time.monotonic() - self.started,
        )


def _engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _stamp():
    return timezone.now().strftime("%Y%m%d-%H%M%S")


# Tables whose rows a backup leaves out of the native copy too: live logins (a session in a
# backup is a login anyone holding the file could take over).
NOT_COPIED = ["django_session"]


def backup(directory):
    """Write a native backup and a JSON export into ``directory``; return their paths.

    Both hold every account's password hash: they are readable by their owner only (0600, in
    a 0700 directory when this makes it), and carry no session.
    """
    directory = Path(directory)
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True)
    stamp = _stamp()
    native = _private_file(directory / f"harness-{stamp}{NATIVE_SUFFIX[_engine()]}")
    log.info("Backing up the %s database into %s", _engine(), native)
    started = time.monotonic()
    if _engine() == "sqlite":
        _sqlite_backup(Path(settings.DATABASES["default"]["NAME"]), native)
        _drop_sessions(native)
    else:
        _pg_dump(native)
    log.info("%s: %s bytes", native.name, f"{native.stat().st_size:,}")
    export = _private_file(directory / f"harness-{stamp}.json")
    export_json(export)
    log.info(
        "Backed up in %.1f s: %s (%s bytes) and %s (%s bytes)",
        time.monotonic() - started,
        native.name,
        f"{native.stat().st_size:,}",
        export.name,
        f"{export.stat().st_size:,}",
    )
    return [native, export]


def _private_file(path):
    """An empty file at ``path`` only its owner may read or write (a new file, never one
    already there)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError as error:
        raise BackupError(f"{path} exists already: try again in a second.") from error
    return path


def _drop_sessions(copy):
    """Empty the tables NOT_COPIED in a SQLite copy, and rewrite it so that no deleted row
    stays readable in its free pages; as a file of its own (no WAL beside it)."""
    with closing(sqlite3.connect(copy)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        for table in NOT_COPIED:
            if table in tables:
                db.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a constant of this module
        db.commit()
        db.execute("VACUUM")


def _natural_key_is_unique(model):
    """False for models whose declared natural key does not identify one row.

    django-taggit's TaggedItem says its natural key is ``object_id`` alone: loaded by natural
    key, every tag of one object would overwrite the last. Such models keep their primary keys
    in the export.
    """
    fields = getattr(model, "natural_key_fields", None)
    if fields is None:
        return True
    opts = model._meta
    if len(fields) == 1 and opts.get_field(fields[0]).unique:
        return True
    unique_sets = [set(group) for group in opts.unique_together]
    unique_sets += [set(c.fields) for c in opts.constraints if getattr(c, "fields", None)]
    return any(group <= set(fields) for group in unique_sets)


def export_json(path):
    """The portable export: every table but the rebuilt and transient ones, natural keys."""
    keep_pk = [m._meta.label for m in exported_models() if not _natural_key_is_unique(m)]
    parts = [
        _dumpdata(exclude=[*_installed(NOT_EXPORTED), *keep_pk], natural_primary=True),
        _dumpdata(*keep_pk, natural_primary=False) if keep_pk else [],
    ]
    with Path(path).open("w", encoding="utf-8") as out:
        json.dump(parts[0] + parts[1], out, indent=1, ensure_ascii=False)


def _installed(labels):
    """The labels of apps (or their models) this configuration has: dumpdata refuses others."""
    return [
        label
        for label in labels
        if apps.is_installed(label.split(".")[0])
        or label.split(".")[0] in {config.label for config in apps.get_app_configs()}
    ]


def _dumpdata(*labels, natural_primary, exclude=()):
    out = StringIO()
    call_command(
        "dumpdata",
        *labels,
        natural_foreign=True,
        natural_primary=natural_primary,
        exclude=list(exclude),
        stdout=out,
        verbosity=0,
    )
    return json.loads(out.getvalue() or "[]")


def _sqlite_backup(source, target):
    """Copy the SQLite database ``source`` into ``target`` with the online backup API, which
    copies a consistent snapshot even while the site writes, in one write transaction of
    ``target``, logging its progress."""
    progress = Progress(f"Copying {Path(source).name} into {Path(target).name}", unit="pages")

    def copied(status, remaining, total):
        progress.total = total
        progress.advance(total - remaining - progress.done)

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst, pages=SQLITE_PAGES_PER_STEP, progress=copied)
    progress.finish()


def _pg_environment():
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    return env, db["NAME"]


def _require(program):
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (apt install postgresql-client).")


def _pg_dump(target):
    env, name = _pg_environment()
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--verbose"]
    command += [f"--exclude-table-data={table}" for table in NOT_COPIED]
    _run_with_progress([*command, "--file", str(target), name], env, f"pg_dump of {name}")


def restore(path, *, allow_empty=False):
    """Replace the configured database's content with the backup at ``path``, all or nothing.

    ``.sqlite3`` and ``.pgdump`` files restore natively to their own engine; a ``.json`` export
    restores to either engine, into a migrated database whose content it replaces. The whole
    file is checked first (complete, this site's schema, not empty unless ``allow_empty``),
    then swapped in as one transaction: a refused file, a row the database rejects or a
    process killed part-way leaves the content exactly as it was.
    """
    path = Path(path)
    engine = _engine()
    restorers = {".json": _restore_json, NATIVE_SUFFIX[engine]: NATIVE_RESTORE[engine]}
    if path.suffix not in restorers:
        raise BackupError(
            f"{path.name} cannot be restored into {engine}: a backup ends in .json (either "
            f"engine) or {NATIVE_SUFFIX[engine]}; use the .json export to move between SQLite "
            f"and PostgreSQL. {NOTHING_RESTORED}"
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _refused(path, f"cannot be read ({error.strerror})") from error
    if not path.is_file():
        raise _refused(path, "is not a file")
    if size == 0:
        raise _refused(path, "is empty (0 bytes): not a backup")
    log.info("Restoring %s (%s bytes) into %s", path, f"{size:,}", engine)
    started = time.monotonic()
    rows = restorers[path.suffix](path, allow_empty=allow_empty)
    # A native restore sends no model signals; stored pages show the content it replaced.
    content_changed()
    log.info("Restored %s in %.1f s (%s)", path.name, time.monotonic() - started, rows)


NOTHING_RESTORED = "Nothing was restored: the site's content is as it was."


def _refused(path, reason):
    return BackupError(f"{path.name} {reason}. {NOTHING_RESTORED}")


def _not_empty(path, *, users, items, allow_empty):
    """Refuse a backup that would leave nobody able to log in, or no content, unless asked."""
    if allow_empty:
        return
    if not users and not items:
        reason = "holds no content and no user account: restoring it would empty the site"
    elif not users:
        reason = "holds no user account: nobody could log in after restoring it"
    elif not items:
        reason = "holds no content: restoring it would empty the site"
    else:
        return
    raise _refused(path, f"{reason} (add --allow-empty to restore it anyway)")


# --- JSON export


def _restore_json(path, *, allow_empty):
    rows = _read_export(path)
    counts = Counter(row["model"].lower() for row in rows)
    _not_empty(
        path,
        users=counts[User._meta.label_lower],
        items=counts[ContentItem._meta.label_lower],
        allow_empty=allow_empty,
    )
    log.info("%s: %s rows checked against this site's schema", path.name, f"{len(rows):,}")
    # The schema first (a no-op when it is current): it changes no content.
    call_command("migrate", interactive=False, verbosity=0)
    progress = Progress(f"Loading {path.name}", total=len(rows), unit="rows")
    try:
        # One transaction: the old content is gone only once the new content is all in.
        with transaction.atomic(), _reporting_saves(progress):
            # Fresh tables first: then the export's primary keys cannot collide with rows
            # already there. flush empties every table (sessions and login attempts too: they
            # belong to the accounts being replaced) and re-creates content types, permissions
            # and groups, which the export refers to by natural key.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
            # An export written before items stored their public window carries none.
            refresh_live_windows()
    except (DatabaseError, DeserializationError, ObjectDoesNotExist) as error:
        raise _refused(path, f"was refused by the database: {_first_line(error)}") from error
    progress.finish()
    return f"{len(rows):,} rows"


def _read_export(path):
    """The rows of the export at ``path``, each checked against this site's models."""
    try:
        with path.open(encoding="utf-8") as export:
            rows = json.load(export)
    except UnicodeDecodeError as error:
        raise _refused(path, f"is not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise _refused(
            path,
            f"is not a complete JSON export ({error.msg}: line {error.lineno}, "
            f"column {error.colno}): truncated or damaged",
        ) from error
    if not isinstance(rows, list):
        raise _refused(path, "is not a JSON export: it must hold a list of rows")
    exported = {model._meta.label_lower: model for model in exported_models()}
    problems = []
    for number, row in enumerate(rows, 1):
        problems += [f"row {number}: {problem}" for problem in _row_problems(row, exported)]
        if len(problems) >= 10:
            problems.append("…")
            break
    if problems:
        raise _refused(path, "does not fit this site's schema:\n  " + "\n  ".join(problems))
    return rows


def _row_problems(row, exported):
    """What in one exported row this site's database would refuse, or what it cannot mean.

    The checks are the schema's, the same on both engines (a row PostgreSQL would refuse is
    refused on SQLite too): known model and fields, values of the field's type, no null where
    the column forbids it, lengths, choices, integer ranges and no NUL characters. Rules of
    the forms (validators) are not re-applied: a backup restores what the site held.
    """
    if not isinstance(row, dict) or not isinstance(row.get("model"), str):
        return ['not a row (a row is {"model": ..., "fields": {...}})']
    label = row["model"].lower()
    model = exported.get(label)
    if model is None:
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            return [f"{row['model']!r} is not a model of this site"]
        return [f"{row['model']!r} is not part of a backup (it is rebuilt or transient)"]
    if not isinstance(row.get("fields"), dict):
        return [f"{label} has no fields"]
    problems = []
    for name, value in row["fields"].items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"{label} has no field {name!r}")
            continue
        problem = _value_problem(field, value)
        if problem:
            problems.append(f"{label}.{name}: {problem}")
    return problems


def _value_problem(field, value):
    if field.many_to_many:
        return None if isinstance(value, list) else "must be a list"
    if not field.concrete:
        return "is not a stored field"
    if value is None:
        return None if field.null else "must not be null"
    if field.is_relation:
        # A primary key or a natural key: the database checks that it points at a row.
        return None
    try:
        value = field.to_python(value)
    except ValidationError as error:
        return " ".join(error.messages)
    if isinstance(value, str):
        if "\x00" in value:
            return "contains a NUL character, which PostgreSQL cannot store"
        if field.max_length and len(value) > field.max_length:
            return f"{len(value):,} characters, at most {field.max_length:,} allowed"
    choices = {choice for choice, _ in field.flatchoices} if field.choices else None
    if choices and value not in field.empty_values and value not in choices:
        return f"{value!r} is not one of its choices"
    limits = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())
    if limits and isinstance(value, int) and not limits[0] <= value <= limits[1]:
        return f"{value} is outside {limits[0]}…{limits[1]}"
    return None


@contextmanager
def _reporting_saves(progress):
    """Advance ``progress`` on every row loaddata saves (it sends ``post_save`` with ``raw``)."""

    def saved(sender, raw=False, **kwargs):
        if raw:
            progress.advance()

    post_save.connect(saved, weak=False, dispatch_uid="harness_cms.operations.restore")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="harness_cms.operations.restore")


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --- native SQLite copy


def _restore_sqlite(path, *, allow_empty):
    counts = _check_sqlite_backup(path)
    _not_empty(path, allow_empty=allow_empty, **counts)
    connections.close_all()
    # One write transaction of the live database: a reader sees the old content until it
    # commits, and a copy cut short is rolled back from the journal when it is next opened.
    _sqlite_backup(path, Path(settings.DATABASES["default"]["NAME"]))
    return f"{counts['items']:,} items, {counts['users']:,} accounts"


# Pages copied between progress reports (16 MB with SQLite's default 4 KB pages).
SQLITE_PAGES_PER_STEP = 4096


def _check_sqlite_backup(path):
    """``{"users": n, "items": n}`` of a sound SQLite file of this site; refuse anything else."""
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise _refused(path, "is not a SQLite database")
    required = {"django_migrations", User._meta.db_table, ContentItem._meta.db_table}
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            check = db.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                found = "; ".join(row[0] for row in check[:3])
                raise _refused(path, f"is damaged or truncated ({found})")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not required <= tables:
                raise _refused(path, "is not a Harness CMS database (it lacks the site's tables)")
            _known_migrations(path, db.execute("SELECT app, name FROM django_migrations"))
            return {
                key: db.execute(f'SELECT count(*) FROM "{model._meta.db_table}"').fetchone()[0]  # noqa: S608
                for key, model in (("users", User), ("items", ContentItem))
            }
    except sqlite3.DatabaseError as error:
        raise _refused(path, f"is damaged or truncated ({error})") from error


def _known_migrations(path, applied):
    """Refuse a database that a newer version of the site has migrated further."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(
        f"{app}.{name}" for app, name in applied if app in installed and (app, name) not in known
    )
    if unknown:
        raise _refused(
            path, f"was made by a newer version of the site (unknown migration {unknown[0]})"
        )


# --- native PostgreSQL dump


def _restore_pgdump(path, *, allow_empty):
    env, name = _pg_environment()
    counts = _check_pgdump(path, env)
    _not_empty(path, allow_empty=allow_empty, **counts)
    connections.close_all()
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    # --single-transaction: all or nothing, whatever stops pg_restore part-way.
    command += ["--single-transaction", "--exit-on-error", "--verbose", "--dbname", name]
    errors = _run_with_progress([*command, str(path)], env, f"pg_restore of {path.name}")
    if errors is not None:
        raise _refused(path, "was refused by pg_restore: " + " ".join(errors[:3]))
    return f"{counts['items']:,} items, {counts['users']:,} accounts"


def _run_with_progress(command, env, what):
    """Run a PostgreSQL client with ``--verbose``, its lines counted as progress; None when it
    succeeds, else its error lines."""
    _require(command[0])
    progress = Progress(what, unit="objects")
    errors = []
    with subprocess.Popen(  # noqa: S603
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        for line in process.stderr:
            progress.advance()
            if ": error:" in line or line.startswith(("pg_restore: detail", "DETAIL")):
                errors.append(line.strip())
    if process.returncode != 0:
        if command[0] == "pg_dump":
            raise BackupError(f"pg_dump failed: {' '.join(errors[:3])}")
        return errors or [f"exit status {process.returncode}"]
    progress.finish()
    return None


def _check_pgdump(path, env):
    """``{"users": n, "items": n}`` of a complete pg_dump of this site; refuse anything else."""
    _require("pg_restore")
    listing = _pg_restore(path, env, "--list", "--file", "-")
    required = {"django_migrations", User._meta.db_table, ContentItem._meta.db_table}
    tables = {
        parts[parts.index("TABLE") + 2]
        for parts in (line.split() for line in listing.splitlines() if not line.startswith(";"))
        if "TABLE" in parts and parts.index("TABLE") + 2 < len(parts)
    }
    if not required <= tables:
        raise _refused(path, "is not a Harness CMS database (it lacks the site's tables)")
    # Reading every byte (into nowhere) finds a dump cut short.
    _pg_restore(path, env, "--file", os.devnull)
    counts = {}
    for key, model in (("users", User), ("items", ContentItem)):
        data = _pg_restore(path, env, "--data-only", "--table", model._meta.db_table, "--file", "-")
        counts[key] = _copied_rows(data)
    return counts


def _pg_restore(path, env, *options):
    command = ["pg_restore", *options, str(path)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        found = result.stderr.strip().replace("\n", " ")
        raise _refused(path, f"is not a complete PostgreSQL backup: damaged or truncated ({found})")
    return result.stdout


def _copied_rows(script):
    """The number of rows in the ``COPY … FROM stdin`` blocks of a pg_restore script."""
    rows, copying = 0, False
    for line in script.splitlines():
        if copying:
            if line == "\\.":
                copying = False
            else:
                rows += 1
        elif line.startswith("COPY ") and line.endswith("FROM stdin;"):
            copying = True
    return rows


NATIVE_RESTORE = {"sqlite": _restore_sqlite, "postgresql": _restore_pgdump}


# --- fingerprint


def exported_models():
    """The models a backup must carry: every model except the rebuilt and transient ones."""
    excluded_apps = {label for label in NOT_EXPORTED if "." not in label}
    excluded_models = {label for label in NOT_EXPORTED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and model._meta.managed
        and not model._meta.proxy
    ]


def _canonical(record, datetime_fields):
    for name, value in record["fields"].items():
        if isinstance(value, list) and all(not isinstance(v, list) for v in value):
            record["fields"][name] = sorted(value, key=json.dumps)
        elif name in datetime_fields and isinstance(value, str):
            record["fields"][name] = _to_milliseconds(value)
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _to_milliseconds(value):
    """One spelling per instant at the JSON export's precision. Django's serializer keeps
    milliseconds and writes none for a whole second: 12:00:05.000412 is written ``…05.000Z``,
    and once restored from the export (12:00:05.000000) ``…05Z``. Both become ``…05.000Z``."""
    if value.endswith("Z") and "." not in value:
        return value[:-1] + ".000Z"
    return value


def canonical_rows(model):
    """``model``'s rows as sorted canonical JSON lines: natural keys for primary and foreign
    keys, many-to-many lists sorted, so two databases with the same content give equal lines."""
    rows = json.loads(
        serializers.serialize(
            "json",
            model._default_manager.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    )
    datetime_fields = {
        field.name for field in model._meta.fields if isinstance(field, models.DateTimeField)
    }
    return sorted(_canonical(row, datetime_fields) for row in rows)


def fingerprint():
    """``(sha256, {model label: row count}, {model label: sha256})`` of everything a backup
    must carry, independent of row order and of the primary keys that natural keys replace."""
    digest = hashlib.sha256()
    counts, per_model = {}, {}
    for model in sorted(exported_models(), key=lambda m: m._meta.label):
        lines = canonical_rows(model)
        counts[model._meta.label] = len(lines)
        model_digest = hashlib.sha256()
        digest.update(model._meta.label.encode())
        for line in lines:
            digest.update(line.encode())
            model_digest.update(line.encode())
        per_model[model._meta.label] = model_digest.hexdigest()
    return digest.hexdigest(), counts, per_model
