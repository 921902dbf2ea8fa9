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

from harness_cms.core import markdown_engine, references

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
    "mark", "ol", "p", "picture", "pre", "q", "s", "small", "source", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title"},
    "a": {"href"},
    "abbr": {"title"},
    "code": {"class"},
    "figure": {"class"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"srcset", "sizes", "type"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
}
# ``item:42``: a link to an item by reference (``harness_cms.core.references``), given the
# item's address when the page is shown.
URL_SCHEMES = {"http", "https", "mailto", "item"}
_SAFE_ID = re.compile(r"^[A-Za-z][\w-]{0,80}$")
_SAFE_CODE_CLASS = re.compile(r"^language-[\w+#-]{1,30}$")
_ANCHOR = re.compile(r"<a\s([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


_SAFE_FIGURE_CLASS = {"figure"}
_SAFE_SOURCE_TYPE = {"image/webp", "image/avif", "image/jpeg", "image/png"}


def _filter_attribute(tag, attribute, value):
    # Heading ids feed the table of contents; keep them plain so they cannot clobber page globals.
    if attribute == "id":
        return value if _SAFE_ID.match(value) else None
    if tag == "code" and attribute == "class":
        return value if _SAFE_CODE_CLASS.match(value) else None
    if tag == "figure" and attribute == "class":
        return value if value in _SAFE_FIGURE_CLASS else None
    if value[:5].lower() == "item:" and attribute in ("href", "src"):
        # Only a link may name an item, and only in the one shape the pages resolve.
        return value if tag == "a" and references.HREF.match(value) else None
    if attribute == "srcset":
        # The sanitiser checks src, not srcset: only the site's own files may be listed there.
        candidates = [part.strip().split(" ")[0] for part in value.split(",")]
        return value if all(_is_own_file(candidate) for candidate in candidates) else None
    if tag == "source" and attribute == "type":
        return value if value in _SAFE_SOURCE_TYPE else None
    return value


def _is_own_file(url):
    return url.startswith(settings.MEDIA_URL) and ".." not in url and ":" not in url


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


# An image of the library as python-markdown writes ``![alt](image:42 "caption")``: alone in its
# paragraph (a figure) or within a line of text (a picture).
_IMAGE_ALONE = re.compile(r"<p>\s*(<img\b[^>]*\bsrc=\"image:\d{1,12}\"[^>]*>)\s*</p>")
_IMAGE_REFERENCE = re.compile(r"<img\b[^>]*\bsrc=\"image:(\d{1,12})\"[^>]*>")
_IMG_ATTRIBUTE = re.compile(r'\b(alt|title)="([^"]*)"')


def _embed_images(html, images):
    """Replace references to library images with what ``images`` makes of them: called as
    ``images(image_id, alt=..., caption=..., block=...)``, it returns HTML or None (unknown)."""

    def embed(tag, *, block):
        image_id = int(_IMAGE_REFERENCE.match(tag).group(1))
        attributes = {
            name: html_module.unescape(value) for name, value in _IMG_ATTRIBUTE.findall(tag)
        }
        made = images(
            image_id,
            alt=attributes.get("alt", ""),
            caption=attributes.get("title", ""),
            block=block,
        )
        return made or ""

    html = _IMAGE_ALONE.sub(lambda match: embed(match.group(1), block=True), html)
    return _IMAGE_REFERENCE.sub(lambda match: embed(match.group(0), block=False), html)


def render(text, *, images=None):
    """Render editor Markdown to sanitised HTML plus its table of contents (h2 and h3).

    ``images`` turns references to the image library (``![alt](image:42)``) into pictures
    (``harness_cms.images.models.Image.for_markdown``); without it they are left out.
    Raises :class:`MarkdownTooComplex` when the render does not finish within
    ``settings.MARKDOWN_RENDER_BUDGET`` seconds of CPU time.
    """
    if not text or not text.strip():
        return Rendered(html="")
    converted, tokens = _convert(text)
    html = sanitize(_embed_images(converted, images or (lambda *args, **kwargs: None)))
    toc = []
    for token in tokens:
        toc.append({"id": token["id"], "name": _plain(token["name"]), "level": token["level"]})
        for child in token["children"]:
            toc.append({"id": child["id"], "name": _plain(child["name"]), "level": child["level"]})
    return Rendered(html=html, toc=[entry for entry in toc if _SAFE_ID.match(entry["id"])])


def render_html(text, *, images=None):
    """Shortcut for fields that need only the HTML."""
    return render(text, images=images).html


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain(html):
    return html_module.unescape(_TAG.sub("", html)).strip()


def to_plain_text(html):
    """Text of sanitised HTML, for search, meta descriptions and structured data."""
    return _SPACE.sub(" ", _plain(_TAG.sub(" ", html))).strip()
