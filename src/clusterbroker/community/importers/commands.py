"""`clusterbroker import eu-calls FILE`: called by the import command."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from .eu_calls import import_eu_calls


def run_eu_calls_import(command: BaseCommand, file: Path) -> None:
    report = import_eu_calls(file)
    if not report.ok:
        for error in report.errors:
            command.stderr.write(f"{file.name}: {error}")
        raise CommandError(
            _("%(file)s: %(n)s problem(s) found; nothing was imported.")
            % {"file": file.name, "n": len(report.errors)}
        )
    command.stdout.write(
        command.style.SUCCESS(
            _(
                "%(file)s: %(records)s calls, %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged; %(repaired)s texts repaired."
            )
            % {"file": file.name, **report.__dict__}
        )
    )
