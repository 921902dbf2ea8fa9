"""``manage.py import_content DIR``: create or update content from Markdown files."""

from django.core.management.base import BaseCommand, CommandError

from harness_cms.content_files.services import ContentFileError, import_content


class Command(BaseCommand):
    help = (
        "Create or update content from the files export_content writes, in one transaction: "
        "every file is checked first (the same rules as the admin's), and any problem means "
        "nothing is written. A folder written by export_content holds the whole site: what it "
        "does not hold is deleted (listed by --dry-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--create-only",
            action="store_true",
            help="Only create what is missing; leave everything that exists as it is.",
        )

    def handle(self, *args, directory, dry_run=False, create_only=False, verbosity=1, **options):
        def progress(number, total, name, action, changes):
            if action == "unchanged" and verbosity < 2:
                return
            if action == "deleted" and verbosity < 1:
                return
            detail = f" ({', '.join(changes)})" if changes else ""
            self.stdout.write(f"[{number}/{total}] {name}: {action}{detail}")

        try:
            report = import_content(
                directory, dry_run=dry_run, create_only=create_only, progress=progress
            )
        except ContentFileError as error:
            raise CommandError(
                "Nothing imported; fix these first:\n  " + "\n  ".join(error.problems)
            ) from error
        summary = (
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
