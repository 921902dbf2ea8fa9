"""The restore drill: back up a site, restore into a fresh database, find the same content.

Runs the real `make backup` / `make restore` commands against throw-away databases of the
engine under test (SQLite files; PostgreSQL databases on the PostgreSQL run).
"""

import difflib
import json

import pytest

from tests.operations.drill import Databases, engine, manage
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
    backups = dbs.tmp_path / "backups"
    written = manage(source, "backup_site", "--dir", str(backups)).split()
    files = {path.suffix: path for path in backups.iterdir()}
    original = fingerprint(source)
    yield {"dbs": dbs, "source": source, "files": files, "written": written, "original": original}
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
