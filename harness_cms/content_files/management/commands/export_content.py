"""``manage.py export_content DIR``: every item as Markdown with front matter."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from harness_cms.content_files.services import export_content


class Command(BaseCommand):
    help = (
        "Write every role, page and comparison as Markdown with a YAML front matter (fields, "
        "tags, FAQ placements, cards), plus faqs.yaml, topics.yaml and site.yaml, into DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write; created if missing.")

    def handle(self, *args, directory, verbosity=1, **options):
        root = Path(directory)
        if root.exists() and not root.is_dir():
            raise CommandError(f"{root} exists and is not a directory.")

        def progress(number, total, name, action):
            if verbosity >= 2 or (verbosity >= 1 and total >= 50 and number % 25 == 0):
                self.stdout.write(f"[{number}/{total}] {name}")

        written, skipped = export_content(root, progress=progress)
        for warning in skipped:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {root}/."))
