#!/usr/bin/env python3
"""Throughput benchmark: gunicorn in production mode on loopback, loaded by wrk.

For each data set (the demo content; the demo plus generated scale data) it prepares a database,
starts gunicorn (DEBUG off, whitenoise, 2 sync workers by default), and loads each case below with
wrk for a fixed time after a warm-up. It prints requests/s, p50 and p99 latency, each page's
requests/s as a share of a static file of the same size served by the same server, the SQL
queries per page, and the scale/demo ratio; raw figures go to bench/results/*.json.

    make bench                                   # SQLite files under bench/data/
    make bench BENCH_ARGS="--database-url postgres://postgres@127.0.0.1:5432/hc_bench"
    bench/run.py --datasets demo --duration 5    # a quick look

Not a test: the figures depend on the machine and on whatever else runs on it (the load average
is recorded with every run).
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import loopback  # bench/, this script's folder

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
SEED_COMPARISON = "/compare/harness-engineer-vs-ai-engineer/"
STATIC = "static file"


@dataclass
class Case:
    """One URL to load. ``url`` is a path, or a function of the data set's sample paths.

    ``pending`` names work that will make the case measurable; until then it is listed, not
    loaded. ``env`` is extra server environment; cases with different env get their own server.
    """

    name: str
    url: object
    datasets: tuple = ("demo", "scale")
    pending: str = ""
    env: dict = field(default_factory=dict)


# Add a case with one line. The static file is written by the harness: a copy of the comparison
# page's bytes, served by whitenoise from the static root.
CASES = [
    Case(STATIC, url=None),
    Case("comparison (uncached)", SEED_COMPARISON),
    # Every other case runs with the page cache off (PAGE_CACHE=0 in production_env): they
    # measure rendering. This one is answered from the page cache after the warm-up.
    Case("comparison (cached)", SEED_COMPARISON, env={"PAGE_CACHE": "1"}),
    Case("comparison (generated)", lambda sample: sample["comparison"], datasets=("scale",)),
    Case("role page", "/roles/harness-engineer/"),
    Case("home hub", "/"),
    Case("FAQ index", "/faq/"),
    # One client asking thousands of searches a minute: the per-address limit (30 a minute,
    # decision 0089) would answer most with 429. A query asked again is answered from the
    # cache (decision 0141), so this measures a popular query; bench/search_scale.py times a
    # first ask.
    Case("search", "/search/?q=memory", env={"SEARCH_RATE_LIMIT": "100000000"}),
    # The sitemap index; its parts are stored bytes (decision 0140, bench/sitemap_parts.py).
    Case("sitemap", "/sitemap.xml"),
]

SAMPLE_CODE = """
import json
from comparisons.models import Comparison
from faq.models import FAQ
from harness_cms.core.models import ContentItem
from harness_cms.operations.scale_data import GENERATOR_USERNAME
mark = {"updated_by__username": GENERATOR_USERNAME}
generated = Comparison.objects.filter(**mark).order_by("pk").first()
print(json.dumps({
    "counts": {
        "items": ContentItem.objects.count(),
        "published items": ContentItem.objects.published().count(),
        "comparisons": Comparison.objects.count(),
        "faqs": FAQ.objects.count(),
        "generated items": ContentItem.objects.filter(**mark).count(),
    },
    "sample": {"comparison": generated.path if generated else None},
}))
"""


@dataclass
class Dataset:
    """One database to serve: its environment, port, cases and what is known about it."""

    name: str
    env: dict
    port: int
    cases: list
    counts: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)

    def server_env(self, case):
        return {**self.env, **case.env}

    def server_port(self, case):
        return self.port + env_groups(CASES).index(env_key(case))


def env_key(case):
    return tuple(sorted(case.env.items()))


def env_groups(cases):
    """The distinct case environments, the plain one first: one server each."""
    return sorted({env_key(case) for case in cases} | {()}, key=len)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    started = datetime.datetime.now(datetime.UTC)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    (BENCH / "results").mkdir(exist_ok=True)
    base_env = production_env(args)
    say(f"Load before: {uptime()}")
    run(["manage.py", "collectstatic", "--no-input", "--verbosity", "0"], base_env)
    report = {
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "started": started.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "git": git_describe(),
        "wrk": wrk_version(),
        "settings": load_settings(args),
        "uptime_before": uptime(),
    }
    datasets = []
    for offset, name in enumerate(args.datasets):
        # One port per server: each data set has a server per distinct case environment.
        port = args.port + offset * len(env_groups(CASES))
        env = {
            **base_env,
            "DATABASE_URL": database_url(args, name),
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
        prepare(name, env, args)
        info = json.loads(
            last_line(run(["manage.py", "shell", "--no-imports", "-c", SAMPLE_CODE], env))
        )
        say(f"[{name}] {info['counts']}")
        cases = [c for c in CASES if name in c.datasets and c.name in args.cases]
        dataset = Dataset(name, env, port, cases, counts=info["counts"])
        for case in cases:
            if case.name == STATIC:
                dataset.paths[case.name] = f"/static/bench/comparison-{name}.html"
            elif not case.pending:
                dataset.paths[case.name] = (
                    case.url(info["sample"]) if callable(case.url) else case.url
                )
        datasets.append(dataset)
    try:
        results = bench(datasets, args, stamp)
    finally:
        for dataset in datasets:
            static_twin(dataset).unlink(missing_ok=True)
    report["uptime_after"] = uptime()
    report["datasets"] = {
        dataset.name: {
            "database": redact(dataset.env["DATABASE_URL"]),
            "counts": dataset.counts,
            "cases": results[dataset.name],
        }
        for dataset in datasets
    }
    path = BENCH / "results" / f"{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print_report(report)
    say(f"Raw results: {path.relative_to(ROOT)}")


def load_settings(args):
    """How the load was made, as the raw results record it."""
    return {
        "workers": args.workers,
        "connections": args.connections,
        "threads": args.threads,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "rounds": args.rounds,
    }


def static_twin(dataset):
    return ROOT / "staticfiles" / "bench" / f"comparison-{dataset.name}.html"


def bench(datasets, args, stamp):
    """Serve every data set at once and load the cases round by round, alternating data sets,
    so that background load on the machine falls on all of them alike."""
    logs = {d.name: BENCH / "results" / f"{stamp}-gunicorn-{d.name}.log" for d in datasets}
    plain = Case(STATIC, url=None)
    # The static twin of the comparison page: same bytes, written before the servers start so
    # whitenoise (which indexes the static root at start-up) serves it.
    for dataset in datasets:
        with Server(dataset, plain, args, logs[dataset.name]) as server:
            body = server.get(SEED_COMPARISON)[1]
        static_twin(dataset).parent.mkdir(parents=True, exist_ok=True)
        static_twin(dataset).write_bytes(body)
    for dataset in datasets:
        for key in env_groups(dataset.cases):
            cases = [c for c in dataset.cases if env_key(c) == key and c.name != STATIC]
            pages = [dataset.paths[c.name] for c in cases if dataset.paths.get(c.name)]
            if not pages:
                continue
            say(f"[{dataset.name}] counting queries per page {dict(key) or ''}")
            command = [str(BENCH / "profile_page.py"), "--queries", *pages, "--repeat", "3"]
            counted = json.loads(run(command, {**dataset.env, **dict(key)}))
            for case in cases:
                dataset.queries[case.name] = counted.get(dataset.paths.get(case.name), {})
        if args.profile:
            say(f"[{dataset.name}] profile of {SEED_COMPARISON}")
            command = [str(BENCH / "profile_page.py"), "--profile", SEED_COMPARISON]
            print(run([*command, "--repeat", "100"], dataset.env))
    rounds = {d.name: {case.name: [] for case in d.cases} for d in datasets}
    with contextlib.ExitStack() as stack:
        servers = {
            (d.name, key): stack.enter_context(
                Server(d, Case("", None, env=dict(key)), args, logs[d.name])
            )
            for d in datasets
            for key in env_groups(d.cases)
        }
        for number in range(1, args.rounds + 1):
            for case in CASES:
                for dataset in datasets:
                    if case not in dataset.cases:
                        continue
                    done = rounds[dataset.name][case.name]
                    if done and "skipped" in done[0]:
                        continue  # skipped once (404, too slow, pending): the same every round
                    result = bench_case(
                        case,
                        dataset.paths.get(case.name),
                        servers[dataset.name, env_key(case)],
                        args,
                        dataset.queries.get(case.name, {}),
                    )
                    result["load_after"] = loadavg()
                    done.append(result)
                    where = f"[{dataset.name} {number}/{args.rounds}] {case.name}"
                    say(f"{where}: {summary_line(result)}")
    return {
        name: {case: combine(results) for case, results in cases.items()}
        for name, cases in rounds.items()
    }


def combine(results):
    """The median of each figure over the loaded rounds, with the spread of requests/s."""
    loaded = [result for result in results if "requests_per_s" in result]
    if len(loaded) < 2:
        return loaded[0] if loaded else results[0]
    combined = dict(loaded[0])
    for key in ("requests_per_s", "p50_ms", "p90_ms", "p99_ms", "server_cpu_ms"):
        values = [result[key] for result in loaded if result[key] is not None]
        combined[key] = statistics.median(values) if values else None
    combined["requests_per_s_range"] = [
        min(r["requests_per_s"] for r in loaded),
        max(r["requests_per_s"] for r in loaded),
    ]
    combined["errors"] = {
        kind: sum(r["errors"][kind] for r in loaded) for kind in loaded[0]["errors"]
    }
    combined["rounds"] = results
    return combined


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", default="demo,scale", type=lambda s: s.split(","))
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL; the data sets use databases named after it with _demo / _scale "
        "appended, created when missing (default: SQLite files in bench/data/)",
    )
    parser.add_argument("--redis-url", default="", help="REDIS_URL for the server (default: none)")
    parser.add_argument(
        "--port", type=int, default=8400, help="first port; one per data set (default: 8400)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="load each case this many times, alternating data sets, and report the median "
        "(use 3 or more on a busy machine)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per case")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unrecorded load first")
    parser.add_argument(
        "--cases",
        default=",".join(c.name for c in CASES),
        type=lambda s: {name.strip() for name in s.split(",")},
        help="comma-separated case names (default: all)",
    )
    parser.add_argument("--roles", type=int, default=210, help="scale data (default: 210)")
    parser.add_argument("--comparisons", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=2_000)
    parser.add_argument("--faqs", type=int, default=100_000)
    parser.add_argument(
        "--regenerate", action="store_true", help="replace existing scale data (else reused)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the comparison page per data set (pyinstrument)",
    )
    return parser.parse_args()


def production_env(args):
    # Cases measure rendering unless they switch the page cache on (Case.env).
    return loopback.production_env(port=args.port, redis_url=args.redis_url, PAGE_CACHE="0")


def database_url(args, dataset):
    if not args.database_url:
        (BENCH / "data").mkdir(exist_ok=True)
        return f"sqlite:///{BENCH / 'data' / dataset}.sqlite3"
    parts = urlsplit(args.database_url)
    name = f"{parts.path.strip('/')}_{dataset}"
    ensure_postgres_database(parts, name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_postgres_database(parts, name):
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"Created PostgreSQL database {name}")


def prepare(dataset, env, args):
    say(f"[{dataset}] migrate and load the demo content ({redact(env['DATABASE_URL'])})")
    run(["manage.py", "migrate", "--no-input", "--verbosity", "0"], env)
    run(["manage.py", "load_demo"], env)
    if dataset != "scale":
        return
    generate = [
        "manage.py",
        "generate_scale_data",
        f"--roles={args.roles}",
        f"--comparisons={args.comparisons}",
        f"--pages={args.pages}",
        f"--faqs={args.faqs}",
    ]
    count = int(
        last_line(
            run(
                [
                    "manage.py",
                    "shell",
                    "--no-imports",
                    "-c",
                    "from harness_cms.operations.scale_data import generated_count; "
                    "print(generated_count())",
                ],
                env,
            )
        )
    )
    if count and not args.regenerate:
        say(f"[scale] reusing the {count:,} generated items and FAQs (--regenerate replaces them)")
        return
    say("[scale] generating scale data (a few minutes)")
    run([*generate, *(["--clear"] if count else [])], env, stream=True)


def bench_case(case, path, server, args, queries):
    if case.pending:
        return {"skipped": f"not measured: {case.pending}"}
    if not path:
        return {"skipped": "no such page in this data set"}
    server.wait_until_idle()
    started = time.monotonic()
    status, body = server.get(path)
    single = round(time.monotonic() - started, 2)
    if status is None:
        return {"path": path, "skipped": f"no answer within {server.timeout} s"}
    if status == 404:
        return {"path": path, "skipped": "404: the URL does not exist on this branch"}
    if status != 200:
        return {"path": path, "skipped": f"answered {status}, not loaded"}
    if single > args.duration / 2:
        # A page this slow would complete a handful of requests at most: report its time.
        return {
            "path": path,
            "bytes": len(body),
            "single_request_s": single,
            "queries": queries.get("queries"),
            "in_process_cpu_ms": queries.get("cpu_ms"),
            "skipped": f"one request takes {single:.1f} s ({len(body) / 1e6:.1f} MB): "
            f"too slow to load for {args.duration} s; {queries.get('queries')} "
            "queries",
        }
    url = f"{server.origin}{path}"
    wrk = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--timeout", "30s"]
    wrk += ["-s", str(BENCH / "wrk_report.lua")]
    subprocess.run([*wrk, f"-d{args.warmup}s", url], capture_output=True, check=True)
    cpu_before = server.cpu_seconds()
    out = subprocess.run(
        [*wrk, f"-d{args.duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    cpu = server.cpu_seconds() - cpu_before
    figures = json.loads(out.split("BENCH-JSON ", 1)[1].splitlines()[0])
    seconds = figures["duration_us"] / 1e6
    if not figures["requests"]:
        return {
            "path": path,
            "bytes": len(body),
            "single_request_s": single,
            "skipped": f"no request completed under load in {args.duration} s "
            f"(one alone took {single:.1f} s)",
        }
    return {
        # CPU the server's processes spent per answered request: unlike requests/s, it barely
        # moves when other work competes for the machine.
        "server_cpu_ms": round(cpu * 1000 / figures["requests"], 3)
        if figures["requests"]
        else None,
        "path": path,
        "bytes": len(body),
        "requests_per_s": round(figures["requests"] / seconds, 1),
        "p50_ms": figures["p50_us"] / 1000,
        "p90_ms": figures["p90_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"],
        "requests": figures["requests"],
        "queries": queries.get("queries"),
        "in_process_ms": queries.get("ms"),
        "in_process_cpu_ms": queries.get("cpu_ms"),
    }


class Server:
    """gunicorn with the project's production config, on loopback, for one ``with`` block."""

    def __init__(self, dataset, case, args, log):
        self.env, self.port = dataset.server_env(case), dataset.server_port(case)
        self.args, self.log = args, log
        self.origin = f"http://127.0.0.1:{self.port}"
        self.timeout = 120

    def __enter__(self):
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "--config",
            str(ROOT / "harness_cms" / "gunicorn_conf.py"),
            "--workers",
            str(self.args.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            # Longer than production's 30 s, so a very slow page is measured, not killed.
            "--timeout",
            str(self.timeout),
        ]
        self.log_file = self.log.open("a")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start-up; see {self.log}")
            try:
                if self.get("/static/css/site.css")[0] == 200:
                    return self
            except (urllib.error.URLError, ConnectionError):
                pass  # not listening yet
            time.sleep(0.3)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()

    def cpu_seconds(self):
        """User + system CPU time of the gunicorn master and its workers so far."""
        pids = [self.process.pid, *children(self.process.pid)]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue  # a worker that just exited
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def wait_until_idle(self, *, quiet_for=0.5, limit=120):
        """Wait until the workers have finished what earlier load left queued: wrk closes
        its connections when its time is up, but a sync worker still answers every request
        it accepted (a slow page can keep both busy for seconds), and the next case's
        figures would include that wait."""
        deadline = time.monotonic() + limit
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(quiet_for)
            now = self.cpu_seconds()
            if now - before < quiet_for * 0.05:
                return
            before = now

    def get(self, path):
        try:
            with urllib.request.urlopen(f"{self.origin}{path}", timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except TimeoutError:
            return None, b""


def run(command, env, *, stream=False):
    """Run a project script (manage.py, bench/*.py) with ``env``; return its standard output."""
    full = [PYTHON, *command]
    if stream:
        subprocess.run(full, cwd=ROOT, env=env, check=True)
        return ""
    result = subprocess.run(full, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(command)}")
    return result.stdout


def last_line(output):
    return output.strip().splitlines()[-1]


def print_report(report):
    print()
    print(f"Command: {report['command']}")
    print(f"Machine: {report['machine']['cpus']} CPUs; {report['wrk']}; git {report['git']}")
    settings = report["settings"]
    print(
        f"Server: gunicorn, production settings, {settings['workers']} sync workers; "
        f"wrk {settings['threads']} thread(s), {settings['connections']} connections, "
        f"{settings['warmup_s']} s warm-up + {settings['duration_s']} s per case, "
        f"{settings['rounds']} round(s) alternating data sets (figures: the median)"
    )
    print(f"Load before: {report['uptime_before']}")
    print(f"Load after:  {report['uptime_after']}")
    header = (
        f"{'case':<24} {'KB':>6} {'req/s':>8} {'range':>13} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'vs static':>9} {'queries':>7} {'srv CPU':>8} {'CPU vs st':>9} {'errors':>6}"
    )
    for dataset, data in report["datasets"].items():
        print(f"\n{dataset}: {data['database']}")
        print("  " + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items()))
        print(header)
        print("-" * len(header))
        static = data["cases"].get(STATIC, {}).get("requests_per_s")
        static_cpu = data["cases"].get(STATIC, {}).get("server_cpu_ms")
        for name, result in data["cases"].items():
            if "skipped" in result:
                print(f"{name:<24} {result['skipped']}")
                continue
            ratio = f"{result['requests_per_s'] / static:8.1%}" if static else "       –"
            errors = sum(result["errors"].values())
            queries = "–" if result["queries"] is None else result["queries"]
            cpu = result.get("server_cpu_ms")
            server_cpu = "–" if cpu is None else f"{cpu:.2f}"
            cpu_ratio = f"{static_cpu / cpu:8.1%}" if cpu and static_cpu else "       –"
            low, high = result.get("requests_per_s_range", [result["requests_per_s"]] * 2)
            spread = f"{low:,.0f}–{high:,.0f}"
            print(
                f"{name:<24} {result['bytes'] / 1024:6.1f} {result['requests_per_s']:8,.0f} "
                f"{spread:>13} {result['p50_ms']:8.1f} {result['p99_ms']:8.1f} {ratio:>9} "
                f"{queries:>7} {server_cpu:>8} {cpu_ratio:>9} {errors:>6}"
            )
    print(
        "\nrange: lowest–highest req/s over the rounds. srv CPU: CPU ms the gunicorn processes "
        "spent per\nrequest under load; CPU vs st: the static file's CPU per request ÷ the "
        "page's — the share of\nthe static file's req/s the page would reach if the server had "
        "the CPUs to itself."
    )
    demo, scale = (report["datasets"].get(name) for name in ("demo", "scale"))
    if demo and scale:
        print("\nscale vs demo (demo req/s ÷ scale req/s; the aim is ≤ 1.2)")
        for name, result in demo["cases"].items():
            other = scale["cases"].get(name, {})
            if "requests_per_s" in result and "requests_per_s" in other:
                ratio = result["requests_per_s"] / other["requests_per_s"]
                print(f"  {name:<24} {ratio:6.2f}×")


def summary_line(result):
    if "skipped" in result:
        return result["skipped"]
    return (
        f"{result['requests_per_s']:,.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, {sum(result['errors'].values())} errors, "
        f"load {result['load_after']}"
    )


def children(pid):
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wrk_version():
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (result.stdout + result.stderr).strip().splitlines()[0]


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def loadavg():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def git_describe():
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def redact(url):
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def say(message):
    print(message, flush=True)


if __name__ == "__main__":
    main()
