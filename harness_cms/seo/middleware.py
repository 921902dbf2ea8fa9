"""The redirect fallback: a 404 at an item's earlier address becomes a 301 to where it is now;
any other 404 is counted by the 404 monitor."""

from django.http import HttpResponsePermanentRedirect

from harness_cms.seo.redirects import find_target, record_not_found


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
            record_not_found(request.path, request.META.get("HTTP_REFERER", ""))
            return response
        # Keep campaign parameters and the like; anything odd in them is simply dropped.
        query = request.META.get("QUERY_STRING", "")
        keep = query and query.isprintable() and len(query) <= 2000
        return HttpResponsePermanentRedirect(target.path + (f"?{query}" if keep else ""))
