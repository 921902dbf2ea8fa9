"""What a security reviewer checks on a response: its headers, and whether its HTML can run
anything that did not come from our own static files."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import html5lib
from django.conf import settings
from selectolax.lexbor import LexborHTMLParser

# --- headers

SAFE_SOURCES = {"'self'", "'none'"}
# Directives where a data: URL is harmless (images and fonts cannot run code).
DATA_ALLOWED = {"img-src", "font-src"}
REQUIRED_DIRECTIVES = {
    "default-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
}
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def parse_csp(value):
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response):
    """Everything wrong with a response's security headers, as readable strings."""
    problems = []
    if "Content-Security-Policy-Report-Only" in response and "Content-Security-Policy" not in (
        response
    ):
        problems.append("CSP is report-only")
    csp = response.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy header")
    else:
        directives = parse_csp(csp)
        script_src = directives.get("script-src", directives.get("default-src", []))
        for source in script_src:
            if source in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"):
                problems.append(f"script-src allows {source}")
        for name, sources in REQUIRED_DIRECTIVES.items():
            if directives.get(name) != sources:
                problems.append(f"{name} is {directives.get(name)}, expected {sources}")
        for name, sources in directives.items():
            for source in sources:
                if source in SAFE_SOURCES or (source == "data:" and name in DATA_ALLOWED):
                    continue
                problems.append(f"{name} allows {source}")
    for name, expected in EXPECTED_HEADERS.items():
        if response.get(name) != expected:
            problems.append(f"{name} is {response.get(name)!r}, expected {expected!r}")
    return problems


# --- HTML that could run

RESOURCE_ATTRIBUTES = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "iframe": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src"],
}
# <link rel=...> values that make the browser fetch the href.
FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "ping", "cite", "longdesc", "dynsrc", "lowsrc", "codebase", "archive", "manifest",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
NEVER_ALLOWED = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# What a browser does to a URL before reading its scheme (WHATWG URL standard): strip leading
# and trailing C0 controls and spaces, remove every tab and newline.
_URL_EDGES = "".join(chr(code) for code in range(0x21))
_URL_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def url_scheme(value):
    """The scheme a browser would see in ``value`` ("" for relative URLs)."""
    match = _SCHEME.match(_URL_TAB_NEWLINE.sub("", value.strip(_URL_EDGES)))
    return match.group(1).lower() if match else ""


def _is_same_origin(url):
    parts = urlsplit(url.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        return parts.scheme == "data"
    return parts.netloc in ("", "testserver", urlsplit(settings.SITE_URL).netloc)


def _is_script_file(url):
    return bool(url) and url_scheme(url) in ("", "http", "https") and _is_same_origin(url)


def _urls(attribute, value):
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    return [value]


def lexbor_elements(html):
    """``(name, attributes, text, markup)`` for every element of ``html``, parsed by Lexbor, a C
    implementation of the HTML standard's parsing algorithm (fast enough for thousands of pages)."""
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False):
        if node.tag.startswith("-"):  # comments, doctype
            continue
        # Attributes by local name, as for html5lib below (xlink:href is an href).
        attrs = {
            key.rsplit(":", 1)[-1].lower(): value or "" for key, value in node.attributes.items()
        }
        text = node.text(deep=False) if node.tag == "script" else ""
        yield node.tag.lower(), attrs, text, node.html or ""


def html5lib_elements(html):
    """The same from html5lib, the standard's pure-Python reference implementation: the
    inspector's own tests check that both parsers find the same problems."""
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments
            continue
        name = element.tag.rsplit("}", 1)[-1].lower()
        attrs = {key.rsplit("}", 1)[-1].lower(): value for key, value in element.attrib.items()}
        yield name, attrs, element.text or "", ET.tostring(element, encoding="unicode")


def executable_problems(html, *, public=True, elements=lexbor_elements):
    """Everything in ``html`` that could execute script or load from another host.

    Parses like a browser (the HTML standard's parsing algorithm). Allowed: data
    blocks (JSON and JSON-LD, which must parse as JSON) and ``<script src>`` from this site
    with no inline code. ``public`` pages also may not carry inline styles at all.
    """
    problems = []
    for name, attrs, code, markup in elements(html):
        where = f"<{name}>"
        if name in NEVER_ALLOWED:
            problems.append(f"{where} element")
        if name == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if name == "script":
            kind = attrs.get("type", "").strip().lower()
            if kind in DATA_SCRIPT_TYPES:
                try:
                    json.loads(code)
                except ValueError:
                    problems.append(f"{kind} block does not parse as JSON: {markup[:120]}")
            elif not (_is_script_file(attrs.get("src", "")) and not code.strip()):
                problems.append(f"executable script: {markup[:120]}")
        if name == "style" and public:
            problems.append(f"<style> element: {markup[:80]}")
        if name == "link":
            rels = set(attrs.get("rel", "").lower().split())
            if rels & FETCHING_RELS and not _is_same_origin(attrs.get("href", "")):
                problems.append(f"{where} loads from another host: {attrs.get('href')}")
        else:
            for attribute in RESOURCE_ATTRIBUTES.get(name, []):
                for url in _urls(attribute, attrs.get(attribute, "")):
                    if url and not _is_same_origin(url):
                        problems.append(f"{where} {attribute} loads from another host: {url[:80]}")
        for attribute, value in attrs.items():
            if attribute.startswith("on"):
                problems.append(f"{where} event handler {attribute}={value[:60]!r}")
            if attribute == "style" and public:
                problems.append(f"{where} style attribute {value[:60]!r}")
            if attribute == "srcdoc":
                problems.append(f"{where} srcdoc")
            if attribute in URL_ATTRIBUTES:
                for url in _urls(attribute, value):
                    scheme = url_scheme(url)
                    raster = name == "img" and attribute == "src" and _safe_data_image(url)
                    if scheme and scheme not in SAFE_SCHEMES and not raster:
                        problems.append(f"{where} {attribute} has a {scheme}: URL: {url[:80]!r}")
        # SVG animation can set an href to a script URL after load.
        if name in ("animate", "set") and attrs.get("attributename", "").lower().endswith("href"):
            problems.append(f"{where} animates an href")
    return problems


def _safe_data_image(url):
    """Raster data: images cannot run script (SVG can, through <use> and friends)."""
    head = _URL_TAB_NEWLINE.sub("", url.strip(_URL_EDGES)).lower()
    return head.startswith(
        ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
    )
