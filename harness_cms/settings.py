"""Settings for Harness CMS, read from the environment.

Development needs nothing set except ``DJANGO_DEBUG=1`` (the Makefile sets it). Production mode
(``DJANGO_DEBUG`` unset or 0) refuses to start without a real secret key and allowed hosts.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1 or 0.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Development only: production mode refuses any key starting with "django-insecure".
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG=0) needs a secret key "
            "of at least 50 random characters; for local development set DJANGO_DEBUG=1."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. In production mode list the host names the site "
        "answers to, comma-separated (e.g. DJANGO_ALLOWED_HOSTS=www.example.com)."
    )

# The public origin used for canonical URLs, sitemaps, feeds and structured data.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Mail (review notifications): printed to the console in development, SMTP in production.
_email_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_host = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
_email_tls = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
_email_ssl = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
if _email_tls and _email_ssl:
    raise ImproperlyConfigured("Set DJANGO_EMAIL_USE_TLS or DJANGO_EMAIL_USE_SSL, not both.")
_smtp = _email_backend.endswith("smtp.EmailBackend")
if (
    not DEBUG
    and _smtp
    and _email_host not in ("localhost", "127.0.0.1", "::1")
    and not (_email_tls or _email_ssl)
):
    raise ImproperlyConfigured(
        f"Mail to {_email_host} would travel unencrypted, password included: set "
        "DJANGO_EMAIL_USE_TLS=1 (port 587) or DJANGO_EMAIL_USE_SSL=1 (port 465)."
    )
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": _email_host,
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "465" if _email_ssl else "587")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": _email_tls,
            "use_ssl": _email_ssl,
            "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10")),
        }
        if _smtp
        else {},
    }
}
# Deleted items stay in the admin's trash this many days; manage.py purge_trash removes older.
TRASH_RETENTION_DAYS = int(os.environ.get("DJANGO_TRASH_RETENTION_DAYS", "30"))

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Harness CMS <cms@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "harness_cms.topics.apps.TagsConfig",  # django-taggit, named for editors
    "reversion",
    # The content core first (and the image library it shows), then the content apps, then
    # what works on them (docs/architecture.md).
    "harness_cms.images",
    "harness_cms.core",
    "comparisons",
    "pages",
    "faq",
    "harness_cms.editorial",
    "harness_cms.seo",
    "harness_cms.search",
    "harness_cms.topics",
    "harness_cms.page_cache",
    "harness_cms.content_files",
    "harness_cms.operations",
    "harness_cms.notifications",
]

MIDDLEWARE = [
    # Outermost: every log line of a request, and its response, carry the request's id.
    "harness_cms.operations.logs.RequestIdMiddleware",
    # Next: a stored page is answered before sessions, users and messages are looked at; it
    # carries the headers the middleware below set when it was made (docs/decisions/0043).
    "harness_cms.page_cache.middleware.PageCacheMiddleware",
    # ETag on every page and 304 answers to conditional requests (the page cache answers its own).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "harness_cms.seo.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "harness_cms.urls"
WSGI_APPLICATION = "harness_cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harness_cms.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an editor saves; IMMEDIATE avoids "database is locked" on
    # write transactions that start as reads. Connections are kept like PostgreSQL's
    # (DATABASE_CONN_MAX_AGE): opening one costs ~0.85 ms with these pragmas and Django's SQL
    # functions, 6 % of an uncached page. A restore writes into the same file through SQLite's
    # backup API, which kept connections see.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "harness"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "harness-cms",
        }
    }

# Background work (cache warming, notifications...) goes through Django's Tasks framework
# (docs/decisions/0110-background-tasks.md). DJANGO_TASKS_BACKEND picks where tasks wait:
# "database" (django-tasks-db, the default without Redis: `manage.py db_worker` runs them),
# "rq" (django-tasks-rq, the default with REDIS_URL: `manage.py rqworker --job-class
# django_tasks_rq.Job` on any machine runs them) or "immediate" (run inside the request that
# enqueues them, no worker). Nothing a visitor or an editor sees waits for a task: with no
# worker, queued tasks wait and the site works as before.
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "rq" if REDIS_URL else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND={TASKS_BACKEND!r}: use 'database', 'rq' or 'immediate'."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# The database backend's table exists whichever backend runs, so switching loses nothing.
INSTALLED_APPS += ["django_tasks_db"]
if TASKS_BACKEND == "rq":
    # The queue lives in Redis: REDIS_URL's server, or RQ_REDIS_URL to keep it apart.
    RQ_REDIS_URL = os.environ.get("RQ_REDIS_URL", REDIS_URL)
    if not RQ_REDIS_URL:
        raise ImproperlyConfigured(
            "DJANGO_TASKS_BACKEND=rq needs a Redis server: set REDIS_URL or RQ_REDIS_URL."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": RQ_REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    RQ_SHOW_ADMIN_LINK = False

# Whole public pages for anonymous visitors (docs/decisions/0043-page-cache.md). PAGE_CACHE=0
# turns it off (the benchmark's "uncached" case); pages then still get ETag and 304s.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
# An upper bound only: pages are dropped on the next content change or scheduled time anyway.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", 3600))
# How long a page whose content changed may still be answered while one request makes its
# replacement (decision 0111); what went offline or was deleted is never answered again.
PAGE_CACHE_STALE_SECONDS = float(os.environ.get("PAGE_CACHE_STALE_SECONDS", "5"))
# Without Redis the cache is per process, so the content generation that invalidates pages is
# kept in a file every process on the machine reads (default: one per database in the
# project's private .run/ directory).
PAGE_CACHE_GENERATION_FILE = os.environ.get("PAGE_CACHE_GENERATION_FILE", "")

# CPU seconds a Markdown render may take before it is refused with a form error
# (docs/decisions/0081): an article at the 200,000-character limit takes about 0.2 s.
MARKDOWN_RENDER_BUDGET = float(os.environ.get("MARKDOWN_RENDER_BUDGET", "0.5"))

# Searches one client address may run a minute (docs/decisions/0089); more is a 429.
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "30"))

# Change notifications (docs/decisions/0105): on publish, unpublish and address change the site
# pings IndexNow when INDEXNOW_KEY is set (8-128 letters, digits or hyphens; served at
# /<key>.txt) and POSTs a signed JSON body to each of CHANGE_WEBHOOK_URLS (comma-separated),
# in the background. Nothing is sent when neither is set.
INDEXNOW_KEY = os.environ.get("INDEXNOW_KEY", "")
if INDEXNOW_KEY and not re.fullmatch(r"[A-Za-z0-9-]{8,128}", INDEXNOW_KEY):
    raise ImproperlyConfigured("INDEXNOW_KEY: 8 to 128 letters, digits or hyphens.")
INDEXNOW_ENDPOINT = os.environ.get("INDEXNOW_ENDPOINT", "https://api.indexnow.org/indexnow")
CHANGE_WEBHOOK_URLS = env_list("CHANGE_WEBHOOK_URLS")
for _hook in CHANGE_WEBHOOK_URLS:
    if not re.fullmatch(r"https?://\S+", _hook):
        raise ImproperlyConfigured(f"CHANGE_WEBHOOK_URLS: {_hook!r} is not an http(s) address.")
CHANGE_WEBHOOK_SECRET = os.environ.get("CHANGE_WEBHOOK_SECRET", "")
if CHANGE_WEBHOOK_URLS and not DEBUG and len(CHANGE_WEBHOOK_SECRET) < 32:
    # Receivers could not tell our calls from anyone's.
    raise ImproperlyConfigured(
        "CHANGE_WEBHOOK_URLS needs CHANGE_WEBHOOK_SECRET (32 characters or more) to sign with."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One way to write a moment in the admin, "2 Dec 2026, 14:05 UTC" (decision 0120).
FORMAT_MODULE_PATH = ["harness_cms.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images: files under MEDIA_ROOT served at /media/ by default; on several app servers
# an S3-compatible bucket through django-storages (docs/deployment.md, decision 0061).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_STORAGE = os.environ.get("DJANGO_MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _bucket = os.environ.get("DJANGO_MEDIA_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured(
            "DJANGO_MEDIA_STORAGE=s3 needs DJANGO_MEDIA_BUCKET (and the AWS_* credentials or an "
            "instance role); see docs/deployment.md."
        )
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": os.environ.get("DJANGO_MEDIA_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("DJANGO_MEDIA_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", MEDIA_URL)
else:
    raise ImproperlyConfigured(
        f"DJANGO_MEDIA_STORAGE={MEDIA_STORAGE!r}: use 'filesystem' (the default) or 's3'."
    )
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content Security Policy for the public site and the admin alike: everything from this origin,
# nothing inline that executes, no framing. JSON-LD blocks are data, not scripts, so pages need
# no per-request nonce and stay cacheable (docs/decisions).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if MEDIA_URL.startswith(("https://", "http://")):
    # Images served from a bucket or CDN of their own (DJANGO_MEDIA_URL).
    SECURE_CSP["img-src"].append("/".join(MEDIA_URL.split("/")[:3]))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# An editor pasting a long article must get a form error ("at most N characters"), not a
# 400 from the request parser: let bodies up to ~12 MB reach the form's validation.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The largest change form the admin makes (a comparison with every inline at its limit of 200
# rows, harness_cms.core.widgets.MAX_INLINE_ROWS) has some 5,300 fields; Django's default of
# 1,000 refused any save of an item with ~150 rows with a bare 400. A test keeps the two in step.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

TAGGIT_CASE_INSENSITIVE = True


def logging_config(log_format, level):
    """Every line with its time, level, logger and request id (``text``), or one JSON object
    per line (``json``): DJANGO_LOG_FORMAT, DJANGO_LOG_LEVEL (decision 0087)."""
    if log_format not in {"text", "json"}:
        raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={log_format!r}: use 'text' or 'json'.")
    formatters = {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "harness_cms.operations.logs.JsonFormatter"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "harness_cms.operations.logs.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
        },
    }


LOGGING = logging_config(
    os.environ.get("DJANGO_LOG_FORMAT", "text"), os.environ.get("DJANGO_LOG_LEVEL", "INFO")
)

# --- Production hardening (docs/decisions/0050-https-behind-a-proxy.md, 0051-login-throttling.md)

# HTTPS. On by default in production mode, off in development; each can be changed from the
# environment, e.g. behind a TLS-terminating proxy that redirects HTTP to HTTPS itself.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # Only when the proxy always sets (and overwrites) X-Forwarded-Proto: otherwise any client
    # could claim to be on HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True

# Every check silenced here carries its reason; `manage.py check --deploy --fail-level WARNING`
# must pass in production mode with nothing else silenced.
SILENCED_SYSTEM_CHECKS_WITH_REASONS = {}
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS_WITH_REASONS["security.W021"] = (
        "HSTS preload is a commitment to browser vendors' lists that outlives this deployment; "
        "an operator opts in with DJANGO_SECURE_HSTS_PRELOAD=1 after submitting the domain."
    )
if not SECURE_SSL_REDIRECT and os.environ.get("DJANGO_SECURE_SSL_REDIRECT"):
    SILENCED_SYSTEM_CHECKS_WITH_REASONS["security.W008"] = (
        "DJANGO_SECURE_SSL_REDIRECT=0 was set on purpose: the proxy in front redirects HTTP to "
        "HTTPS, or the site is served on loopback only (load tests)."
    )
if not SESSION_COOKIE_SECURE and os.environ.get("DJANGO_SECURE_COOKIES"):
    SILENCED_SYSTEM_CHECKS_WITH_REASONS.update(
        dict.fromkeys(
            ["security.W012", "security.W016"],
            "DJANGO_SECURE_COOKIES=0 was set on purpose: plain-HTTP loopback serving only.",
        )
    )
SILENCED_SYSTEM_CHECKS = list(SILENCED_SYSTEM_CHECKS_WITH_REASONS)

# Inside every header-setting middleware (so the 400 carries the same headers): a NUL byte in
# the address is refused before any view or database query runs.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.clickjacking.XFrameOptionsMiddleware") + 1,
    "harness_cms.security.RejectNulBytesMiddleware",
)

# Login throttling with django-axes: failed admin logins are counted per client address.
INSTALLED_APPS += ["axes"]
# Last, as django-axes asks: it turns a lockout into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
# Per address, per account (unless from an address its owner signed in from), per account on
# one address; a good login clears only the last (harness_cms.security, decision 0082).
AXES_LOCKOUT_PARAMETERS = "harness_cms.security.lockout_parameters"
AXES_RESET_ON_SUCCESS = False
# No start-up banner on every manage.py command; failures are still logged with the address.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "harness_cms.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "harness_cms.security.client_ip"
# How many proxies the operator runs in front of the app servers (each appends to
# X-Forwarded-For). 0: the peer address is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
# "database" (the default; works on one machine) or "cache" (the shared Redis cache, for several
# app servers without a table write per failed login).
_AXES_HANDLERS = {
    "database": "axes.handlers.database.AxesDatabaseHandler",
    "cache": "axes.handlers.cache.AxesCacheHandler",
}
_throttle_store = os.environ.get("DJANGO_LOGIN_THROTTLE_STORE", "database")
if _throttle_store not in _AXES_HANDLERS:
    raise ImproperlyConfigured(
        f"DJANGO_LOGIN_THROTTLE_STORE={_throttle_store!r}: use 'database' or 'cache'."
    )
AXES_HANDLER = _AXES_HANDLERS[_throttle_store]
