"""``manage.py export_site DIR``: the public site as static files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harness_cms.operations.static_export import ExportError, SiteExporter, prepare_directory


class Command(BaseCommand):
    help = (
        "Write the public site into DIR as static files for any static host or CDN: every "
        "published page as DIR/<path>/index.html, the sitemap, robots.txt, the feed, llms.txt, "
        "404.html and the fingerprinted static files. Absolute URLs come from SITE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="where to write the site")
        parser.add_argument(
            "--force",
            action="store_true",
            help="empty DIR first when it is not empty (only what is inside DIR is deleted)",
        )
        parser.add_argument(
            "--search-url",
            default="",
            help="send search forms and links to this address of a live site (e.g. "
            "https://cms.example.com/search/); without it the export's search page says that "
            "search is not available",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=1000,
            metavar="N",
            help="report progress every N addresses (default: 1000)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            metavar="N",
            help="render in N processes (default: one per CPU; 1 renders in this process)",
        )
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, directory, force, search_url, progress_every, jobs, quiet, **options):
        if progress_every < 1:
            raise CommandError("--progress-every must be at least 1.")
        if jobs < 0:
            raise CommandError("--jobs must be 0 (one per CPU) or more.")
        if search_url and not search_url.startswith(("https://", "http://", "/")):
            raise CommandError("--search-url must be an http(s) address or a path.")
        quiet = quiet or options["verbosity"] == 0
        say = (lambda message: None) if quiet else self.stdout.write
        try:
            exporter = SiteExporter(
                Path(directory).absolute(),
                search_url=search_url,
                progress=say,
                progress_every=progress_every,
                jobs=jobs,
            )
            exporter.check_addresses()
            directory = prepare_directory(directory, force=force)
            result = exporter.run()
        except ExportError as error:
            raise CommandError(str(error)) from error
        for title, links in (
            ("Broken internal links (address ← a page linking to it)", result.broken_links),
            ("Links with a query string, which a static host ignores", result.query_links),
            ("Linked addresses with no static form (address ← why)", result.skipped),
            ("Pages not written: they hold what could run script (address ← what)", result.unsafe),
        ):
            if links:
                self.stderr.write(f"{title}: {len(links):,}")
                for link, source in list(links.items())[:20]:
                    self.stderr.write(f"  {link} ← {source or '(start)'}")
        say(
            self.style.SUCCESS(
                f"Exported {result.pages:,} pages and files, {result.redirects:,} redirects and "
                f"{result.static_files:,} static files into {directory} in "
                f"{result.seconds:.1f} s."
            )
        )
        if result.unsafe:
            raise CommandError(
                f"{len(result.unsafe):,} pages could run script and were not written: fix them "
                "(see above) before publishing this export."
            )
        if result.broken_links:
            raise CommandError(f"{len(result.broken_links):,} internal links lead nowhere.")
