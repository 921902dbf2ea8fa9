"""Markdown rendering for every text field editors write, sanitised with an allowlist.

Rendering happens once, when an item is saved; templates only ever print the stored result.
python-markdown runs in a worker process under a time budget (``markdown_engine``, decision
0081): a text that would take longer is refused with a message, never hangs a request.
"""

import html as html_module
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings

from harness_cms.core import markdown_engine

TOO_COMPLEX = (
    "This text is too complex to turn into a page in time: split it into shorter paragraphs "
    "with blank lines, or remove long runs of brackets, angle brackets or headings."
)


class MarkdownTooComplex(ValueError):
    """The text's render used up its time budget; the message says what to do."""

    def __init__(self, message=TOO_COMPLEX):
        super().__init__(message)


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title"},
    "a": {"href"},
    "abbr": {"title"},
    "code": {"class"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_SAFE_ID = re.compile(r"^[A-Za-z][\w-]{0,80}$")
_SAFE_CODE_CLASS = re.compile(r"^language-[\w+#-]{1,30}$")
_ANCHOR = re.compile(r"<a\s([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


def _filter_attribute(tag, attribute, value):
    # Heading ids feed the table of contents; keep them plain so they cannot clobber page globals.
    if attribute == "id":
        return value if _SAFE_ID.match(value) else None
    if tag == "code" and attribute == "class":
        return value if _SAFE_CODE_CLASS.match(value) else None
    return value


def sanitize(html):
    """Return ``html`` with everything outside the allowlist removed."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
    )
    return _ANCHOR.sub(_mark_external, cleaned)


def is_external(href):
    """True when ``href`` leaves this site (another host), False for paths and fragments."""
    parts = urlsplit(href)
    if not parts.netloc:
        return False
    return parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower()


def _mark_external(match):
    attrs = match.group(1)
    href = _HREF.search(attrs)
    if href and is_external(href.group(1).replace("&amp;", "&")):
        return f'<a {attrs} rel="noopener">'
    return match.group(0)


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)


_worker = markdown_engine.Worker()


# A save checks its fields (Editable.clean_fields) and then renders them (derive): the second
# render of the same text is answered from here.
@lru_cache(maxsize=32)
def _convert(text):
    try:
        return _worker.convert(text, budget=settings.MARKDOWN_RENDER_BUDGET)
    except markdown_engine.RenderAborted as error:
        raise MarkdownTooComplex from error


def render(text):
    """Render editor Markdown to sanitised HTML plus its table of contents (h2 and h3).

    Raises :class:`MarkdownTooComplex` when the render does not finish within
    ``settings.MARKDOWN_RENDER_BUDGET`` seconds of CPU time.
    """
    if not text or not text.strip():
        return Rendered(html="")
    converted, tokens = _convert(text)
    html = sanitize(converted)
    toc = []
    for token in tokens:
        toc.append({"id": token["id"], "name": _plain(token["name"]), "level": token["level"]})
        for child in token["children"]:
            toc.append({"id": child["id"], "name": _plain(child["name"]), "level": child["level"]})
    return Rendered(html=html, toc=[entry for entry in toc if _SAFE_ID.match(entry["id"])])


def render_html(text):
    """Shortcut for fields that need only the HTML."""
    return render(text).html


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain(html):
    return html_module.unescape(_TAG.sub("", html)).strip()


def to_plain_text(html):
    """Text of sanitised HTML, for search, meta descriptions and structured data."""
    return _SPACE.sub(" ", _plain(_TAG.sub(" ", html))).strip()
