"""``manage.py backup_site``: a native backup and a portable JSON export."""

from django.core.management.base import BaseCommand, CommandError

from harness_cms.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database: a native copy (SQLite or pg_dump) and a portable JSON export."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="Where to write (default: backups/).")

    def handle(self, *args, dir, **options):
        try:
            paths = backup(dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for path in paths:
            self.stdout.write(f"{path}  ({path.stat().st_size:,} bytes)")
