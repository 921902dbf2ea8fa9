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
import os
import shutil
import sqlite3
import subprocess
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, connections, models
from django.utils import timezone

from harness_cms.core.generation import content_changed
from harness_cms.core.models import refresh_live_windows

# Rebuilt by `migrate` (content types, permissions) or transient (sessions, login attempts).
NOT_EXPORTED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
]


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def _engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _stamp():
    return timezone.now().strftime("%Y%m%d-%H%M%S")


def backup(directory):
    """Write a native backup and a JSON export into ``directory``; return their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    native = directory / f"harness-{stamp}.{'sqlite3' if _engine() == 'sqlite' else 'pgdump'}"
    if _engine() == "sqlite":
        _sqlite_backup(Path(settings.DATABASES["default"]["NAME"]), native)
    else:
        _pg_dump(native)
    export = directory / f"harness-{stamp}.json"
    export_json(export)
    return [native, export]


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
        _dumpdata(exclude=[*NOT_EXPORTED, *keep_pk], natural_primary=True),
        _dumpdata(*keep_pk, natural_primary=False) if keep_pk else [],
    ]
    with Path(path).open("w", encoding="utf-8") as out:
        json.dump(parts[0] + parts[1], out, indent=1, ensure_ascii=False)


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
    # The online backup API copies a consistent snapshot even while the site is writing.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


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


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{' '.join(command[:2])} failed: {result.stderr.strip()}")


def _pg_dump(target):
    env, name = _pg_environment()
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            name,
        ],
        env,
    )


def restore(path):
    """Replace the configured database's content with the backup at ``path``.

    ``.sqlite3`` and ``.pgdump`` files restore natively to their own engine; a ``.json`` export
    restores to either engine, into a migrated database whose content it replaces.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    engine = _engine()
    if path.suffix == ".json":
        _restore_json(path)
    elif path.suffix == ".sqlite3" and engine == "sqlite":
        connections.close_all()
        _sqlite_backup(path, Path(settings.DATABASES["default"]["NAME"]))
    elif path.suffix == ".pgdump" and engine == "postgresql":
        connections.close_all()
        env, name = _pg_environment()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        _run([*command, "--single-transaction", "--dbname", name, str(path)], env)
    else:
        raise BackupError(
            f"{path.name} cannot be restored into {engine}: use the .json export to move "
            "between SQLite and PostgreSQL."
        )
    # A native restore sends no model signals; stored pages show the content it replaced.
    content_changed()


def _restore_json(path):
    # Fresh tables first: then the export's primary keys cannot collide with rows already
    # there. migrate brings the schema; flush empties it and re-creates content types and
    # permissions, which the export refers to by natural key.
    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(path), verbosity=0)
    # An export written before items stored their public window carries none.
    refresh_live_windows()


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
