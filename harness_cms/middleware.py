"""Request filters that protect every view at once."""

from django.http import HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """A NUL character has no meaning in an address, and PostgreSQL refuses it in a query (a
    search with ``%00`` would fail with a 500). Such requests get a plain 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)
