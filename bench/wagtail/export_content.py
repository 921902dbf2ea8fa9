#!/usr/bin/env python3
"""Write content.json: the demo comparison page's content, taken from our own site's HTML.

Run with the project's virtual environment (it renders the page in-process, page cache off):

    .venv/bin/python bench/wagtail/export_content.py

It loads the demo content into a throw-away SQLite database, renders
/compare/harness-engineer-vs-ai-engineer/ in production mode and keeps what the Wagtail page
shows: the title, the description, the lead, the article's body (everything in <article> after
its header: contents, sections, the comparison table, FAQ, related pages) and the JSON-LD.
"""

import html as entities
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import loopback  # noqa: E402  (bench/, beside this folder)

PATH = "/compare/harness-engineer-vs-ai-engineer/"

RENDER = f"""
import sys
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get({PATH!r})
assert response.status_code == 200, response.status_code
sys.stdout.write(response.content.decode())
"""


def main():
    with tempfile.TemporaryDirectory() as folder:
        env = loopback.production_env(
            port=8600,
            database_url=f"sqlite:///{folder}/demo.sqlite3",
            PAGE_CACHE="0",
        )
        for command in (
            ["migrate", "--no-input", "--verbosity", "0"],
            ["load_demo"],
            ["collectstatic", "--no-input", "--verbosity", "0"],
        ):
            manage(command, env)
        html = manage(["shell", "--no-imports", "-c", RENDER], env)
    content = extract(html)
    (HERE / "content.json").write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")
    print(f"{PATH}: {len(html.encode()):,} bytes; wrote {HERE / 'content.json'}")


def manage(command, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def extract(html):
    def one(pattern, *, text=False):
        match = re.search(pattern, html, flags=re.S)
        if not match:
            raise SystemExit(f"not found in the page: {pattern}")
        found = match.group(1).strip()
        return entities.unescape(found) if text else found

    return {
        "path": PATH,
        "seo_title": one(r"<title>(.*?)</title>", text=True),
        "search_description": one(r'<meta name="description" content="(.*?)">', text=True),
        "title": one(r'<article class="item comparison">.*?<h1>(.*?)</h1>', text=True),
        "lead": one(r'<div class="lead">(.*?)</div>'),
        "body": one(r'<article class="item comparison">.*?</header>(.*)</article>'),
        "structured_data": one(r'<script type="application/ld\+json">(.*?)</script>'),
    }


if __name__ == "__main__":
    main()
