"""Helpers for drills that run the real management commands against throw-away databases of
the same engine as the test run (SQLite files, or PostgreSQL databases next to the test one)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid

import dj_database_url
import psycopg

from tests.commands import ROOT, run_manage


def engine():
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


class Databases:
    """Throw-away databases: ``url(name)`` makes one; ``drop_all()`` removes them."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.created = []
        if engine() == "postgresql":
            config = dj_database_url.parse(os.environ["DATABASE_URL"])
            self.prefix = f"{config['NAME']}_drill_{uuid.uuid4().hex[:6]}"
            self.server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]

    def url(self, name):
        if engine() == "sqlite":
            return f"sqlite:///{self.tmp_path / name}.sqlite3"
        database = f"{self.prefix}_{name}"
        self._admin(f'CREATE DATABASE "{database}"')
        self.created.append(database)
        return f"{self.server}/{database}"

    def drop_all(self):
        for database in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _admin(self, sql):
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(sql)


def manage(database_url, *args):
    """Run ``manage.py *args`` in development mode against ``database_url``; return stdout."""
    # An empty REDIS_URL: each drill process keeps its own local-memory cache.
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": database_url, "REDIS_URL": ""}
    result = run_manage(*args, env=env, timeout=300)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}"
    return result.stdout


def manage_fails(database_url, *args):
    """Run ``manage.py *args`` expecting a refusal; return its stderr (a message, no traceback)."""
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": database_url, "REDIS_URL": ""}
    result = run_manage(*args, env=env, timeout=300)
    assert result.returncode != 0, f"manage.py {' '.join(args)} succeeded:\n{result.stdout}"
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def restore_killed_midway(database_url, path, tmp_path):
    """Start ``restore_site path`` and kill it (SIGKILL, with every process it started) while
    its one transaction is open: after the first rows are written over the old content."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "harness_cms.settings",
    }
    marker = tmp_path / f"stalled-{uuid.uuid4().hex[:6]}"
    if engine() == "postgresql" and str(path).endswith(".pgdump"):
        # pg_restore writes in a process of its own: hold a lock on a table it must drop, so
        # that it waits part-way through its transaction.
        _kill_pg_restore_midway(database_url, path, env)
        return
    command = [sys.executable, "-m", "tests.operations.stalled_restore", str(path), str(marker)]
    child = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert child.poll() is None, "the restore ended before it could be interrupted"
            assert time.monotonic() < deadline, "the restore never started writing"
            time.sleep(0.05)
    finally:
        _kill(child)


def _kill_pg_restore_midway(database_url, path, env):
    with psycopg.connect(database_url) as holder:
        holder.execute("LOCK TABLE harness_cms_contentitem IN ACCESS SHARE MODE")
        command = [sys.executable, "manage.py", "restore_site", "--yes", str(path)]
        child = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        try:
            deadline = time.monotonic() + 240
            while not _pg_restore_is_waiting(database_url):
                assert child.poll() is None, "the restore ended before it could be interrupted"
                assert time.monotonic() < deadline, "pg_restore never reached the locked table"
                time.sleep(0.05)
        finally:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        holder.rollback()


def _pg_restore_is_waiting(database_url):
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_restore' "
            "AND datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return row[0] > 0


def _kill(child):
    """SIGKILL ``child`` and every process it started, as a power cut would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
