"""Request facts that security features rely on, read the same way everywhere."""

import ipaddress

from django.conf import settings


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
    from django.contrib import admin
    from django.template.response import TemplateResponse

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
