"""Links in stored HTML: where a written address leads on this site, and whether it is live.

Rendered Markdown keeps the addresses editors typed. An item behind one of them can go offline
later (unpublished, its role unpublished, deleted); :func:`unlink_dead` turns such links into
plain text when a page is shown, so a visitor never follows a link to a 404, and
:func:`dead_links` names them for editors. The cluster graph (``seo.graph``) reads links the
same way.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from harness_cms.core import dependencies
from harness_cms.core.generation import generation_for_now
from harness_cms.core.models import ContentItem, Redirect
from harness_cms.core.visibility import public_item_q


class _HrefParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def hrefs_in(html):
    """Every ``<a href>`` of an HTML fragment, in order."""
    if not html or "<a" not in html:
        return []
    parser = _HrefParser()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def local_path(href, base_path="/"):
    """The path on this site that ``href`` points to, or None for other sites and schemes.

    Relative links are read against ``base_path``; query strings and fragments are dropped.
    """
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(urljoin(base_path, href))
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower():
        return None
    return parts.path or "/"


def is_item_address(path):
    """True when ``path`` is shaped like a content item's address: the home page, or an address
    whose view shows one kind of item (a link there that matches no item is broken)."""
    if path == "/":
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    return isinstance(model, type) and issubclass(model, ContentItem)


def is_known_address(path):
    """True when some view of the site answers ``path`` (the FAQ index, tags, feeds...)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


# The live addresses of the current content generation, per process: one query when content
# or the clock's schedule changes, none on the pages after it. One (token, sequence, tags,
# paths) tuple, replaced whole, so threads never see half of it.
_live = [("", 0, frozenset(), frozenset())]


def live_addresses():
    """Every address that answers with a public item now: the items' own, and earlier ones
    that redirect to a public item."""
    token, _until = generation_for_now()
    known, sequence, tags, paths = _live[0]
    if known != token or dependencies.state_since(tags, sequence) != dependencies.FRESH:
        sequence = dependencies.current_sequence()
        with dependencies.collecting() as collector:
            found = set(ContentItem.objects.filter(public_item_q()).values_list("path", flat=True))
            found.update(
                Redirect.objects.filter(public_item_q("target__")).values_list(
                    "old_path", flat=True
                )
            )
        paths, tags = frozenset(found), collector.tags()
        _live[0] = (token, sequence, tags, paths)
    else:
        dependencies.note(tags)
    return paths


def is_dead(href, base_path="/"):
    """True when ``href`` leads to an item's address on this site that is not live now."""
    path = local_path(href, base_path)
    return path is not None and is_item_address(path) and path not in live_addresses()


_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def unlink_dead(html, base_path="/"):
    """``html`` with every link to an item that is not live replaced by its text."""
    if not html or "<a" not in html:
        return html

    def replace(match):
        href = match.group(1).replace("&amp;", "&")
        return match.group(2) if is_dead(href, base_path) else match.group(0)

    return _LINK.sub(replace, html)


def dead_links(item):
    """The addresses written in ``item``'s rendered text that lead to no live item."""
    html = [getattr(item, name) for name in type(item).rendered_fields()]
    return [href for fragment in html for href in hrefs_in(fragment) if is_dead(href, item.path)]
