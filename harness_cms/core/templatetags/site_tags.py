"""Template filters for the public pages."""

import functools

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from harness_cms.core.links import unlink_dead

register = template.Library()

# The sanitiser allows no attributes on <table>, so the stored HTML has exactly these tags.
_SCROLLER = '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>'


@register.filter
def scrollable_tables(html):
    """Wrap each table of sanitised HTML in a focusable box that scrolls on its own when the
    table is wider than the screen, so the page itself never scrolls sideways."""
    if "<table>" not in html:
        return html
    wrapped = str(html).replace("<table>", _SCROLLER).replace("</table>", "</table></div>")
    # Only stored, sanitised HTML reaches this filter, and it adds fixed markup only.
    return mark_safe(wrapped) if isinstance(html, SafeString) else wrapped  # noqa: S308


@register.filter
def live_links(html, base_path="/"):
    """Stored HTML with its links to items that are not live now (unpublished, waiting,
    deleted) shown as plain text: a visitor never follows a link to a 404."""
    cleaned = unlink_dead(str(html), base_path or "/")
    # Only stored, sanitised HTML reaches this filter, and it only removes <a> tags.
    return mark_safe(cleaned) if isinstance(html, SafeString) else cleaned  # noqa: S308


@register.filter
def tag_address(slug):
    """The address of the topic ``slug``, or "" when no topic address can carry it (as
    ``{% url ... as name %}`` would give)."""
    return _tag_address(str(slug), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


# A topic's address depends on its slug and the URLconf only: kept, not reversed on every page.
@functools.lru_cache(maxsize=2048)
def _tag_address(slug, urlconf, script_prefix):
    try:
        return reverse("topics:tag", args=[slug], urlconf=urlconf)
    except NoReverseMatch:
        return ""


@register.filter(expects_localtime=True)
def iso_time(value):
    """A date and time as ISO 8601 in the site's time zone: ``|date:'c'`` without parsing a
    format on every page."""
    return value.isoformat() if hasattr(value, "isoformat") else ""
