"""Whole public pages for anonymous visitors, kept until the content they show changes.

Design and trade-offs: docs/decisions/0043-page-cache.md. In short:

- every stored page carries the *content generation* it was made in
  (:mod:`harness_cms.core.generation`), a token that changes on every save, delete or tag change
  of content and when a scheduled publish or unpublish time passes; a new token makes every
  stored page unanswerable at once, and the next page made for an address replaces the old
  one: the cache holds at most one page per public address (decision 0083);
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

from harness_cms.core.generation import current_generation, generation_for_now, last_modified

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
            if stored is not None and stored[0] == token and stored[3] > time.time():
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
            stored = (token, dict(response.items()), response.content, until)
            try:
                cache.set(_page_key(address), stored, int(timeout))
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
        _, headers, content, _ = stored
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
