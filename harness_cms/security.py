"""Request facts that security features rely on, read the same way everywhere, the login
throttle's rules, and the filter that refuses addresses no page can have."""

import ipaddress
from contextlib import suppress
from datetime import timedelta

from axes.helpers import get_cache, get_client_username, make_cache_key_list
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The visitor's address, seen through ``settings.TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the N-th entry from the right. Entries further left were written by the client
    and are never believed. Without trusted proxies, or when the header is missing or malformed,
    the peer address is the answer.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if not forwarded[0].strip() or len(forwarded) < count:
        return peer
    return _valid_ip(forwarded[-count]) or peer


# An address an account signed in from stays its owner's for this long: the account's own
# lock (guesses from many addresses) does not reach it (docs/decisions/0082).
KNOWN_ADDRESS_DAYS = 30
PER_ACCOUNT_ON_ADDRESS = ["username", "ip_address"]


def lockout_parameters(request, credentials=None):
    """What failed logins are counted by (``AXES_LOCKOUT_PARAMETERS``): the address, the
    account, and the account on that address (what a good login of that account clears).

    An address the account's owner signed in from recently is not subject to the account's
    count: guesses from elsewhere cannot lock the owner out there. Its own count still holds.
    """
    if isinstance(request, HttpRequest):
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None) or client_ip(request)
        if username and _signed_in_from(username, address):
            return ["ip_address", PER_ACCOUNT_ON_ADDRESS]
    return ["ip_address", "username", PER_ACCOUNT_ON_ADDRESS]


def _signed_in_from(username, address):
    since = timezone.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=since
    ).exists()


def _counts_in_cache():
    return settings.AXES_HANDLER.endswith("AxesCacheHandler")


def login_succeeded(sender, request, user, **kwargs):
    """A good login clears that account's failures from that address, and nothing else: the
    address's other failures (guesses at other accounts) and the account's failures from
    other addresses still count. ``user_logged_in`` receiver (``AXES_RESET_ON_SUCCESS`` off:
    it cleared every failure of the address)."""
    if request is None or not hasattr(request, "axes_ip_address"):
        return
    username, address = user.get_username(), request.axes_ip_address
    if not _counts_in_cache():
        AccessAttempt.objects.filter(username=username, ip_address=address).delete()
        return
    # django-axes' cache store keeps one count per lockout parameter: take this account's
    # failures on this address out of the address's and the account's counts.
    cache = get_cache()
    own, by_address, by_account = make_cache_key_list(
        [
            {"username": username, "ip_address": address},
            {"ip_address": address},
            {"username": username},
        ]
    )
    mine = cache.get(own, 0)
    for key in (by_address, by_account) if mine else ():
        with suppress(ValueError):  # that count has expired meanwhile
            if cache.decr(key, mine) <= 0:
                cache.delete(key)
    cache.delete(own)
    # The database store keeps a log of good logins itself; the cache store keeps none.
    AccessLog.objects.create(
        username=username,
        ip_address=address,
        user_agent=request.axes_user_agent,
        http_accept=request.axes_http_accept,
        path_info=request.axes_path_info,
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page a throttled login gets: 429, when to try again, in the admin's own look."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
    }
    response = TemplateResponse(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response.render()


class RejectNulBytesMiddleware:
    """A NUL character has no meaning in an address, and PostgreSQL refuses it in a query (a
    search for ``%00``, or a lookup of such a path, would fail with a 500).

    No page has such a path: 404. A query string with one is malformed: 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No page has a NUL character in its address.")
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "Bad request: the query string contains a NUL character.",
                content_type="text/plain",
            )
        return self.get_response(request)
