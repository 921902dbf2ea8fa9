"""Links in stored HTML: where a written address leads on this site, and whether it is live.

Rendered Markdown keeps the addresses editors typed, and links to items by reference
(``href="item:42"``, ``harness_cms.core.references``). An item behind either can go offline
later (unpublished, its role unpublished, deleted); :func:`unlink_dead` gives each reference
its item's address now and turns links to items that are not live into plain text when a page
is shown, so a visitor never follows a link to a 404 or through a redirect, and
:func:`dead_links` names them for editors. The cluster graph (``seo.graph``) reads links the
same way.
"""

import functools
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from harness_cms.core import dependencies, references
from harness_cms.core.addresses import urlconf_key
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
    if parts.netloc and parts.netloc.lower() != _host_of(settings.SITE_URL):
        return None
    return parts.path or "/"


@functools.lru_cache(maxsize=4)
def _host_of(url):
    return urlsplit(url).netloc.lower()


def is_item_address(path):
    """True when ``path`` is shaped like a content item's address: the home page, or an address
    whose view shows one kind of item (a link there that matches no item is broken)."""
    return path == "/" or _resolves_to_item(path, urlconf_key()[0])


# A page's text links to the same few dozen addresses on every request: the answer depends on
# the URLconf alone, so it is kept (a bounded number of addresses, the least used dropped).
@functools.lru_cache(maxsize=4096)
def _resolves_to_item(path, urlconf):
    try:
        match = resolve(path, urlconf)
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
# paths, {id: path}) tuple, replaced whole, so threads never see half of it.
_live = [("", 0, frozenset(), frozenset(), {})]


def _live_now():
    """``(live addresses, {id: address} of the live items)``: the live addresses are the
    items' own and earlier ones that redirect to a public item. The page being made depends on
    every item's address and window (any of them changing refreshes it)."""
    token, _until = generation_for_now()
    known, sequence, tags, paths, by_id = _live[0]
    if known != token or dependencies.state_since(tags, sequence) != dependencies.FRESH:
        sequence = dependencies.current_sequence()
        with dependencies.collecting() as collector:
            by_id = dict(ContentItem.objects.filter(public_item_q()).values_list("pk", "path"))
            found = set(by_id.values())
            found.update(
                Redirect.objects.filter(public_item_q("target__")).values_list(
                    "old_path", flat=True
                )
            )
        paths, tags = frozenset(found), collector.tags()
        _live[0] = (token, sequence, tags, paths, by_id)
    else:
        dependencies.note(tags)
    return paths, by_id


def is_dead(href, base_path="/", *, live=_live_now):
    """True when ``href`` leads to an item on this site that is not live now (by address, or
    by reference to an item that is not public or no longer exists). ``live`` gives the live
    ``(addresses, {id: address})``."""
    reference = references.href_target(href)
    if reference is not None:
        return live()[1].get(reference[0]) is None
    path = local_path(href, base_path)
    return path is not None and is_item_address(path) and path not in live()[0]


_LINK = re.compile(r'<a\s([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def unlink_dead(html, base_path="/"):
    """``html`` with each reference given its item's address now, and every link to an item
    that is not live replaced by its text."""
    if not html or "<a" not in html:
        return html
    known = []

    def live():
        # Read once for the fragment, on its first link to this site.
        if not known:
            known.append(_live_now())
        return known[0]

    def replace(match):
        href = match.group(2).replace("&amp;", "&")
        reference = references.href_target(href)
        if reference is not None:
            address = live()[1].get(reference[0])
            if address is None:
                return match.group(4)
            before, after, text = match.group(1), match.group(3), match.group(4)
            return f'<a {before}href="{address}{reference[1]}"{after}>{text}</a>'
        return match.group(4) if is_dead(href, base_path, live=live) else match.group(0)

    return _LINK.sub(replace, html)


def dead_links(item):
    """The links written in ``item``'s rendered text that lead to no live item: the address,
    or for a reference ``item:42`` with what became of its item."""
    html = [getattr(item, name) for name in type(item).rendered_fields()]
    hrefs = [href for fragment in html for href in hrefs_in(fragment) if is_dead(href, item.path)]
    return describe_dead(hrefs)


def describe_dead(hrefs):
    """``hrefs`` for editors: a reference is named with its item's title and why it is not
    live (one query for them all)."""
    ids = {target[0] for href in hrefs if (target := references.href_target(href))}
    titles = dict(ContentItem.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    described = []
    for href in hrefs:
        target = references.href_target(href)
        if target is None:
            described.append(href)
        elif target[0] in titles:
            described.append(f"{href} (“{titles[target[0]]}”, not live)")
        else:
            described.append(f"{href} (a page since deleted)")
    return described
