import json

from django.core.management.base import BaseCommand

from harness_cms.backup import fingerprint


class Command(BaseCommand):
    help = "Print a fingerprint of the site's content (equal before a backup and after restore)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Also print the row counts.")

    def handle(self, *args, **options):
        digest, counts = fingerprint()
        if options["json"]:
            self.stdout.write(json.dumps({"fingerprint": digest, "rows": counts}, indent=1))
        else:
            self.stdout.write(digest)
