"""``manage.py restore_site FILE``: replace the site's content with a backup."""

import sys

from django.core.management.base import BaseCommand, CommandError

from harness_cms.operations.backup import BackupError, fingerprint, restore


class Command(BaseCommand):
    help = (
        "Replace the database's content with a backup: a .sqlite3 or .pgdump file (same "
        "engine) or a .json export (either engine)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file (from make backup).")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the content."
        )
        parser.add_argument(
            "--allow-empty",
            action="store_true",
            help="Restore a backup with no content or no user account (refused otherwise).",
        )

    def handle(self, *args, path, yes, allow_empty, **options):
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Add --yes to replace the content without being asked.")
            answer = input(f"Replace everything in the database with {path}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing was restored.")
        try:
            restore(path, allow_empty=allow_empty)
        except BackupError as error:
            raise CommandError(str(error)) from error
        digest, counts, _ = fingerprint()
        self.stdout.write(f"Restored {path}: {sum(counts.values())} rows, fingerprint {digest}")
