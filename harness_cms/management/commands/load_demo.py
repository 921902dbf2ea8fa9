from django.core.management.base import BaseCommand, CommandError

from harness_cms.demo import DemoContentError, load_demo


class Command(BaseCommand):
    help = "Create the demo cluster (roles, comparisons, pages, FAQs); keeps what exists."

    def handle(self, *args, **options):
        try:
            report = load_demo()
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {len(report.created)} created, "
                f"{len(report.kept)} already there and kept as they are."
            )
        )
