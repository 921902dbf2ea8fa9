"""Whole public pages for anonymous visitors, kept until the content they show changes.

Design and trade-offs: docs/decisions/0043-page-cache.md and 0111. In short:

- every stored page carries what it showed, collected while it rendered (the rows and lists
  of :mod:`harness_cms.core.dependencies`), and the number of the last content change before
  it; a change to any of those makes it stale. A stale page is answered once more while one
  request makes its replacement (after its own answer is sent), for at most
  ``PAGE_CACHE_STALE_SECONDS``; what went offline or was deleted is never answered again;
- every stored page also carries the *content generation* it was made in
  (:mod:`harness_cms.core.generation`), which moves on bulk writes (imports, restores, scale
  data) and when a scheduled publish or unpublish time passes; a new token makes every stored
  page unanswerable at once, and the next page made for an address replaces the old one: the
  cache holds at most one page per public address (decision 0083);
- only plain addresses are stored: no query string at all (no public page reads one; the
  search page's ``?q=…&page=N`` goes to the view), so odd addresses cannot fill the cache;
- ``PageCacheMiddleware``, first in the stack, answers a stored page before sessions, users
  and messages are looked at; the stored headers are those every other middleware set when the
  page was made (CSP, security headers, ETag, Last-Modified).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from harness_cms.core import dependencies
from harness_cms.core.generation import current_generation, generation_for_now

log = logging.getLogger(__name__)

# Vary values a stored page may carry: it is only ever answered to requests without a session
# or message cookie, which are exactly the requests it was made for.
ALLOWED_VARY = {"cookie", "accept-encoding"}
NO_STORE_DIRECTIVES = ("private", "no-store", "no-cache")


def _may_answer(request):
    """Requests a stored page may answer: anonymous GETs and HEADs of plain addresses."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(settings.STATIC_URL):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    # Numbered pages are addresses of their own (/faq/page/2/): a query string (a search, a
    # campaign tag, ?page=000123) goes to the view and is never stored.
    return not request.META.get("QUERY_STRING", "")


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


def _page_key(address):
    return f"harness:page:{address}"


def _lock_key(address):
    return f"harness:page-lock:{address}"


def _stale_seconds():
    return settings.PAGE_CACHE_STALE_SECONDS


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
            stored = cache.get(_page_key(address))
            if stored is not None and len(stored) == 7:
                answer = self.from_store(request, address, token, stored)
                if answer is not None:
                    return answer
            token, until = generation_for_now()
        except Exception:
            # A cache that does not answer costs speed, never the page.
            log.exception("page cache: lookup failed")
            return self.get_response(request)
        return self.make(request, address, token, until)

    def from_store(self, request, address, token, stored):
        """The stored page if it may answer: fresh, or changed but within the bound of
        staleness while one request renders its replacement (decision 0111); else None."""
        stored_token, _, _, until, sequence, tags, stale_since = stored
        now = time.time()
        if stored_token != token or until <= now:
            return None
        current = dependencies.current_sequence()
        if current == sequence:
            return self.answer(request, stored)  # nothing changed anywhere: one read
        state = dependencies.state_since(tags, sequence)
        if state == dependencies.FRESH:
            # Nothing it showed changed: checked against the tags once per change, not again.
            timeout = min(settings.PAGE_CACHE_TIMEOUT, until - now)
            if timeout >= 1:
                cache.set(_page_key(address), (*stored[:4], current, *stored[5:]), int(timeout))
            return self.answer(request, stored)
        if state == dependencies.GONE or _stale_seconds() <= 0:
            return None
        if stale_since is not None:
            # Someone is making the replacement: the old page meanwhile, for a few seconds.
            return self.answer(request, stored) if now - stale_since <= _stale_seconds() else None
        if not cache.add(_lock_key(address), 1, timeout=max(1, int(_stale_seconds()))):
            return self.answer(request, stored)
        # This request makes the replacement, after its reader has the old page.
        timeout = min(settings.PAGE_CACHE_TIMEOUT, until - now)
        cache.set(_page_key(address), (*stored[:6], now), int(max(1, timeout)))
        response = self.answer(request, stored)
        response._resource_closers.append(lambda: self.revalidate(request, address))
        return response

    def revalidate(self, request, address):
        try:
            token, until = generation_for_now()
            self.make(request, address, token, until)
        except Exception:
            log.exception("page cache: making a changed page afresh failed")
        finally:
            try:
                cache.delete(_lock_key(address))
            except Exception:
                log.exception("page cache: releasing a page's lock failed")

    def make(self, request, address, token, until):
        made_at = time.time()
        sequence = dependencies.current_sequence()
        with dependencies.collecting() as collector:
            response = self.get_response(request)
        if not _may_store(request, response):
            return response
        self.add_validators(response, made_at)
        timeout = min(settings.PAGE_CACHE_TIMEOUT, until - time.time())
        if timeout >= 1:
            # The time it is right until goes with it: caches expire entries in whole seconds.
            stored = (
                token,
                dict(response.items()),
                response.content,
                until,
                sequence,
                collector.tags(),
                None,
            )
            try:
                cache.set(_page_key(address), stored, int(timeout))
            except Exception:
                log.exception("page cache: storing a page failed")
        return self.conditional(request, response)

    @staticmethod
    def add_validators(response, made_at):
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            # When the page was made: a page whose content changed is made again, later.
            response["Last-Modified"] = http_date(made_at)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)

    def answer(self, request, stored):
        headers, content = stored[1], stored[2]
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
