"""The environment for running the site in production mode on loopback, shared by the
benchmark (bench/run.py) and the load test (bench/load/run.py)."""

import os
import secrets


def production_env(*, port, database_url="", redis_url="", **extra):
    """The shell's environment without its Django, database and cache settings, plus production
    mode over plain HTTP on ``127.0.0.1:port`` and ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE"))
        and key not in {"REDIS_URL", "WEB_CONCURRENCY"}
    }
    env.update(
        DJANGO_DEBUG="0",
        # A fresh key per run: production settings need one, nothing outlives the run.
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies usable without TLS, no HSTS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        SITE_URL=f"http://127.0.0.1:{port}",
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env
