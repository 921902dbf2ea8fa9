#!/usr/bin/env python3
"""Site search at scale, in-process: the time of ``search()`` for a few queries, asked the
first time and asked again (answered from the cache), with the time of each SQL query of a
first ask. A first ask finds what every request shares made (the next scheduled time, the FAQ
index's lists, once per content generation); a first ask after a change makes those too.
Runs against whatever ``DATABASE_URL`` names (scale data: ``manage.py generate_scale_data``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h35bench bench/search_scale.py
    DATABASE_URL=sqlite:////tmp/scale.sqlite3 bench/search_scale.py --repeat 5 memory "ai engineer"

Run it on two checkouts of the code with the same database to compare them (``--root``).
``--fill-faqs N`` first adds N published FAQs of generated sentences (``bench-`` slugs, about
a quarter of them about memory), written with ``bulk_create`` in minutes where
``generate_scale_data`` renders each answer's Markdown; ``--fill-faqs 0 --clear`` removes them.
Not a test: the figures depend on the machine and what else runs on it.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("queries", nargs="*", default=["memory", "memory compaction", "ai engineer"])
parser.add_argument("--repeat", type=int, default=5)
parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
parser.add_argument("--fill-faqs", type=int, default=0)
parser.add_argument("--clear", action="store_true")
args = parser.parse_args()

sys.path.insert(0, args.root)
os.chdir(args.root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness_cms.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from harness_cms.search import selectors  # noqa: E402


def site_lists():
    """What every request shares, made once per content generation: the check of the next
    scheduled time and the FAQ index's lists (topic counts, the questions opening its pages)."""
    from faq import models as faq_models
    from harness_cms.core.generation import generation_for_now

    generation_for_now()
    faq_models.topic_counts()
    # A checkout from before the page starts (--root) has none to make.
    if hasattr(faq_models, "page_starts"):
        faq_models.page_starts()


def ask(text):
    started = time.perf_counter()
    page = selectors.search(selectors.parse_query(text))
    hits = list(page)
    return (time.perf_counter() - started) * 1000, page, hits


WORDS = [
    *("session persistence", "memory managers", "context compaction", "long-task drift"),
    *("context overload", "recovery behaviour", "tool calling", "retrieval", "context windows"),
    *("evaluation design", "memory layers", "orchestration", "model integration"),
    *("feature delivery", "prompt design", "latency budgets", "agent handoffs", "checkpointing"),
    *("state stores", "trace review", "regression suites", "cost control"),
]


def fill_faqs(count):
    """``count`` published FAQs of generated sentences, inserted in batches."""
    import random

    from django.utils import timezone
    from django.utils.html import escape

    from faq.models import FAQ

    rng = random.Random(18)
    now = timezone.now()
    batch = []
    for i in range(count):
        topic, other = rng.sample(WORDS, 2)
        question = f"How does a team handle {topic} next to {other} (case {i})?"
        sentences = [
            f"Teams that work on {rng.choice(WORDS)} usually start from {rng.choice(WORDS)}."
            for _ in range(rng.randint(3, 6))
        ]
        answer = " ".join(sentences)
        batch.append(
            FAQ(
                question=question,
                slug=f"bench-{i}",
                answer=answer,
                answer_html=f"<p>{escape(answer)}</p>",
                status="published",
                publish_at=now,
            )
        )
        if len(batch) == 5000:
            FAQ.objects.bulk_create(batch)
            batch = []
    FAQ.objects.bulk_create(batch)


if args.clear or args.fill_faqs:
    from django.db import transaction

    from faq.models import FAQ
    from harness_cms.core.generation import content_changed

    with transaction.atomic():
        if args.clear:
            FAQ.objects.filter(slug__startswith="bench-")._raw_delete(connection.alias)
        if args.fill_faqs:
            fill_faqs(args.fill_faqs)
    content_changed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE faq_faq")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

report = {"database": connection.vendor, "root": args.root, "queries": {}}
for text in args.queries:
    cache.clear()
    ask(text)  # statements prepared, pages of the index in memory
    # First ask: the query was not asked before; what every request shares is made, as on a
    # site that serves pages. After a change: nothing is kept, that is made again too.
    first, after_change = [], []
    for _ in range(args.repeat):
        cache.clear()
        site_lists()
        first.append(ask(text)[0])
        cache.clear()
        after_change.append(ask(text)[0])
    cache.clear()
    site_lists()
    with CaptureQueriesContext(connection) as captured:
        _, page, hits = ask(text)
    ask(text)  # the second ask stores the page
    again = [ask(text)[0] for _ in range(args.repeat)]
    report["queries"][text] = {
        "count shown": page.paginator.count,
        "capped": getattr(page, "capped", False),
        "hits on the page": len(hits),
        "first ask ms (best, median)": [round(min(first), 1), round(statistics.median(first), 1)],
        "first ask after a change ms (best, median)": [
            round(min(after_change), 1),
            round(statistics.median(after_change), 1),
        ],
        "asked again ms (median)": round(statistics.median(again), 1),
        "sql ms each (first ask)": [
            round(float(q["time"]) * 1000, 1) for q in captured.captured_queries
        ],
    }
print(json.dumps(report, indent=2))
