"""The restore drill: back up a site, restore into a fresh database, find the same content;
and a bad or interrupted restore changes nothing.

Runs the real `make backup` / `make restore` commands against throw-away databases of the
engine under test (SQLite files; PostgreSQL databases on the PostgreSQL run).
"""

import difflib
import json
import re
import shutil
import sqlite3
import stat
import subprocess
import uuid

import pytest

from tests.operations.drill import (
    Databases,
    engine,
    manage,
    manage_fails,
    restore_killed_midway,
)
from tests.security.conftest import report

NATIVE = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """A source site with the demo cluster, demo accounts and an editor's change, backed up."""
    dbs = Databases(tmp_path_factory.mktemp("drill"))
    source = dbs.url("source")
    manage(source, "migrate", "--no-input")
    manage(source, "load_demo")
    manage(source, "create_demo_accounts")
    manage(
        source,
        "shell",
        "-c",
        "from comparisons.models import Role; from django.contrib.auth.models import User; "
        "r = Role.objects.first(); r.updated_by = User.objects.get(username='editor'); "
        "r.lead = 'Changed by an editor: ü, 😀, <b>'; r.save(); r.tags.add('restored tag')",
    )
    # Someone logged in: a live session, which no backup may carry.
    session = manage(
        source,
        "shell",
        "-c",
        "from django.contrib.sessions.backends.db import SessionStore; "
        "s = SessionStore(); s['_auth_user_id'] = '1'; s.create(); print(s.session_key)",
    ).strip()
    backups = dbs.tmp_path / "backups"
    written = manage(source, "backup_site", "--dir", str(backups)).split()
    files = {path.suffix: path for path in backups.iterdir()}
    original = fingerprint(source)
    yield {
        "dbs": dbs,
        "source": source,
        "files": files,
        "written": written,
        "original": original,
        "session": session,
        "backups": backups,
    }
    dbs.drop_all()


def fingerprint(database_url):
    return json.loads(manage(database_url, "content_fingerprint", "--json"))


def assert_same_content(drill, restored_url):
    """The restored site's fingerprint equals the source's; if not, show the rows that differ."""
    restored, original = fingerprint(restored_url), drill["original"]
    if restored == original:
        return
    differing = sorted(
        label
        for label in original["models"]
        if restored["models"].get(label) != original["models"][label]
    )
    shown = []
    for label in differing:
        before = manage(drill["source"], "content_fingerprint", "--rows", label).splitlines()
        after = manage(restored_url, "content_fingerprint", "--rows", label).splitlines()
        diff = difflib.unified_diff(before, after, "source", "restored", n=0, lineterm="")
        shown.append(f"{label}:\n" + "\n".join(list(diff)[:20]))
    pytest.fail("restored content differs from the source in " + "\n\n".join(shown))


def test_backup_writes_a_native_copy_and_a_json_export(drill):
    assert set(drill["files"]) == {NATIVE[engine()], ".json"}
    rows = drill["original"]["rows"]
    assert rows["taggit.TaggedItem"] > 50 and rows["auth.User"] == 2 and rows["auth.Group"] == 2


def test_backups_are_readable_by_their_owner_only(drill):
    """They hold every account's password hash: 0600, in a 0700 directory (was 0644)."""
    assert stat.S_IMODE(drill["backups"].stat().st_mode) == 0o700
    for path in drill["files"].values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_backups_carry_no_session(drill):
    """A live session in a backup is a login anyone holding the file can take over."""
    native = drill["files"][NATIVE[engine()]]
    if engine() == "sqlite":
        assert drill["session"].encode() not in native.read_bytes()
        with sqlite3.connect(native) as copy:
            assert copy.execute("SELECT count(*) FROM django_session").fetchone() == (0,)
        copy.close()
    else:
        dumped = subprocess.run(
            [shutil.which("pg_restore"), "--data-only", "--table=django_session", "-f", "-",
             str(native)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert drill["session"] not in dumped
    export = drill["files"][".json"].read_text(encoding="utf-8")
    assert drill["session"] not in export and '"sessions.session"' not in export


def test_native_backup_restores_the_same_content_into_a_fresh_database(drill):
    fresh = drill["dbs"].url("native")
    manage(fresh, "restore_site", "--yes", str(drill["files"][NATIVE[engine()]]))
    original = drill["original"]
    assert_same_content(drill, fresh)
    report(
        f"restore drill ({engine()}, native): {sum(original['rows'].values())} rows, "
        f"fingerprint identical: {original['fingerprint'][:16]}"
    )


def test_json_export_restores_the_same_content_into_a_fresh_database(drill):
    fresh = drill["dbs"].url("json")
    manage(fresh, "restore_site", "--yes", str(drill["files"][".json"]))
    assert_same_content(drill, fresh)
    report(f"restore drill ({engine()}, JSON export): fingerprint identical")


def test_restore_replaces_content_added_since_the_backup(drill):
    site = drill["dbs"].url("replaced")
    manage(site, "restore_site", "--yes", str(drill["files"][NATIVE[engine()]]))
    manage(
        site,
        "shell",
        "-c",
        "from tests.factories import make_role; make_role('Added after the backup')",
    )
    assert fingerprint(site) != drill["original"]
    manage(site, "restore_site", "--yes", str(drill["files"][NATIVE[engine()]]))
    assert_same_content(drill, site)


# Moving a site from SQLite to PostgreSQL needs both: it is part of the PostgreSQL run.
if engine() == "postgresql":

    def test_json_export_moves_a_sqlite_site_to_postgresql(drill, tmp_path):
        sqlite_site = f"sqlite:///{tmp_path / 'site.sqlite3'}"
        manage(sqlite_site, "restore_site", "--yes", str(drill["files"][".json"]))
        manage(sqlite_site, "backup_site", "--dir", str(tmp_path / "from-sqlite"))
        export = next((tmp_path / "from-sqlite").glob("*.json"))
        postgres_site = drill["dbs"].url("moved")
        manage(postgres_site, "restore_site", "--yes", str(export))
        assert_same_content(drill, sqlite_site)
        assert_same_content(drill, postgres_site)


def test_a_native_backup_of_the_other_engine_is_refused_with_a_clear_error(drill, tmp_path):
    other = tmp_path / ("x.pgdump" if engine() == "sqlite" else "x.sqlite3")
    other.write_bytes(b"")
    site = drill["dbs"].url("refused")
    with pytest.raises(AssertionError, match=r"use the \.json export"):
        manage(site, "restore_site", "--yes", str(other))


def test_restore_without_yes_and_without_a_terminal_refuses(drill):
    site = drill["dbs"].url("asked")
    with pytest.raises(AssertionError, match="Add --yes"):
        manage(site, "restore_site", str(drill["files"][".json"]))


# --- a restore is all or nothing


@pytest.fixture
def live(drill):
    """A running site with the source's content: every refused or interrupted restore must
    leave its fingerprint as it was."""
    site = drill["dbs"].url(f"live_{uuid.uuid4().hex[:6]}")
    manage(site, "restore_site", "--yes", str(drill["files"][NATIVE[engine()]]))
    return site


def refused(drill, live, path, *, says):
    """Restoring ``path`` into the live site fails with a message saying ``says`` (no
    traceback) and the site's content is exactly what it was."""
    message = manage_fails(live, "restore_site", "--yes", str(path))
    assert says.lower() in message.lower() and "Nothing was restored" in message, message
    assert_same_content(drill, live)
    return message


def export_rows(drill):
    return json.loads(drill["files"][".json"].read_text(encoding="utf-8"))


def write_json(tmp_path, rows, name="bad.json"):
    path = tmp_path / name
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_a_truncated_json_export_is_refused(drill, live, tmp_path):
    data = drill["files"][".json"].read_bytes()
    path = tmp_path / "truncated.json"
    path.write_bytes(data[: len(data) // 2])
    refused(drill, live, path, says="not a complete JSON export")


def test_a_zero_byte_json_file_is_refused(drill, live, tmp_path):
    path = tmp_path / "zero.json"
    path.write_bytes(b"")
    refused(drill, live, path, says="is empty")


def test_an_empty_export_is_refused_unless_allowed(drill, live, tmp_path):
    path = write_json(tmp_path, [], "empty.json")
    refused(drill, live, path, says="--allow-empty")
    manage(live, "restore_site", "--yes", "--allow-empty", str(path))
    assert fingerprint(live)["rows"]["harness_cms.ContentItem"] == 0


def test_an_export_without_accounts_is_refused_unless_allowed(drill, live, tmp_path):
    rows = [row for row in export_rows(drill) if row["model"] != "auth.user"]
    refused(drill, live, write_json(tmp_path, rows), says="no user account")


def test_an_export_of_another_schema_is_refused(drill, live, tmp_path):
    """Each kind of schema mismatch is in tests/operations/test_restore_checks.py."""
    rows = [*export_rows(drill), {"model": "nowhere.thing", "pk": 1, "fields": {}}]
    refused(drill, live, write_json(tmp_path, rows), says="'nowhere.thing' is not a model")


def test_a_row_the_database_refuses_mid_load_rolls_the_whole_restore_back(drill, live, tmp_path):
    """The file checks out row by row, but its last row repeats an address another item has:
    the database refuses it after everything before it was loaded over the old content."""
    rows = export_rows(drill)
    item = next(row for row in rows if row["model"] == "harness_cms.contentitem")
    rows.append({**item, "pk": 99999})
    refused(drill, live, write_json(tmp_path, rows), says="unique")


def test_a_truncated_native_backup_is_refused(drill, live, tmp_path):
    native = drill["files"][NATIVE[engine()]]
    path = tmp_path / f"truncated{native.suffix}"
    path.write_bytes(native.read_bytes()[: native.stat().st_size // 2])
    refused(drill, live, path, says="truncated")


def test_a_zero_byte_native_backup_is_refused(drill, live, tmp_path):
    path = tmp_path / f"zero{NATIVE[engine()]}"
    path.write_bytes(b"")
    refused(drill, live, path, says="is empty")


def test_a_native_backup_of_another_database_is_refused(drill, live, tmp_path):
    """A database of the right engine that is not a Harness CMS site."""
    if engine() == "sqlite":
        path = tmp_path / "other.sqlite3"
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE notes (body TEXT)")
            other.execute("INSERT INTO notes VALUES ('not a site')")
        other.close()
    else:
        other = drill["dbs"].url("other")
        manage(
            other,
            "shell",
            "-c",
            "from django.db import connection; "
            "connection.cursor().execute('CREATE TABLE notes (body text)')",
        )
        path = tmp_path / "other.pgdump"
        subprocess.run(
            [shutil.which("pg_dump"), "--format=custom", "--file", str(path), "--dbname", other],
            check=True,
        )
    refused(drill, live, path, says="not a Harness CMS database")


def test_a_native_backup_of_an_empty_site_is_refused_unless_allowed(drill, live, tmp_path):
    empty = drill["dbs"].url(f"empty_{uuid.uuid4().hex[:6]}")
    manage(empty, "migrate", "--no-input")
    manage(empty, "backup_site", "--dir", str(tmp_path / "empty"))
    path = next((tmp_path / "empty").glob(f"*{NATIVE[engine()]}"))
    refused(drill, live, path, says="--allow-empty")


@pytest.mark.parametrize("kind", ["native", ".json"])
def test_a_restore_killed_midway_leaves_the_content_as_it_was(drill, live, tmp_path, kind):
    path = drill["files"][NATIVE[engine()] if kind == "native" else kind]
    # The restore must have something to overwrite: content the backup does not have.
    manage(live, "shell", "-c", "from tests.factories import make_role; make_role('Since')")
    before = fingerprint(live)
    restore_killed_midway(live, path, tmp_path)
    assert fingerprint(live) == before
    report(f"restore drill ({engine()}, {kind}): killed mid-way, fingerprint unchanged")


def test_backup_and_restore_say_what_they_do_and_how_it_ended(drill, live, tmp_path):
    """They printed nothing while they worked: an operator could not tell a slow restore
    from a hung one."""
    from tests.commands import run_manage

    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": live, "REDIS_URL": ""}
    backup = run_manage("backup_site", "--dir", str(tmp_path / "more"), env=env, timeout=300)
    assert re.search(
        r"INFO harness_cms\.operations\.backup \[-\] Backed up in [\d.]+ s", backup.stderr
    )
    restore = run_manage(
        "restore_site", "--yes", str(drill["files"][".json"]), env=env, timeout=300
    )
    assert "Restoring " in restore.stderr
    assert re.search(r"Loading harness-[\d-]+\.json: done, [\d,]+ rows in", restore.stderr)
    assert re.search(r"Restored harness-[\d-]+\.json in [\d.]+ s", restore.stderr)
