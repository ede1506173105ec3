import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from clusterbroker.plans.report_pdf import report_pdf
from clusterbroker.plans.reports import build_report, kpi_rows, report_xlsx
from clusterbroker.registry.models import Partnership


class Command(BaseCommand):
    help = "Print a partnership's KPIs against their targets; optionally write its report."

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="the partnership's identifier (slug)")
        parser.add_argument("--on", help="the day to compute for (YYYY-MM-DD); default today")
        parser.add_argument("--pdf", help="also write the report as a PDF to this file")
        parser.add_argument("--xlsx", help="also write the report as a workbook to this file")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership '{options['partnership']}'.")
        try:
            today = dt.date.fromisoformat(options["on"]) if options["on"] else dt.date.today()
        except ValueError as error:
            raise CommandError(f"--on: {error}") from error
        report = build_report(partnership, today)
        rows = kpi_rows(report)
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = zip(row, widths, strict=True)
            self.stdout.write("  ".join(value.ljust(width) for value, width in cells).rstrip())
        for option, render in (("pdf", report_pdf), ("xlsx", report_xlsx)):
            if options[option]:
                with open(options[option], "wb") as file:
                    file.write(render(report))
                self.stdout.write(self.style.SUCCESS(f"Report written to {options[option]}."))
