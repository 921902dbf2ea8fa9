"""Settings for the test suite: the environment's database and cache, fast hashing."""

import os
import tempfile
from pathlib import Path

# Production mode whatever the shell or the Makefile (which exports DJANGO_DEBUG=1) says: the
# suite checks the production HTTPS settings, cookies and headers.
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-" + "x" * 64)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "https://harness.example")
# The test client and the live server speak plain HTTP; production redirects to HTTPS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

# Parallel workers (pytest-xdist) each get a Redis database of their own: every test starts by
# clearing the cache, and Redis clears a whole database at once.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("REDIS_URL") and _worker.startswith("gw"):
    _server, _, _db = os.environ["REDIS_URL"].rpartition("/")
    _db = int(_db) if _db.isdigit() else 0
    os.environ["REDIS_URL"] = f"{_server}/{_db + 1 + int(_worker[2:])}"

from harness_cms.settings import *  # noqa: E402, F403
from harness_cms.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Logins over HTTP are throttled as in production; Client.login() (no request) still works.
AUTHENTICATION_BACKENDS = [
    "tests.auth_backends.ThrottleUnlessNoRequest",
    "django.contrib.auth.backends.ModelBackend",
]
# Serve static files from the source folders (no collectstatic before a test run); the live
# server of the browser tests needs them too.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The browser tests' live server answers requests on several threads at once (a page and its
# background fetches). An in-memory SQLite database would be one connection shared by all of
# them; a file gives each thread its own connection, as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}  # noqa: F405

# A test database is thrown away at the end of the run: its commits need not wait for the disk.
# The transactional tests (browser tests, restores, migrations) commit and empty every table
# after each test, and waited on the disk for each of those commits.
_options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _options["init_command"] = _options.get("init_command", "") + " PRAGMA synchronous=OFF;"
else:
    _options["options"] = (_options.get("options", "") + " -c synchronous_commit=off").strip()

# Uploaded images go to a folder of this test run's own.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="harness-media-"))

# The page cache is switched on by the tests that are about it (tests/page_cache/
# test_page_cache.py); elsewhere a second request must reach the view, e.g. to count queries.
PAGE_CACHE = False
# Local memory is per process: the content generation lives in a file of this test run's own.
PAGE_CACHE_GENERATION_FILE = str(
    Path(tempfile.mkdtemp(prefix="harness-tests-")) / "content-generation"
)

# Tasks wait in the database as in a default deployment, and no worker runs during the tests:
# whatever a test enqueues must leave the site working without it (tests/test_tasks.py runs a
# worker where a task's effect is under test).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
