"""Request facts that security features rely on, read the same way everywhere, and the filter
that refuses addresses no page can have."""

import ipaddress

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponseBadRequest
from django.template.response import TemplateResponse


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
