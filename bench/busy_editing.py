#!/usr/bin/env python3
"""The busy editing day: readers spread over comparison pages while an editor saves an
unrelated FAQ every few seconds, with the page cache on (gunicorn in production mode, wrk).

    bench/busy_editing.py --root .                 # this checkout
    bench/busy_editing.py --root /tmp/before       # another checkout (git archive), same venv

Prints requests/s and p99 for readers with nobody editing and with one save every
``--every`` seconds, and their ratio. Readers go round the first ``--pages`` public items of
the database (comparisons first); an empty database gets the demo content (with scale data
from ``generate_scale_data`` in it, they spread over generated comparisons). Not a test:
figures depend on what else runs on the machine (the load average is printed).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import loopback  # bench/, this script's folder

BENCH = Path(__file__).resolve().parent
# Comparison pages first, then the other public items, up to --pages.
PATHS_CODE = """
from harness_cms.core.models import ContentItem
public = ContentItem.objects.published().order_by("-kind", "pk")
for path in public.values_list("path", flat=True)[:{n}]:
    print(path)
"""
# The editor: an FAQ that none of the loaded pages shows, saved every few seconds.
EDITOR_CODE = """
import time, sys
from faq.models import FAQ
unplaced = FAQ.objects.filter(placements__isnull=True).order_by("pk")
faq = unplaced.first() or FAQ.objects.order_by("-pk").first()
n = 0
while True:
    n += 1
    faq.answer = "An edited answer, version %d." % n
    faq.save()
    print("saved", n, flush=True)
    time.sleep({every})
"""
LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def manage(root, env, *args, capture=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    ).stdout


def wrk(port, script, duration, connections):
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            script,
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(next(line for line in out.splitlines() if "Requests/sec" in line).split()[-1])
    p99 = next(line for line in out.splitlines() if line.strip().startswith("99%")).split()[-1]
    return rate, p99


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(BENCH.parent), help="the checkout to serve")
    parser.add_argument("--database", default=str(BENCH / "data" / "busy.sqlite3"))
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--port", type=int, default=8480)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    root = Path(args.root).resolve()
    Path(args.database).parent.mkdir(exist_ok=True)
    env = loopback.production_env(
        port=args.port,
        database_url=f"sqlite:///{args.database}",
        redis_url=args.redis_url,
        PAGE_CACHE="1",
        DJANGO_TASKS_BACKEND="database",
        PAGE_CACHE_GENERATION_FILE=str(Path(args.database).with_suffix(".generation")),
    )
    manage(root, env, "migrate", "--no-input", "-v0")
    manage(root, env, "collectstatic", "--no-input", "-v0")
    paths = manage(root, env, "shell", "--no-imports", "-c", PATHS_CODE.format(n=args.pages))
    if not paths.split():
        manage(root, env, "load_demo")
        paths = manage(root, env, "shell", "--no-imports", "-c", PATHS_CODE.format(n=args.pages))
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "paths.txt"
        listing.write_text(paths)
        script = Path(folder) / "spread.lua"
        script.write_text(LUA % listing)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "harness_cms.wsgi",
                f"--bind=127.0.0.1:{args.port}",
                f"--workers={args.workers}",
            ],
            cwd=root,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            wrk(args.port, script, args.warmup, args.connections)
            quiet = wrk(args.port, script, args.duration, args.connections)
            editor = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "--no-imports",
                    "-c",
                    EDITOR_CODE.format(every=args.every),
                ],
                cwd=root,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            saves = []
            threading.Thread(target=lambda: saves.extend(editor.stdout), daemon=True).start()
            time.sleep(args.every + 1)
            busy = wrk(args.port, script, args.duration, args.connections)
            editor.terminate()
            editor.wait()
        finally:
            server.terminate()
            server.wait()
    print(
        f"root: {root}  load: {os.getloadavg()[0]:.1f}  pages: {args.pages}  "
        f"cache: {'Redis' if args.redis_url else 'local memory'}"
    )
    print(f"nobody editing:        {quiet[0]:8.0f} req/s  p99 {quiet[1]}")
    print(
        f"one save every {args.every:g} s:  {busy[0]:8.0f} req/s  p99 {busy[1]}  "
        f"({len(saves)} saves)"
    )
    print(f"kept: {busy[0] / quiet[0]:.0%} of the no-save rate")


if __name__ == "__main__":
    main()
