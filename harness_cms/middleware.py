"""Middleware of the content core: request filters and the redirect fallback."""

from django.http import Http404, HttpResponseBadRequest, HttpResponsePermanentRedirect

from harness_cms.redirects import find_target


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


class RedirectFallbackMiddleware:
    """Answer a 404 with a 301 when the address is an item's earlier one.

    Like ``django.contrib.redirects``, it looks only at responses that are already 404, so live
    pages never pay for it and a live address can never be redirected away.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = find_target(request.path)
        if target is None or target.path == request.path:
            return response
        # Keep campaign parameters and the like; anything odd in them is simply dropped.
        query = request.META.get("QUERY_STRING", "")
        keep = query and query.isprintable() and len(query) <= 2000
        return HttpResponsePermanentRedirect(target.path + (f"?{query}" if keep else ""))
