"""Gunicorn settings for production mode on one machine (``make serve``, the benchmark).

Command-line options override these, e.g. ``--workers 2`` or ``--bind 0.0.0.0:8000``.
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# Sync workers, each one request at a time: gunicorn's rule of thumb, (2 x CPUs) + 1, keeps the
# CPUs busy while some workers wait on the database. WEB_CONCURRENCY overrides it.
_cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (_cpus or 1) + 1)

# Load the app once in the master: a settings error (no secret key, no allowed hosts) stops the
# server with one clear message instead of a loop of failing workers.
preload_app = True
wsgi_app = "harness_cms.wsgi:application"

# Gunicorn ≥ 25.1 opens a control socket at one fixed path under $HOME; several servers on one
# machine (benchmark, make serve) would fight over it, and nothing here uses it.
control_socket_disable = True
