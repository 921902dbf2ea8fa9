"""The IndexNow key file: ``/<key>.txt`` answers the key, proving the site owns it."""

from django.conf import settings
from django.http import Http404, HttpResponse


def indexnow_key(request, key):
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404("No such file.")
    return HttpResponse(settings.INDEXNOW_KEY, content_type="text/plain; charset=utf-8")
