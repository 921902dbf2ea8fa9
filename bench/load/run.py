"""Load test: gunicorn in production mode on PostgreSQL, readers and editors from locust.

Run from the project folder: ``make load-test`` (or ``.venv/bin/python bench/load/run.py``).
Everything stays on loopback and stops by itself; prints requests, failures and p95.

Environment: LOAD_DATABASE_URL (default: PostgreSQL database hc_load on 127.0.0.1),
LOAD_REDIS_URL (default: none, local-memory cache per worker), LOAD_PORT (8510),
LOAD_USERS (20, of which LOAD_EDITOR_USERS=4 are editors), LOAD_SPAWN_RATE (5),
LOAD_DURATION (2m), LOAD_WORKERS (3). Per-request statistics: bench/results/load_stats.csv.
"""

import csv
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/
import loopback

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hc_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "")
PORT = int(os.environ.get("LOAD_PORT", "8510"))
USERS = os.environ.get("LOAD_USERS", "20")
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "5")
DURATION = os.environ.get("LOAD_DURATION", "2m")
WORKERS = os.environ.get("LOAD_WORKERS", "3")
EDITORS = [f"load-editor-{n}" for n in range(1, 6)]

CREATE_EDITORS = """
import os
from django.contrib.auth.models import Group, User
group = Group.objects.get(name="Editors")
for name in os.environ["LOAD_EDITORS"].split(","):
    user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": True})
    user.set_password(os.environ["LOAD_EDITOR_PASSWORD"])
    user.save()
    user.groups.add(group)
"""


def production_env(**extra):
    return loopback.production_env(
        port=PORT, database_url=DATABASE_URL, redis_url=REDIS_URL, **extra
    )


def ensure_database():
    server, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_healthy(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {seconds}s")


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def summary(prefix):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    for row in rows:
        print(
            f"  {row['Name'][:28]:<28} {row['Request Count']:>7} req "
            f"{row['Failure Count']:>4} fail  p50 {row['50%']:>5} ms  p95 {row['95%']:>5} ms"
        )
    return next(row for row in rows if row["Name"] == "Aggregated")


def main():
    RESULTS.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    env = production_env(LOAD_EDITORS=",".join(EDITORS), LOAD_EDITOR_PASSWORD=password)
    ensure_database()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "shell", "-c", CREATE_EDITORS)
    manage(env, "axes_reset")

    print(f"load average before: {load_average()}  ({os.cpu_count()} CPUs)")
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "harness_cms.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", WORKERS, "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_healthy(f"http://127.0.0.1:{PORT}/healthz")
        prefix = RESULTS / "load"
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",
             "--users", USERS, "--spawn-rate", SPAWN_RATE, "--run-time", DURATION,
             "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING", "--logfile", f"{prefix}.log"],
            cwd=ROOT, env=env, timeout=60 * 15, check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    print(f"load average after:  {load_average()}")
    total = summary(prefix)
    print(
        f"\nrequests {total['Request Count']}, failures {total['Failure Count']}, "
        f"p95 {total['95%']} ms, {float(total['Requests/s']):.1f} req/s "
        f"({USERS} users of which {os.environ.get('LOAD_EDITOR_USERS', '4')} editors, "
        f"{DURATION}, {WORKERS} gunicorn workers, PostgreSQL"
        f"{', Redis' if REDIS_URL else ''})"
    )
    if int(total["Failure Count"]):
        with open(f"{prefix}_failures.csv", newline="") as failures:
            for row in csv.DictReader(failures):
                print(
                    f"  failed {row['Occurrences']}x: {row['Method']} {row['Name']}: {row['Error']}"
                )
    return 1 if int(total["Failure Count"]) or locust.returncode not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
