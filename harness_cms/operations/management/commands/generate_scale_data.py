"""``manage.py generate_scale_data``: a large generated site for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from harness_cms.operations.scale_data import (
    Counts,
    ScaleDataError,
    clear,
    generate,
    generated_count,
)


class Command(BaseCommand):
    help = (
        "Generate a large published site (roles, comparisons, cluster pages, FAQs, cards, tags) "
        "with bulk inserts, for benchmarks and load tests. Other content is kept; generated "
        "content already there is refused unless --clear replaces it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--roles", type=int, default=210, help="default: 210")
        parser.add_argument(
            "--comparisons",
            type=int,
            default=20_000,
            help="default: 20000; at most roles × (roles − 1) / 2",
        )
        parser.add_argument("--pages", type=int, default=2_000, help="default: 2000")
        parser.add_argument("--faqs", type=int, default=100_000, help="default: 100000")
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed gives the same site (default: 1)"
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="rows per insert (default: 1000)"
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="delete previously generated content first (only content the generator wrote)",
        )

    def handle(self, *args, **options):
        counts = Counts(
            roles=options["roles"],
            comparisons=options["comparisons"],
            pages=options["pages"],
            faqs=options["faqs"],
        )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        started = time.monotonic()
        try:
            counts.check()
            existing = generated_count()
            if existing and not options["clear"]:
                raise CommandError(
                    f"Generated content is already here ({existing:,} items and FAQs). "
                    "Run again with --clear to replace it; other content is never touched."
                )
            if existing:
                clear(progress=self.stdout.write)
            written = generate(
                counts,
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=self.stdout.write,
            )
        except ScaleDataError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count:,} {label}" for label, count in written.items())
        self.stdout.write(
            self.style.SUCCESS(f"Generated {summary} in {time.monotonic() - started:.0f} s.")
        )
