"""The static export: the public site written as files for any static host or CDN.

Every page is rendered in this process through the real URL resolver and views, as the live
site renders it, with production settings for whatever shows in the HTML: ``DEBUG`` off and the
fingerprinted static files of a ``collectstatic`` run into the export itself. No HTTP server
and no middleware are involved (middleware sets headers, and a file carries none).

What is exported is found by a crawl: the sitemap (or its index and parts), robots.txt, the
feed, llms.txt, the home page and the topic index seed it, and every internal link on every
exported page is followed. Search has no static equivalent (decision 0044): by default the
export writes a page at the search address that says so, or ``search_url`` points every
search form and link at a live site instead.
"""

import html
import multiprocessing
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, connections
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape
from django.views import defaults

from harness_cms.core.models import Redirect, SiteSettings
from harness_cms.core.views import crumb, home_crumb
from harness_cms.search.views import suggestions

# The storage production uses (settings.STORAGES without DEBUG): hashed names, gzip and brotli.
STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# The admin's own files are never linked from a public page.
STATIC_IGNORE = ["admin"]
# Views with no static equivalent: never rendered, never written.
DYNAMIC_VIEWS = {"search:search", "healthz", "favicon"}

# Addresses a worker process renders between two reports to the parent, at most; a small round
# is cut finer so that every worker gets a share.
CHUNK = 40

_ATTRIBUTE_LINK = re.compile(r'(?:href|src|action)="([^"]*)"')
# Responsive images list several files; link previews name their picture in a meta tag.
_SRCSET = re.compile(r'srcset="([^"]*)"')
_META_IMAGE = re.compile(r'<meta (?:property|name)="(?:og|twitter):image" content="([^"]*)"')
# What in a page could run script on a host that sends no CSP: a script that is neither data
# (JSON-LD) nor one of the site's own files, an event handler, a javascript: or vbscript:
# address. Sanitising keeps all of it out of what editors write; this is the last check.
_SCRIPT_CAPABLE = re.compile(
    r"<script\b(?![^>]*\btype=\"application/ld\+json\")(?![^>]*\bsrc=\"/static/)"
    r"|<[a-z][^>]*\son[a-z]+\s*="
    r"|<[a-z][^>]*\s(?:href|src|action|formaction)\s*=\s*[\"']?\s*(?:javascript|vbscript):",
    re.IGNORECASE,
)
# The headers the live site sends with every page that a file cannot carry: written for the
# static hosts that read them (_headers: Netlify, Cloudflare Pages; an nginx include).
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
]
HEADER_FILES = ["_headers", "nginx-headers.conf"]
_SEARCH_ATTRIBUTE = '(href|action)="{path}"'


class ExportError(Exception):
    """The export cannot go on; the message says why and what to do."""


@dataclass
class ExportResult:
    pages: int = 0
    files: int = 0
    static_files: int = 0
    redirects: int = 0
    seconds: float = 0.0
    broken_links: dict = field(default_factory=dict)  # path -> a page linking to it
    query_links: dict = field(default_factory=dict)  # link with a query string -> a page
    skipped: dict = field(default_factory=dict)  # path -> why it is not a file
    unsafe: dict = field(default_factory=dict)  # path -> what in it could run script

    def merge(self, other):
        """Add what ``other`` (a worker's share of the pages) counted and found."""
        self.pages += other.pages
        self.files += other.files
        for name in ("broken_links", "query_links", "skipped", "unsafe"):
            for path, source in getattr(other, name).items():
                getattr(self, name).setdefault(path, source)


# Written into every export: ``--force`` empties only a directory that holds one, never a
# folder of the project (docs/, backups/, .venv/) or anything else that happens to be there.
MARKER = ".harness-export"


def prepare_directory(directory, *, force):
    """Make ``directory`` an empty directory holding the export's marker; with ``force``,
    empty an existing one first — only if an earlier export wrote it.

    Only what is inside ``directory`` is ever deleted (symbolic links are removed, not followed),
    and the project's own directory, or one holding it, is refused.
    """
    directory = Path(directory).absolute()
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} exists and is not a directory.")
    if directory.is_dir() and any(directory.iterdir()):
        if not force:
            raise ExportError(
                f"{directory} is not empty. Export into a new or empty directory, or pass "
                "--force to replace an earlier export."
            )
        resolved = directory.resolve()
        base = Path(settings.BASE_DIR).resolve()
        if resolved == Path(resolved.anchor) or resolved == base or resolved in base.parents:
            raise ExportError(f"Refusing to empty {directory}: it holds the project itself.")
        if not (directory / MARKER).is_file():
            raise ExportError(
                f"Refusing to empty {directory}: it holds no earlier export (no {MARKER} "
                "file), so --force would delete files the export did not write. Export into a "
                "new directory, or empty this one yourself."
            )
        for child in directory.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MARKER).write_text(
            "Written by manage.py export_site: export_site --force may replace this directory.\n"
        )
    except OSError as error:
        raise ExportError(f"Cannot create {directory}: {error.strerror}.") from error
    return directory


def available_cpus():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def database_is_shared():
    """Whether other processes see what this one sees in the database: not inside an open
    transaction (its writes are invisible to them) nor in an in-memory SQLite database."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()
    return True


# The exporter of the parent process, inherited by the workers it forks.
_worker_exporter = None


def _export_chunk(paths):
    """In a worker: export ``paths``; return their links, and the counts and files added."""
    exporter = _worker_exporter
    exporter.result, exporter.written = ExportResult(), set()
    exported = [(path, exporter.export_page(path)) for path in paths]
    return exported, exporter.result, exporter.written


def file_for(directory, path):
    """Where the page at ``path`` is written: ``/a/b/`` → ``a/b/index.html``, ``/x.xml`` →
    ``x.xml``; None for an address no file can stand for."""
    parts = PurePosixPath(unquote(path)).parts[1:]
    if any(part in {"..", "."} or "\\" in part for part in parts):
        return None
    if path.endswith("/"):
        return directory.joinpath(*parts, "index.html")
    if not parts or "." not in parts[-1]:
        return None
    return directory.joinpath(*parts)


class SiteExporter:
    """Renders and writes the public site; ``run()`` does it all and returns an ExportResult."""

    def __init__(self, directory, *, search_url="", progress=None, progress_every=1000, jobs=None):
        self.directory = Path(directory)
        self.search_url = search_url
        self.jobs = jobs or available_cpus()
        self.progress = progress or (lambda message: None)
        self.progress_every = progress_every
        origin = urlsplit(settings.SITE_URL)
        if origin.scheme not in {"http", "https"} or not origin.netloc:
            raise ExportError(
                f"SITE_URL={settings.SITE_URL!r} is not an absolute http(s) address; set it to "
                "the origin the export will be served from, e.g. https://www.example.com."
            )
        self.origin = settings.SITE_URL
        self.host = origin.netloc
        self.secure = origin.scheme == "https"
        self.factory = RequestFactory()
        self.result = ExportResult()

    # --- the steps

    def reserved_names(self):
        """Names the export writes at its top level: no earlier address may stand for them."""
        seeds = {path.strip("/").split("/")[0] for path in self.seeds() if "." in path}
        return {*seeds, "404.html", MARKER, *HEADER_FILES, settings.STATIC_URL.strip("/")}

    def check_addresses(self):
        """Refuse, before anything is written, earlier addresses (redirects) that would be
        written where the export's own files go (``/llms.txt/`` as ``llms.txt/index.html``
        beside the file ``llms.txt``: a crash after every page was written)."""
        reserved = self.reserved_names()
        clashing = [
            old_path
            for old_path in Redirect.objects.filter(old_path__endswith="/").values_list(
                "old_path", flat=True
            )
            if (first := old_path.strip("/").split("/")[0]) in reserved
            or re.fullmatch(r"sitemap-.*\.xml", first)
        ]
        if clashing:
            raise ExportError(
                "These earlier addresses (redirects) would be written where the export's own "
                f"files go ({', '.join(sorted(reserved))}, sitemap parts): "
                f"{', '.join(sorted(clashing))}. Delete or change them in the redirect "
                "manager, then export again. Nothing was written."
            )

    def run(self):
        if not settings.STATIC_URL.startswith("/"):
            raise ExportError(
                f"STATIC_URL={settings.STATIC_URL!r}: the export writes the static files under "
                "its own directory and needs STATIC_URL to be a path such as /static/."
            )
        static_dir = self.directory / settings.STATIC_URL.strip("/")
        started = time.perf_counter()
        production = override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[self.host.split(":")[0]],
            STATIC_ROOT=str(static_dir),
            STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}},
        )
        with production:
            self.collect_static(static_dir)
            self.crawl()
            self.write_search_page()
            self.write_not_found_page()
            self.write_redirects()
            self.write_header_files()
        self.result.seconds = time.perf_counter() - started
        return self.result

    def collect_static(self, static_dir):
        self.progress("Collecting the static files…")
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=STATIC_IGNORE)
        self.static_names = {
            str(path.relative_to(static_dir)) for path in static_dir.rglob("*") if path.is_file()
        }
        self.result.static_files = len(self.static_names)

    def seeds(self):
        return [
            reverse("seo:sitemap"),
            reverse("seo:robots"),
            reverse("seo:feed"),
            reverse("seo:llms"),
            reverse("pages:home"),
            reverse("faq:index"),
            reverse("topics:tags"),
        ]

    def crawl(self):
        """Export the seeds and everything they link to, breadth first: round after round,
        the addresses found and not yet exported, in ``jobs`` processes when there are many."""
        self.found = dict.fromkeys(self.seeds())  # path -> the first page linking to it
        self.written = set()
        self.started_crawl = time.perf_counter()
        self.done = 0
        jobs = self.jobs if self.jobs > 1 and database_is_shared() else 1
        pending = list(self.found)
        while pending:
            if jobs > 1 and len(pending) >= 2 * jobs:
                batches = self.export_in_processes(pending, jobs)
            else:
                batches = ([(path, self.export_page(path))] for path in pending)
            pending = []
            for batch in batches:
                for path, links in batch:
                    for link in links:
                        if link not in self.found:
                            self.found[link] = path
                            pending.append(link)
                    self.done += 1
                    if self.done % self.progress_every == 0:
                        self.report_progress()
        if self.done % self.progress_every:
            self.report_progress()

    def report_progress(self):
        elapsed = time.perf_counter() - self.started_crawl
        self.progress(
            f"  {self.done:,}/{len(self.found):,} addresses  {elapsed:.1f} s  "
            f"{self.done / elapsed if elapsed else 0:,.0f}/s"
        )

    def export_in_processes(self, paths, jobs):
        """Export ``paths`` in ``jobs`` forked processes; yield each chunk's (path, links) and
        fold what the workers counted and wrote into this exporter's result."""
        global _worker_exporter
        _worker_exporter = self
        self.progress(f"  rendering {len(paths):,} addresses in {jobs} processes…")
        # Each worker opens its own database connections; none may be shared across a fork.
        connections.close_all()
        size = max(1, min(CHUNK, len(paths) // (4 * jobs)))
        chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for exported, result, written in pool.imap_unordered(_export_chunk, chunks):
                self.written |= written
                self.result.merge(result)
                yield exported
        _worker_exporter = None

    def export_page(self, path):
        """Render ``path``, write it when it is a page, and return the internal links on it."""
        target = file_for(self.directory, path)
        if target is None:
            self.result.skipped[path] = "no file name can stand for this address"
            return []
        status, content, content_type = self.render(path)
        if status is None:  # a dynamic view: see write_search_page
            return []
        if status == 404:
            self.result.broken_links[path] = self.found.get(path)
            return []
        if status != 200:
            self.result.skipped[path] = f"answers {status}"
            return []
        if content_type.startswith("image/"):
            links = []
        else:
            text = content.decode()
            if content_type.startswith("text/html") and (found := _SCRIPT_CAPABLE.search(text)):
                self.result.unsafe[path] = found[0][:80]
                return []
            links = self.links_in(text, path, is_html=content_type.startswith("text/html"))
            if self.search_url and content_type.startswith("text/html"):
                content = self.point_search_elsewhere(text).encode()
        self.write(target, content)
        self.written.add(path)
        self.result.pages += 1
        return links

    def render(self, path):
        """(status, body, content type) of ``path`` as the live site answers it; the status is
        None for a view that has no static equivalent."""
        request = self.factory.get(path, secure=self.secure, HTTP_HOST=self.host)
        request.user = AnonymousUser()
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return 404, b"", ""
        if match.view_name in DYNAMIC_VIEWS or match.view_name.startswith("admin:"):
            return None, b"", ""
        request.resolver_match = match
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
        except Http404:
            return 404, b"", ""
        except Exception as error:
            raise ExportError(f"Rendering {path} failed: {error!r}") from error
        if response.streaming:  # a file of the image library
            content = b"".join(response.streaming_content)
            # The file only: closing the response would end the "request" and close the
            # database connection the export goes on with.
            response.file_to_stream.close()
        else:
            content = response.content
        return response.status_code, content, response.get("Content-Type", "")

    def links_in(self, text, source, *, is_html):
        """The internal addresses ``text`` links to, without fragments; static files are
        checked against the collected ones instead of being followed."""
        if is_html:
            values = _ATTRIBUTE_LINK.findall(text) + _META_IMAGE.findall(text)
            for srcset in _SRCSET.findall(text):
                values += [entry.strip().split(" ")[0] for entry in srcset.split(",")]
            candidates = (html.unescape(value) for value in values)
        else:
            candidates = re.findall(re.escape(self.origin) + r"/[^\s\"'<>)\]]*", text)
        static_url = settings.STATIC_URL
        links = []
        for link in candidates:
            if link.startswith(self.origin + "/"):
                link = link[len(self.origin) :]
            if not link.startswith("/") or link.startswith("//"):
                continue
            link = link.split("#", 1)[0]
            if "?" in link:
                self.result.query_links.setdefault(link, source)
                continue
            if link.startswith(static_url):
                if unquote(link[len(static_url) :]) not in self.static_names:
                    self.result.broken_links.setdefault(link, source)
                continue
            links.append(link)
        return links

    def point_search_elsewhere(self, text):
        pattern = _SEARCH_ATTRIBUTE.format(path=re.escape(reverse("search:search")))
        value = escape(self.search_url)
        return re.sub(pattern, lambda match: f'{match[1]}="{value}"', text)

    def write(self, target, content):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        self.result.files += 1

    # --- pages that are not the live site's

    def page_request(self, path):
        request = self.factory.get(path, secure=self.secure, HTTP_HOST=self.host)
        request.user = AnonymousUser()
        return request

    def write_search_page(self):
        """Without a live search to send visitors to, the search address explains itself."""
        if self.search_url:
            return
        path = reverse("search:search")
        context = {
            "page_title": SiteSettings.load().page_title("Search"),
            "noindex": True,
            "meta_description": "Search is not available on this copy of the site.",
            "canonical_path": path,
            "breadcrumbs": [home_crumb(), crumb("Search", path)],
            **suggestions(),
        }
        content = render_to_string(
            "search/search_static.html", context, request=self.page_request(path)
        )
        self.write(file_for(self.directory, path), content.encode())
        self.written.add(path)

    def write_not_found_page(self):
        """``404.html`` at the top, the name static hosts look for."""
        request = self.page_request("/404.html")
        response = defaults.page_not_found(request, Http404("No page at this address."))
        content = response.content.decode()
        if self.search_url:
            content = self.point_search_elsewhere(content)
        self.write(self.directory / "404.html", content.encode())

    def write_header_files(self):
        """The live site's security headers (CSP and the rest) as files static hosts read:
        ``_headers`` (Netlify, Cloudflare Pages) and ``nginx-headers.conf`` (an include for
        the ``server`` or ``location`` block that serves the export)."""
        response = Client().get(
            reverse("seo:robots"), secure=self.secure, headers={"host": self.host}
        )
        headers = [(name, response[name]) for name in SECURITY_HEADERS if response.has_header(name)]
        lines = "".join(f"  {name}: {value}\n" for name, value in headers)
        self.write(self.directory / "_headers", f"/*\n{lines}".encode())
        nginx = "".join(
            f'add_header {name} "{value.replace(chr(34), chr(39))}" always;\n'
            for name, value in headers
        )
        comment = "# The live site's security headers; include in the block serving the export.\n"
        self.write(self.directory / "nginx-headers.conf", (comment + nginx).encode())

    def write_redirects(self):
        """An item's earlier addresses as small pages that send the visitor on (a static host
        cannot answer 301 by itself)."""
        rows = Redirect.objects.filter(old_path__endswith="/").values_list(
            "old_path", "target__path"
        )
        for old_path, new_path in rows.iterator():
            if new_path not in self.written or old_path in self.written:
                continue
            target = file_for(self.directory, old_path)
            if target is None or target.exists():
                continue
            content = render_to_string(
                "operations/export_redirect.html",
                {"location": new_path, "canonical": self.origin + new_path},
            )
            self.write(target, content.encode())
            self.result.redirects += 1
