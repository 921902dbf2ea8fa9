"""What a security reviewer checks on a response: its headers, and whether its HTML can run
anything that did not come from our own static files."""

import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings

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
# Browsers drop these characters inside a URL before reading its scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def url_scheme(value):
    """The scheme a browser would see in ``value`` ("" for relative URLs)."""
    match = _SCHEME.match(_URL_NOISE.sub("", value))
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


def executable_problems(html, *, public=True):
    """Everything in ``html`` that could execute script or load from another host.

    Parses like a browser (html5lib). Allowed: data blocks (JSON and JSON-LD, which must parse
    as JSON) and ``<script src>`` from this site with no inline code.
    ``public`` pages also may not carry inline styles at all.
    """
    soup = BeautifulSoup(html, "html5lib")
    problems = []
    for tag in soup.find_all(True):
        name = tag.name.lower().split(":")[-1]
        where = f"<{tag.name}>"
        if name in NEVER_ALLOWED:
            problems.append(f"{where} element")
        if name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if name == "script":
            kind = (tag.get("type") or "").strip().lower()
            if kind in DATA_SCRIPT_TYPES:
                try:
                    json.loads(tag.string or "")
                except ValueError:
                    problems.append(f"{kind} block does not parse as JSON: {str(tag)[:120]}")
            elif _is_script_file(tag.get("src", "")) and not (tag.string or "").strip():
                pass
            else:
                problems.append(f"executable script: {str(tag)[:120]}")
        if name in ("style",) and public:
            problems.append(f"<style> element: {str(tag)[:80]}")
        if name == "link":
            rels = {rel.lower() for rel in tag.get("rel", [])}
            if rels & FETCHING_RELS and not _is_same_origin(tag.get("href", "")):
                problems.append(f"{where} loads from another host: {tag.get('href')}")
        for attribute in RESOURCE_ATTRIBUTES.get(name, []):
            if name == "link":
                continue
            for url in _urls(attribute, tag.get(attribute, "") or ""):
                if url and not _is_same_origin(url):
                    problems.append(f"{where} {attribute} loads from another host: {url[:80]}")
        for attribute, value in tag.attrs.items():
            lowered = attribute.lower()
            if isinstance(value, list):
                value = " ".join(value)
            if lowered.startswith("on"):
                problems.append(f"{where} event handler {attribute}={value[:60]!r}")
            if lowered == "style" and public:
                problems.append(f"{where} style attribute {value[:60]!r}")
            if lowered == "srcdoc":
                problems.append(f"{where} srcdoc")
            if lowered.split(":")[-1] in URL_ATTRIBUTES:
                for url in _urls(lowered, value):
                    scheme = url_scheme(url)
                    raster = name == "img" and lowered == "src" and _safe_data_image(url)
                    if scheme and scheme not in SAFE_SCHEMES and not raster:
                        problems.append(f"{where} {attribute} has a {scheme}: URL: {url[:80]!r}")
        # SVG animation can set an href to a script URL after load.
        target = {key.lower(): value for key, value in tag.attrs.items()}.get("attributename", "")
        if name in ("animate", "set") and target.lower().endswith("href"):
            problems.append(f"{where} animates an href")
    return problems


def _safe_data_image(url):
    """Raster data: images cannot run script (SVG can, through <use> and friends)."""
    head = _URL_NOISE.sub("", url).lower()
    return head.startswith(
        ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
    )
