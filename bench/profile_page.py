#!/usr/bin/env python3
"""Where one page's time goes: SQL queries per page, in-process time per request, and a profile
(pyinstrument) of repeated requests. Runs inside Django with the settings the environment gives
(bench/run.py calls it with the benchmark's production environment; collectstatic must have run).

    bench/profile_page.py --queries / /faq/ /compare/harness-engineer-vs-ai-engineer/
    bench/profile_page.py --profile /compare/harness-engineer-vs-ai-engineer/ --repeat 200
    bench/profile_page.py --calls / /compare/harness-engineer-vs-ai-engineer/
"""

import argparse
import json
import os
import re
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
    """Sample ``repeat`` requests with pyinstrument. Profiling slows the run: read the shares,
    not the milliseconds."""
    from pyinstrument import Profiler

    c = client()
    c.get(path)
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    started = time.process_time()
    profiler.start()
    for _ in range(repeat):
        c.get(path)
    profiler.stop()
    per_request = (time.process_time() - started) / repeat * 1000
    root = profiler.last_session.root_frame()
    print(f"{path}: {repeat} requests in-process, {per_request:.1f} ms CPU each while sampled\n")
    print("Where the time goes (share of the sampled time; indented lines are parts of the line")
    print("above, each measured at its outermost call):")
    for label, filename, function in AREAS:
        share = _area_time(root, filename, function) / root.time
        print(f"  {label:<34} {share:6.1%}")
    print(f"\nTop {top} functions by own time:")
    flat = profiler.output_text(flat=True, time="percent_of_total", show_all=True)
    print("\n".join(_trim(flat).splitlines()[:top]))
    result = measure(path, 0)
    print(f"\n{result['queries']} SQL queries for one request:")
    for sql in result["sql"]:
        print(f"  - {sql[:160]}{'…' if len(sql) > 160 else ''}")


def calls(paths, repeat):
    """Python function calls per request (cProfile): a measure of the work a page takes that
    the machine's speed and noise do not move."""
    import cProfile
    import pstats

    c = client()
    for path in paths:
        for _ in range(20):  # templates compiled, caches and prepared queries warm
            c.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            c.get(path)
        profiler.disable()
        print(f"{path}: {pstats.Stats(profiler).total_calls // repeat:,} calls a request")


def _area_time(frame, filename, function):
    """Time of the outermost calls of ``function`` in ``filename`` under ``frame``."""
    if frame.function == function and (frame.file_path or "").endswith(filename):
        return frame.time
    return sum(_area_time(child, filename, function) for child in frame.children)


def _trim(text):
    """The percentage lines of pyinstrument's flat report, with paths made short."""
    lines = [
        line
        for line in text.splitlines()
        if re.match(r"^\d+(\.\d+)?% ", line) and "[self]" not in line
    ]
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--queries", nargs="+", metavar="PATH", help="JSON: queries and ms per path")
    mode.add_argument(
        "--profile", metavar="PATH", help="profile repeated requests to PATH (pyinstrument)"
    )
    mode.add_argument("--calls", nargs="+", metavar="PATH", help="function calls per request")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, args.repeat, args.top)
    elif args.calls:
        calls(args.calls, args.repeat)
    else:
        results = {path: measure(path, args.repeat) for path in args.queries}
        for result in results.values():
            del result["sql"]
        print(json.dumps(results))


if __name__ == "__main__":
    main()
