"""``manage.py cluster_audit``: the cluster health report on the command line."""

import json

from django.core.management.base import BaseCommand

from harness_cms.seo import audit


class Command(BaseCommand):
    help = (
        "Check the content cluster: orphans, broken links, hub and spoke links, missing page "
        "kinds, the comparison matrix, keyword cannibalization, duplicate FAQs and SEO fields. "
        "Exits 1 when there are errors (with --strict, warnings too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--strict", action="store_true", help="Exit 1 on warnings as well as errors."
        )

    def handle(self, *args, **options):
        report = audit.run()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self._print(report)
        failed = report.errors or (options["strict"] and report.warnings)
        if failed:
            # SystemExit rather than CommandError: the report is already printed, and CI
            # needs only the status.
            raise SystemExit(1)

    def _print(self, report):
        style = {
            audit.Severity.ERROR: self.style.ERROR,
            audit.Severity.WARNING: self.style.WARNING,
            audit.Severity.NOTE: str,
        }
        for rule, findings in report.by_rule().items():
            self.stdout.write(self.style.MIGRATE_HEADING(f"{rule} ({len(findings)})"))
            for finding in findings:
                where = f"  [{finding.path}]" if finding.path else ""
                self.stdout.write(
                    style[finding.severity](f"  {finding.severity}: {finding.message}{where}")
                )
        matrix = report.matrix
        if matrix["roles"]:
            self.stdout.write(self.style.MIGRATE_HEADING("comparison matrix"))
            width = max(len(name) for name in matrix["roles"])
            for row in matrix["rows"]:
                cells = "  ".join(f"{cell or '—':<9}" for cell in row["cells"])
                self.stdout.write(f"  {row['role']:<{width}}  {cells}")
        summary = (
            f"{report.item_count} items: {report.errors} errors, {report.warnings} warnings, "
            f"{report.count(audit.Severity.NOTE)} notes."
        )
        self.stdout.write(
            self.style.ERROR(summary) if report.errors else self.style.SUCCESS(summary)
        )
