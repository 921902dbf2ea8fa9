"""``manage.py content_fingerprint``: a digest of the site's content, to prove a restore or
migration complete."""

import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from harness_cms.operations.backup import canonical_rows, exported_models, fingerprint


class Command(BaseCommand):
    help = "Print a fingerprint of the site's content (equal before a backup and after restore)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="Also print the row counts and each model's digest."
        )
        parser.add_argument(
            "--rows",
            metavar="APP.MODEL",
            help="Print the canonical rows the fingerprint hashes for one model, to compare sites.",
        )

    def handle(self, *args, **options):
        if options["rows"]:
            try:
                model = apps.get_model(options["rows"])
            except (LookupError, ValueError) as error:
                raise CommandError(f"No model {options['rows']!r}.") from error
            if model not in exported_models():
                raise CommandError(f"{model._meta.label} is not part of a backup.")
            self.stdout.write("\n".join(canonical_rows(model)))
            return
        digest, counts, models = fingerprint()
        if options["json"]:
            payload = {"fingerprint": digest, "rows": counts, "models": models}
            self.stdout.write(json.dumps(payload, indent=1))
        else:
            self.stdout.write(digest)
