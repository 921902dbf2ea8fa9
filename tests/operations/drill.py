"""Helpers for drills that run the real management commands against throw-away databases of
the same engine as the test run (SQLite files, or PostgreSQL databases next to the test one)."""

import os
import uuid

import dj_database_url
import psycopg

from tests.commands import run_manage


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
