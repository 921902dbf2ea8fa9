"""``manage.py publish_scheduled``: log and announce what went live or offline since last run."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from harness_cms.editorial.services import run_schedule


class Command(BaseCommand):
    help = (
        "Handle publish and unpublish times that have come since the last run: log each item "
        "and send publication_changed (caches, sitemaps). Visibility itself needs no job; run "
        "this every minute or so from cron or a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            help="Start of the window (ISO 8601, with a time zone); default: where the last run "
            "ended, or 24 hours ago on the first run.",
        )

    def handle(self, *args, since=None, **options):
        start = None
        if since:
            start = parse_datetime(since)
            if start is None or start.tzinfo is None:
                raise CommandError(
                    f"--since {since!r} is not an ISO 8601 time with a time zone, "
                    "e.g. 2026-05-01T09:00:00+00:00."
                )
        report = run_schedule(since=start)
        for obj in report.went_live:
            self.stdout.write(f"live     {obj.get_absolute_url()}  {obj}")
        for obj in report.went_offline:
            self.stdout.write(f"offline  {obj.get_absolute_url()}  {obj}")
        for obj in report.drafts_published:
            self.stdout.write(f"changes  {obj.get_absolute_url()}  {obj}")
        for draft, reason in report.drafts_refused:
            self.stderr.write(f"draft    {draft}: {reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.window_start:%Y-%m-%d %H:%M:%S} → {report.window_end:%Y-%m-%d %H:%M:%S}: "
                f"{len(report.went_live)} went live, {len(report.went_offline)} went offline."
            )
        )
