#!/usr/bin/env python3
"""Where one page's time goes: SQL queries per page, in-process time per request, and a cProfile
of repeated requests. Runs inside Django with the settings the environment gives (bench/run.py
calls it with the benchmark's production environment; collectstatic must have run).

    bench/profile_page.py --queries / /faq/ /compare/harness-engineer-vs-ai-engineer/
    bench/profile_page.py --profile /compare/harness-engineer-vs-ai-engineer/ --repeat 200
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness_cms.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# Areas a request's time falls into, each measured by the cumulative time of one function.
AREAS = [
    ("whole request (handler)", "django/core/handlers/base.py", "get_response"),
    ("view: queries and context", "django/views/generic/base.py", "dispatch"),
    ("  building querysets (filter)", "django/db/models/query.py", "_filter_or_exclude"),
    ("  compiling SQL", "django/db/models/sql/compiler.py", "as_sql"),
    ("  running SQL", "django/db/backends/utils.py", "execute"),
    ("  model instances from rows", "django/db/models/base.py", "from_db"),
    ("template rendering", "django/template/response.py", "render"),
]


def client():
    return Client(HTTP_HOST="127.0.0.1")


def measure(path, repeat):
    """Status, bytes, queries of one request, and the median time of ``repeat`` more."""
    c = client()
    c.get(path)  # templates compiled, caches warm
    with CaptureQueriesContext(connection) as queries:
        response = c.get(path)
    # Read them now: the next request clears the connection's query log.
    sql = [query["sql"] for query in queries.captured_queries]
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        c.get(path)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(sql),
        "ms": round(statistics.median(wall) * 1000, 2) if wall else None,
        # CPU time of this process: what the page costs, whatever else the machine is doing
        # (the database's own work is included for SQLite, which runs in-process).
        "cpu_ms": round(statistics.median(cpu) * 1000, 2) if cpu else None,
        "sql": sql,
    }


def profile(path, repeat, top):
    c = client()
    c.get(path)
    # CPU time, not wall time: on a shared machine, waiting for the CPU is not the page's cost.
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for _ in range(repeat):
        c.get(path)
    profiler.disable()
    per_request = (time.process_time() - started) / repeat * 1000
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # own time of every function
    print(
        f"{path}: {repeat} requests in-process under cProfile, {per_request:.1f} ms CPU each "
        f"(profiling overhead included)\n"
    )
    print(
        "Where the time goes (cumulative time of one function per line; indented lines are "
        "parts of the line above):"
    )
    for label, filename, function in AREAS:
        cumulative = sum(
            row[3]
            for (file, _, name), row in stats.stats.items()
            if file.endswith(filename) and name == function
        )
        print(f"  {label:<32} {cumulative / repeat * 1000:7.2f} ms/request")
    out = io.StringIO()
    stats.stream = out
    print(f"\nTop {top} functions by own time (tottime); total profiled {total:.2f} s:")
    stats.sort_stats("tottime").print_stats(top)
    print(_trim(out.getvalue()))
    out.seek(0)
    out.truncate()
    print(f"Top {top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)
    print(_trim(out.getvalue()))
    result = measure(path, 0)
    print(f"{result['queries']} SQL queries for one request:")
    for sql in result["sql"]:
        print(f"  - {sql[:160]}{'…' if len(sql) > 160 else ''}")


def _trim(text):
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:] if line.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--queries", nargs="+", metavar="PATH", help="JSON: queries and ms per path")
    mode.add_argument("--profile", metavar="PATH", help="cProfile repeated requests to PATH")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, args.repeat, args.top)
    else:
        results = {path: measure(path, args.repeat) for path in args.queries}
        for result in results.values():
            del result["sql"]
        print(json.dumps(results))


if __name__ == "__main__":
    main()
