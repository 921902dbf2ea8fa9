#!/usr/bin/env python3
"""Serve the Wagtail benchmark page: gunicorn, 2 sync workers, production settings, loopback.

    bench/wagtail/serve.py                 # http://127.0.0.1:8600/compare/harness-engineer-vs-ai-engineer/
    bench/wagtail/serve.py --port 8610 --workers 2

Creates bench/wagtail/.venv from requirements.txt when missing (or when requirements.txt
changed), migrates the SQLite database in bench/wagtail/data/, creates the page when missing,
then replaces itself with gunicorn in the foreground (so the process id is gunicorn's master).
Runs with any Python ≥ 3.12; the site itself runs in its own virtual environment.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = HERE / "requirements.txt"
STAMP = VENV / ".installed"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn's worker timeout")
    args = parser.parse_args()
    ensure_venv()
    (HERE / "data").mkdir(exist_ok=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    manage("load_article")
    path = json.loads((HERE / "content.json").read_text())["path"]
    print(f"Serving http://127.0.0.1:{args.port}{path}", flush=True)
    gunicorn = str(VENV / "bin" / "gunicorn")
    os.chdir(HERE)
    os.execv(  # noqa: S606  (a fixed program of our own venv: gunicorn takes over this process)
        gunicorn,
        [
            gunicorn,
            "--config",
            str(HERE / "gunicorn_conf.py"),
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--timeout",
            str(args.timeout),
        ],
    )


def ensure_venv():
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    python = find_python()
    print(f"Creating {VENV} from {REQUIREMENTS.name} (a minute)", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True
    )
    STAMP.write_text(wanted)


def find_python():
    """The first Python ≥ 3.12, looked for as the Makefile's FIND_PYTHON does."""
    home = Path.home()
    candidates = [
        sys.executable,
        *(shutil.which(name) for name in ("python3.14", "python3.13", "python3.12", "python3")),
        *sorted(map(str, home.glob(".pyenv/versions/3.1[2-9]*/bin/python3"))),
        *sorted(map(str, home.glob(".local/share/uv/python/*3.1[2-9]*/bin/python3"))),
        *sorted(map(str, Path("/usr/local/bin").glob("python3.1[2-9]"))),
        *sorted(map(str, Path("/usr/bin").glob("python3.1[2-9]"))),
    ]
    check = "import sys; sys.exit(sys.version_info < (3, 12))"
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", check], capture_output=True).returncode == 0:
            return candidate
    sys.exit("bench/wagtail needs Python 3.12 or newer: none was found")


def manage(*command):
    subprocess.run([str(PYTHON), "manage.py", *command], cwd=HERE, check=True)


if __name__ == "__main__":
    main()
