"""``manage.py load_demo``: the demo cluster, keeping what exists."""

from django.core.management.base import BaseCommand, CommandError

from harness_cms.content_files.demo import load_demo
from harness_cms.content_files.services import ContentFileError


class Command(BaseCommand):
    help = "Create the demo cluster (roles, comparisons, pages, FAQs); keeps what exists."

    def handle(self, *args, **options):
        try:
            report = load_demo()
        except ContentFileError as error:
            problems = "\n  ".join(error.problems)
            raise CommandError(f"Demo content not loaded:\n  {problems}") from error
        kept = len(report.unchanged) + len(report.updated)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {len(report.created)} created, "
                f"{kept} already there and kept as they are."
            )
        )
