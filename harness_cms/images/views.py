"""The files of the image library, the link-preview cards and the touch icons, served."""

import mimetypes
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.images import cards
from harness_cms.images.selectors import item_card, site_card

# Every file the library writes has a name that changes with its content.
IMMUTABLE = {"public": True, "max_age": 365 * 24 * 3600, "immutable": True}
SERVED_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".avif"}


def _immutable(response):
    patch_cache_control(response, **IMMUTABLE)
    return response


@require_GET
def media_file(request, name):
    """A file of the image library from the site's own storage (one machine without a proxy
    or CDN in front: docs/deployment.md). Only image files under ``images/`` and ``cards/``."""
    name = posixpath.normpath(name)
    if (
        name.startswith(("/", ".."))
        or not name.startswith(("images/", "cards/"))
        or posixpath.splitext(name)[1].lower() not in SERVED_TYPES
        or not default_storage.exists(name)
    ):
        raise Http404("No such image.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return _immutable(FileResponse(default_storage.open(name, "rb"), content_type=content_type))


def _card_response(key, card, *, site):
    """The PNG of ``card`` under ``key``: drawn once, kept in storage, then served from there."""
    name = f"cards/{key}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
    else:
        content = cards.draw_card(card, site_name=site.site_name, brand=site.brand_colour)
        default_storage.save(name, ContentFile(content))
    return _immutable(HttpResponse(content, content_type="image/png"))


@require_GET
def item_card_view(request, pk, key):
    """The drawn link-preview card of a public item; 404 when ``key`` is not its current one
    (its words changed: pages link the new card)."""
    item = get_object_or_404(ContentItem.objects.published(), pk=pk).specific()
    site = SiteSettings.load()
    current = item_card(item, site=site)
    if current.key != key:
        raise Http404("This card shows words the page no longer has.")
    return _card_response(key, current.card, site=site)


@require_GET
def site_card_view(request, key):
    """The site's own card, for pages that are not items (the FAQ, topics, indexes)."""
    site = SiteSettings.load()
    current = site_card(site)
    if current.key != key:
        raise Http404("This card shows words the site no longer has.")
    return _card_response(key, current.card, site=site)


@require_GET
def touch_icon(request, size=180):
    """The site's mark as an opaque PNG: apple-touch-icon.png (180) and the manifest's sizes."""
    if size not in (180, 192, 512):
        raise Http404("No icon of that size.")
    site = SiteSettings.load()
    response = HttpResponse(
        cards.draw_mark(size, brand=site.brand_colour), content_type="image/png"
    )
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
