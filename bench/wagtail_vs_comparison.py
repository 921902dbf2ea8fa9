#!/usr/bin/env python3
"""Our cold comparison page against a Wagtail page of the same content, in one run.

Serves both with gunicorn (2 sync workers, production settings, loopback): ours as bench/run.py
does (demo data in bench/data/demo.sqlite3, page cache off), Wagtail 8.0.1 through
bench/wagtail/serve.py (its own virtual environment, made on first use). Then loads each page
with wrk in turn, round after round (3 s warm-up + 10 s each, wrk -t1 -c8, 2 rounds by default),
and prints the medians and our requests/s as a multiple of Wagtail's (issue 18's aim: ≥ 1.2×).

    bench/wagtail_vs_comparison.py                       # about 1 minute, plus set-up
    bench/wagtail_vs_comparison.py --duration 2 --warmup 1 --rounds 1   # a smoke run
"""

import argparse
import datetime
import json
import shutil
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import run  # bench/run.py, beside this script

BENCH = Path(__file__).resolve().parent
WAGTAIL = BENCH / "wagtail"
OURS = "comparison (uncached)"
THEIRS = "Wagtail page (same content)"


class Site:
    """What run.Server needs of a data set: an environment and a port."""

    def __init__(self, env, port):
        self.env, self.port = env, port

    def server_env(self, case):
        return {**self.env, **case.env}

    def server_port(self, case):
        return self.port


class WagtailServer(run.Server):
    """bench/wagtail/serve.py: it sets up the Wagtail site, then becomes gunicorn's master."""

    def __enter__(self):
        command = [
            sys.executable,
            str(WAGTAIL / "serve.py"),
            "--port",
            str(self.port),
            "--workers",
            str(self.args.workers),
            "--timeout",
            str(self.timeout),
        ]
        self.log_file = self.log.open("a")
        self.process = subprocess.Popen(
            command, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        # The first start creates the virtual environment: allow for it.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the Wagtail server stopped at start-up; see {self.log}")
            try:
                if self.get(run.SEED_COMPARISON)[0] == 200:
                    return self
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"the Wagtail server did not answer within 600 s; see {self.log}")


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (BENCH / "results").mkdir(exist_ok=True)
    log = BENCH / "results" / f"{stamp}-wagtail-vs-comparison.log"
    ours_port, wagtail_port = args.port, args.port + 1
    env = {
        **run.production_env(args),
        "DATABASE_URL": f"sqlite:///{BENCH / 'data' / 'demo'}.sqlite3",
        "SITE_URL": f"http://127.0.0.1:{ours_port}",
    }
    (BENCH / "data").mkdir(exist_ok=True)
    run.say(f"Load before: {run.uptime()}")
    run.run(["manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env)
    run.prepare("demo", env, args)
    queries = json.loads(
        run.run(
            [str(BENCH / "profile_page.py"), "--queries", run.SEED_COMPARISON, "--repeat", "3"],
            env,
        )
    ).get(run.SEED_COMPARISON, {})
    case = run.Case(OURS, run.SEED_COMPARISON)
    results = {OURS: [], THEIRS: []}
    with (
        run.Server(Site(env, ours_port), case, args, log) as ours,
        WagtailServer(Site({}, wagtail_port), case, args, log) as theirs,
    ):
        servers = {OURS: (ours, queries), THEIRS: (theirs, {})}
        for number in range(1, args.rounds + 1):
            for name, (server, counted) in servers.items():
                result = run.bench_case(case, run.SEED_COMPARISON, server, args, counted)
                result["load_after"] = run.loadavg()
                results[name].append(result)
                run.say(f"[{number}/{args.rounds}] {name}: {run.summary_line(result)}")
    combined = {name: run.combine(rounds) for name, rounds in results.items()}
    report = {
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "git": run.git_describe(),
        "wrk": run.wrk_version(),
        "settings": run.load_settings(args),
        "uptime_after": run.uptime(),
        "cases": combined,
    }
    path = BENCH / "results" / f"{stamp}-wagtail-vs-comparison.json"
    path.write_text(json.dumps(report, indent=2))
    print_table(combined, args)
    run.say(f"Load after: {report['uptime_after']}")
    run.say(f"Raw results: {path.relative_to(run.ROOT)}")


def print_table(combined, args):
    print()
    print(
        f"gunicorn {args.workers} sync workers, wrk -t{args.threads} -c{args.connections}, "
        f"{args.warmup} s warm-up + {args.duration} s, {args.rounds} round(s), medians"
    )
    header = f"{'case':<28} {'KB':>6} {'req/s':>8} {'range':>13} {'p50 ms':>8} {'p99 ms':>8} "
    header += f"{'srv CPU':>8} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for name, result in combined.items():
        if "skipped" in result:
            print(f"{name:<28} {result['skipped']}")
            continue
        low, high = result.get("requests_per_s_range", [result["requests_per_s"]] * 2)
        cpu = result.get("server_cpu_ms")
        print(
            f"{name:<28} {result['bytes'] / 1024:6.1f} {result['requests_per_s']:8,.0f} "
            f"{f'{low:,.0f}–{high:,.0f}':>13} {result['p50_ms']:8.1f} {result['p99_ms']:8.1f} "
            f"{'–' if cpu is None else f'{cpu:.2f}':>8} {sum(result['errors'].values()):>6}"
        )
    ours, theirs = combined[OURS], combined[THEIRS]
    if "requests_per_s" in ours and "requests_per_s" in theirs:
        ratio = ours["requests_per_s"] / theirs["requests_per_s"]
        print(f"\nours ÷ Wagtail, req/s: {ratio:.2f}× (issue 18's aim: ≥ 1.2×)")


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--port", type=int, default=8600, help="ours on this port, Wagtail on the next (8600)"
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per case")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unrecorded load first")
    args = parser.parse_args()
    args.redis_url = ""  # what run.production_env reads
    return args


if __name__ == "__main__":
    main()
