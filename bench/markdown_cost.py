#!/usr/bin/env python3
"""What a Markdown render costs: python-markdown as shipped, the site's engine (the same with
its quadratic processors replaced) and the site's render (the engine in its worker process,
under the time budget), for ordinary text and for the shapes that made python-markdown
quadratic, at the FAQ answer's limit (5,000 characters) and the body's (200,000).

    .venv/bin/python bench/markdown_cost.py                      # a minute or two
    .venv/bin/python bench/markdown_cost.py --stock-limit 20000  # minutes more

python-markdown as shipped is measured up to ``--stock-limit`` characters only (5,000): past
it several shapes take minutes. The engine alone gets a budget of 10 s. Figures are seconds of
wall time, best of ``--rounds``.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness_cms.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

import markdown  # noqa: E402
from django.conf import settings  # noqa: E402

from harness_cms.core import markdown as site_markdown  # noqa: E402
from harness_cms.core import markdown_engine  # noqa: E402

DEMO = ROOT / "harness_cms" / "content_files" / "demo_content"


def demo_text():
    """The demo content's Markdown bodies, front matter left out."""
    parts = []
    for path in sorted(DEMO.glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        parts.append(text.split("---", 2)[2] if text.startswith("---") else text)
    return "\n\n".join(parts)


def repeat(unit, n):
    return (unit * (n // len(unit) + 1))[:n]


SHAPES = {
    "demo articles (ordinary text)": lambda n: repeat(demo_text() + "\n\n", n),
    "dense inline markup": lambda n: repeat("Some **bold**, `code` and [a link](/x/).\n\n", n),
    "runs of [": lambda n: "[" * n,
    "runs of ![": lambda n: repeat("![", n),
    "links never closed [a](": lambda n: repeat("[a](", n),
    "link titles never closed": lambda n: repeat('[a](x "y)', n),
    "one heading repeated": lambda n: repeat("# h\n", n),
    "setext headings": lambda n: repeat("a\n===\n", n),
    "distinct headings": lambda n: "".join(f"## h{i}\n" for i in range(n // 7))[:n],
    "raw HTML <a<a<a": lambda n: repeat("<a", n),
    "backslashes": lambda n: "\\" * n,
    "nested lists": lambda n: repeat("".join("  " * i + "- a\n" for i in range(60)), n),
}


def stock(text):
    md = markdown.Markdown(
        extensions=[*markdown_engine.EXTENSIONS, markdown_engine.DemoteH1Extension()],
        extension_configs=markdown_engine.EXTENSION_CONFIGS,
    )
    md.convert(text)


def site(text):
    site_markdown._convert.cache_clear()
    try:
        site_markdown.render(text)
    except site_markdown.MarkdownTooComplex:
        return "refused"
    return "rendered"


ENGINE_CAP = 10
_engine_worker = markdown_engine.Worker()


def engine(text):
    """The engine alone, in a worker of its own with a 10 s budget (some shapes still take
    minutes)."""
    try:
        _engine_worker.convert(text, budget=ENGINE_CAP)
    except markdown_engine.RenderAborted as aborted:
        return "crash" if "Error" in str(aborted) else f">{ENGINE_CAP}"
    return "rendered"


def best_of(function, text, rounds=3):
    times, outcome = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        try:
            outcome = function(text)
        except RecursionError:
            outcome = "RecursionError"
        times.append(time.perf_counter() - started)
    return min(times), outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stock-limit", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    budget = settings.MARKDOWN_RENDER_BUDGET
    sizes = sorted({5_000, args.stock_limit, 200_000})
    print(f"Render budget: {budget} s of CPU (MARKDOWN_RENDER_BUDGET); best of {args.rounds}.")
    print(f"{'shape':32s} {'size':>8s} {'shipped':>9s} {'engine':>8s} {'site render':>20s}")
    site("warm up the worker")
    engine("and this one")
    for name, make in SHAPES.items():
        for size in sizes:
            text = make(size)
            shipped = "-"
            if size <= args.stock_limit:
                seconds, outcome = best_of(lambda t: stock(t), text, args.rounds)
                shipped = f"{seconds:.3f}" if outcome != "RecursionError" else "crash"
            seconds, outcome = best_of(engine, text, 1)
            engined = f"{seconds:.3f}" if outcome == "rendered" else outcome
            seconds, outcome = best_of(site, text, args.rounds)
            print(
                f"{name:32s} {size:>8,} {shipped:>9s} {engined:>8s} {seconds:>9.3f} {outcome:>10s}",
                flush=True,
            )


if __name__ == "__main__":
    main()
