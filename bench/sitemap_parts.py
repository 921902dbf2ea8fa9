#!/usr/bin/env python3
"""Sitemaps as stored bytes, in-process through the whole middleware stack: the time to make
each sitemap file (the first request after a change) and to answer it as stored (every other
request), plain and gzipped; then a stored part of 50,000 URLs answered the same way (its
rows written here, as long as the scale data's longest paths, since the scale data holds
fewer items than one part).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h35bench bench/sitemap_parts.py
    DATABASE_URL=sqlite:////tmp/scale.sqlite3 bench/sitemap_parts.py /sitemap.xml --repeat 20

Not a test: the figures depend on the machine and what else runs on it.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness_cms.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from harness_cms.seo import views  # noqa: E402
from harness_cms.seo.stored import stored  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("paths", nargs="*", default=["/sitemap.xml"])
parser.add_argument("--repeat", type=int, default=20)
parser.add_argument("--urls", type=int, default=50_000)
args = parser.parse_args()


def timed(call, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


client = Client(HTTP_HOST="127.0.0.1")
report = {}
for path in args.paths:
    cache.clear()
    started = time.perf_counter()
    made = client.get(path)
    made_ms = (time.perf_counter() - started) * 1000
    plain_ms, plain = timed(lambda path=path: client.get(path), args.repeat)
    packed_ms, packed = timed(
        lambda path=path: client.get(path, headers={"accept-encoding": "gzip"}), args.repeat
    )
    report[path] = {
        "status": made.status_code,
        "urls": made.content.count(b"<url>") or made.content.count(b"<sitemap>"),
        "bytes": len(plain.content),
        "gzip bytes": len(packed.content),
        "made ms": round(made_ms, 1),
        "stored ms (median)": round(plain_ms, 2),
        "stored, gzipped ms (median)": round(packed_ms, 2),
    }

# A part at the protocol's limit, stored and answered by the same code as every part.
line = (
    "<url><loc>https://www.example.com/compare/{0}-data-platform-evaluation-lead-vs-{0}-"
    "context-reliability-engineer/</loc><lastmod>2026-12-02T15:00:00+00:00</lastmod></url>\n"
)
body = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    + "".join(line.format(i) for i in range(args.urls))
    + "</urlset>\n"
).encode()
cache.clear()
make_ms, _ = timed(lambda: views.StoredFile.of(body, views.XML, time.time()), 1)
stored("bench-part", lambda: views.StoredFile.of(body, views.XML, time.time()))
factory = RequestFactory()
plain_request = factory.get("/sitemap-items.xml")
packed_request = factory.get("/sitemap-items.xml", headers={"accept-encoding": "gzip"})


def answer(request):
    return views.file_response(request, stored("bench-part", lambda: None))


plain_ms, plain = timed(lambda: answer(plain_request), args.repeat)
packed_ms, packed = timed(lambda: answer(packed_request), args.repeat)
report[f"a stored part of {args.urls:,} URLs"] = {
    "bytes": len(plain.content),
    "gzip bytes": len(packed.content),
    "gzip once when made ms": round(make_ms, 1),
    "stored ms (median)": round(plain_ms, 2),
    "stored, gzipped ms (median)": round(packed_ms, 2),
}
print(json.dumps(report, indent=2))
