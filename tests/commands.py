"""Running ``manage.py`` in a child process, as an operator would, with only the environment a
test gives it (nothing of the test run's own Django settings or database leaks in)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, env=(), timeout=120):
    """``manage.py *args`` with the shell's environment minus ``DJANGO_*``/``DATABASE*``, plus
    ``env``; returns the finished process (output captured as text)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="harness_cms.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
