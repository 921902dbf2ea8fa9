"""Whole public pages for anonymous visitors, kept until the content they show changes.

Design and trade-offs: docs/decisions/0043-page-cache.md. In short:

- every stored page is keyed by the current *content generation*, a token that changes on every
  save, delete or tag change of a content model and when a scheduled publish or unpublish time
  passes; a new token makes every stored page unreachable at once;
- the token lives in the shared cache (Redis) when there is one, else in a small file that
  every process on the machine reads (local-memory caches are per process);
- ``PageCacheMiddleware``, first in the stack, answers a stored page before sessions, users
  and messages are looked at; the stored headers are those every other middleware set when the
  page was made (CSP, security headers, ETag, Last-Modified).
"""

import hashlib
import logging
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

log = logging.getLogger(__name__)

GENERATION_KEY = "harness:content-generation"
# The only query string a stored page may have: a page number. Anything else (a search, a
# campaign tag) goes to the view, so that odd addresses cannot fill the cache.
CACHEABLE_QUERY = re.compile(r"(?:page=\d{1,6})?")
# Vary values a stored page may carry: it is only ever answered to requests without a session
# or message cookie, which are exactly the requests it was made for.
ALLOWED_VARY = {"cookie", "accept-encoding"}
NO_STORE_DIRECTIVES = ("private", "no-store", "no-cache")


# --- The content generation ----------------------------------------------------------------


def _new_token():
    # The time goes first: it is the pages' Last-Modified (see last_modified()).
    return f"{time.time():.6f}-{secrets.token_hex(4)}"


def _shared_cache():
    return not isinstance(caches["default"], LocMemCache)


_generation_files = {}


def _generation_file():
    configured = settings.PAGE_CACHE_GENERATION_FILE
    database = str(settings.DATABASES["default"].get("NAME", ""))
    # Every request reads the file: its name is worked out once per setting.
    path = _generation_files.get((configured, database))
    if path is None:
        if configured:
            path = Path(configured)
        else:
            # One file per database: two sites on one machine do not invalidate each other.
            digest = hashlib.sha256(f"{settings.BASE_DIR}|{database}".encode()).hexdigest()
            path = Path(tempfile.gettempdir()) / f"harness-cms-generation-{digest[:16]}"
        _generation_files[configured, database] = path
    return path


def _read_file_token():
    # os-level calls: a tenth of the cost of Path.read_text(), on every request.
    try:
        fd = os.open(_generation_file(), os.O_RDONLY)
    except FileNotFoundError:
        return ""
    try:
        return os.read(fd, 256).decode()
    finally:
        os.close(fd)


def _write_file_token(token):
    path = _generation_file()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(token)
    # Atomic: readers see the old token or the new one, never half a token.
    os.replace(temporary, path)


def current_generation():
    """The token every stored page's key carries; made on first use."""
    if _shared_cache():
        token = cache.get(GENERATION_KEY)
        if token is None:
            cache.add(GENERATION_KEY, _new_token(), timeout=None)
            token = cache.get(GENERATION_KEY)
        return token
    token = _read_file_token()
    if not token:
        token = _new_token()
        _write_file_token(token)
    return token


def new_generation():
    """Make every stored page stale, and return the new token."""
    token = _new_token()
    if _shared_cache():
        cache.set(GENERATION_KEY, token, timeout=None)
    else:
        _write_file_token(token)
    return token


def content_changed():
    """Something a public page may show has changed: no stored page may be answered again.

    Called by the model signals below, by bulk writes that send no signals, and by restores.
    The generation moves at once and again when the transaction commits: a page made from the
    old rows between the two moments is stored under a token nobody asks for any more.
    """
    # No try: a change that cannot reach the cache must fail rather than leave stale pages.
    new_generation()
    connection = transaction.get_connection()
    # One callback per transaction, however many rows it writes (an import saves thousands).
    if connection.in_atomic_block and not any(
        func is new_generation for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(new_generation, robust=True)


def last_modified(token):
    """The Last-Modified of every page of a generation: when the generation began."""
    return int(float(token.split("-", 1)[0]))


def _valid_until_key(token):
    return f"harness:content-generation:{token}:valid-until"


def scheduled_changes(*, now=None):
    """The latest publish or unpublish time of anything published up to ``now``, and the
    earliest one after it (either may be None).

    Visibility reads the clock: a page is right only between two such times.
    """
    from django.db.models import Max, Min, Q
    from django.utils import timezone

    from faq.models import FAQ
    from harness_cms.models import ContentItem
    from harness_cms.publishing import Status

    now = now or timezone.now()
    before, after = [], []
    for model in (ContentItem, FAQ):
        found = model.objects.filter(status=Status.PUBLISHED).aggregate(
            last_publish=Max("publish_at", filter=Q(publish_at__lte=now)),
            last_unpublish=Max("unpublish_at", filter=Q(unpublish_at__lte=now)),
            next_publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            next_unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        for name, value in found.items():
            if value is not None:
                (before if name.startswith("last") else after).append(value)
    return (max(before) if before else None), (min(after) if after else None)


def generation_for_now():
    """The current token and the epoch second until which its pages stay right.

    When a scheduled time has passed since the token began, a new generation starts: pages
    stored before it are no longer answered and the next ones carry a later Last-Modified.
    Costs one cache read, and one query per generation and scheduled time.
    """
    token = current_generation()
    until = cache.get(_valid_until_key(token))
    if until is not None and until > time.time():
        return token, until
    last, following = scheduled_changes()
    if last is not None and last.timestamp() >= float(token.split("-", 1)[0]):
        token = new_generation()
    until = following.timestamp() if following else float("inf")
    cache.set(_valid_until_key(token), until, timeout=settings.PAGE_CACHE_TIMEOUT)
    return token, until


def cached_for_now(name, compute):
    """``compute()``, kept in the cache for the content generation and no longer than until
    the next scheduled publish or unpublish time (``generation_for_now``): for lists that many
    public pages read and that follow the clock as the pages do (topic counts, a role's first
    comparisons, the topics in use)."""
    token, until = generation_for_now()
    key = f"harness:{name}:{token}"
    value = cache.get(key)
    if value is None:
        value = compute()
        timeout = min(settings.PAGE_CACHE_TIMEOUT, until - time.time())
        if timeout >= 1:
            cache.set(key, value, timeout=int(timeout))
    return value


# --- The middleware --------------------------------------------------------------------------


def _may_answer(request):
    """Requests a stored page may answer: anonymous GETs and HEADs of plain addresses."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(settings.STATIC_URL):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return bool(CACHEABLE_QUERY.fullmatch(request.META.get("QUERY_STRING", "")))


def _may_store(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_USED"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in NO_STORE_DIRECTIVES):
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",") if value}
    if not vary <= ALLOWED_VARY:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _address(request):
    """What a stored page is filed under besides the generation; raises DisallowedHost."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return hashlib.md5(address.encode()).hexdigest()  # noqa: S324 - a key, not a secret


def _page_key(token, address):
    return f"harness:page:{token}:{address}"


CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class PageCacheMiddleware:
    """Answer anonymous visitors from stored pages; store the pages they are answered.

    First in ``MIDDLEWARE``: a stored page costs two cache reads and no database query. Pages
    also get ``ETag``, ``Last-Modified`` and ``Cache-Control: no-cache`` (browsers revalidate
    and get a 304), and conditional requests are answered from the stored validators.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not _may_answer(request):
            return self.get_response(request)
        try:
            address = _address(request)
        except DisallowedHost:
            return self.get_response(request)  # answered 400 further in
        try:
            token = current_generation()
            stored = cache.get(_page_key(token, address))
            if stored is not None and stored[2] > time.time():
                return self.answer(request, stored)
            token, until = generation_for_now()
        except Exception:
            # A cache that does not answer costs speed, never the page.
            log.exception("page cache: lookup failed")
            return self.get_response(request)
        response = self.get_response(request)
        if not _may_store(request, response):
            return response
        self.add_validators(response, token)
        timeout = min(settings.PAGE_CACHE_TIMEOUT, until - time.time())
        if timeout >= 1:
            # The time it is right until goes with it: caches expire entries in whole seconds.
            stored = (dict(response.items()), response.content, until)
            try:
                cache.set(_page_key(token, address), stored, int(timeout))
            except Exception:
                log.exception("page cache: storing a page failed")
        return self.conditional(request, response)

    @staticmethod
    def add_validators(response, token):
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified(token))
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)

    def answer(self, request, stored):
        headers, content, _ = stored
        response = HttpResponse(content, headers=headers)
        return self.conditional(request, response)

    @staticmethod
    def conditional(request, response):
        if not any(header in request.META for header in CONDITIONAL_HEADERS):
            return response
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )


# --- What counts as a content change ---------------------------------------------------------

# Apps whose models public pages show. Changes to users, sessions, revisions and login
# attempts do not reach any public page.
CONTENT_APPS = ("harness_cms", "comparisons", "pages", "faq", "taggit")
# Written on every scheduler run; shown nowhere.
NOT_CONTENT = {"harness_cms.PublishingRun"}


def content_models():
    from django.apps import apps

    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in NOT_CONTENT and not model._meta.proxy:
                yield model


def connect_signals():
    """Start a new generation on every save, delete and many-to-many change of content."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from harness_cms.signals import publication_changed

    for model in content_models():
        uid = f"page_cache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
        m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=f"{uid}:m2m")
    publication_changed.connect(_changed, dispatch_uid="page_cache:publication")


def _changed(**kwargs):
    content_changed()


def _m2m_changed(action, **kwargs):
    if action.startswith("post_"):
        content_changed()
