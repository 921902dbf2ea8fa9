"""Request filters that protect every view at once."""

from django.http import Http404, HttpResponseBadRequest


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
