#!/usr/bin/env python3
"""The page cache under a page-number flood: how much it holds before, during and after.

Starts gunicorn in production mode on loopback with the demo content and a Redis database of
its own (emptied first: give one nothing else uses), visits every public page, then sends
a flood of addresses that name no page of their own (``?page=000123``, ``/faq/page/0007/``,
page numbers past the last) mixed with new content generations (as editors' saves make) and
visits of the real pages, and prints the number of stored pages and Redis' memory after
each phase. Bounded: under a minute on loopback.

    .venv/bin/python bench/page_flood.py --redis-url redis://127.0.0.1:6379/8
    .venv/bin/python bench/page_flood.py --redis-url ... --project /path/to/another/checkout
"""

import argparse
import os
import pickle
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loopback  # bench/, this script's folder

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""), required=False)
    parser.add_argument("--port", type=int, default=8410)
    parser.add_argument("--requests", type=int, default=3000, help="flood requests (3000)")
    parser.add_argument("--generations", type=int, default=20, help="content changes (20)")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to serve")
    args = parser.parse_args()
    if not args.redis_url:
        parser.error("--redis-url (or REDIS_URL) is required: a Redis database this may empty")
    return args


def manage(project, env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=project, env=env, check=True)


def get(origin, path):
    try:
        with urllib.request.urlopen(f"{origin}{path}", timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def public_paths(origin):
    """Every address in the sitemap, plus the lists."""
    _, body = get(origin, "/sitemap.xml")
    urls = [url.decode() for url in re.findall(rb"<loc>([^<]+)</loc>", body)]
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in urls}
    return sorted(paths | {"/", "/faq/", "/roles/", "/tags/", "/search/", "/sitemap.xml"})


def flood_paths(count):
    """Addresses that show an existing page but are not its address, or show none."""
    bases = ["/", "/faq/", "/roles/", "/tags/", "/search/", "/roles/harness-engineer/"]
    paths = []
    for n in range(count):
        kind = n % 4
        if kind == 0:
            paths.append(f"{bases[n % len(bases)]}?page={n:06d}")
        elif kind == 1:
            paths.append(f"{bases[n % len(bases)]}?page={n}")
        elif kind == 2:
            paths.append(f"/faq/page/{n:04d}/")
        else:
            paths.append(f"/faq/page/{n + 2}/")
    return paths


def measure(client, label):
    pages = sum(1 for _ in client.scan_iter(match="*harness:page:*", count=1000))
    memory = client.info("memory")["used_memory"]
    print(
        f"{label:48s} keys {client.dbsize():6,}  stored pages {pages:6,}  "
        f"Redis memory {memory / 1e6:7.2f} MB",
        flush=True,
    )
    return pages


def main():
    args = parse_args()
    started = time.monotonic()
    client = redis.Redis.from_url(args.redis_url)
    client.flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="page-flood-"))
    database_url = f"sqlite:///{workdir / 'site.sqlite3'}"
    env = loopback.production_env(
        port=args.port, database_url=database_url, redis_url=args.redis_url
    )
    manage(args.project, env, "migrate", "--no-input")
    manage(args.project, env, "load_demo")
    manage(args.project, env, "collectstatic", "--no-input")
    log = (workdir / "gunicorn.log").open("w")
    gunicorn = Path(PYTHON).parent / "gunicorn"
    config = args.project / "harness_cms" / "gunicorn_conf.py"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--config",
            str(config),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
        ],
        cwd=args.project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(origin, "/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")
            time.sleep(0.3)
        paths = public_paths(origin)
        print(f"{args.project}: {len(paths)} public addresses; Redis {args.redis_url}")
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda p: get(origin, p), paths))
            real = measure(client, "after visiting every public page")
            flood = flood_paths(args.requests)
            codes = list(pool.map(lambda p: get(origin, p)[0], flood))
            flooded = measure(client, f"after {len(flood):,} flood requests")
            generation_key = next(iter(client.scan_iter(match="*content-generation")), None)
            for _ in range(args.generations):
                # What an editor's save does to the cache: a new content generation (Django's
                # Redis cache pickles what it stores).
                if generation_key:
                    token = f"{time.time():.6f}-{secrets.token_hex(4)}"
                    client.set(generation_key, pickle.dumps(token))
                list(pool.map(lambda p: get(origin, p), paths))
            after = measure(client, f"after {args.generations} content changes, pages revisited")
        ok, missing = sum(c == 200 for c in codes), sum(c == 404 for c in codes)
        print(f"flood answers: {ok:,} × 200, {missing:,} × 404, {len(codes) - ok - missing} other")
        print(
            f"stored pages: {real} after the visit, {flooded} after the flood, {after} after "
            f"the content changes, for {len(paths)} addresses "
            f"({time.monotonic() - started:.0f} s in all)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main()
