"""Delete for good what has been in the trash longer than the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from harness_cms.editorial.trash import purge


class Command(BaseCommand):
    help = (
        "Delete for good the items that have been in the trash longer than --days "
        "(default: the TRASH_RETENTION_DAYS setting, DJANGO_TRASH_RETENTION_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        purged = purge(older_than_days=days)
        kept = settings.TRASH_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Purged {purged} item(s) deleted more than {kept} days ago.")
