import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterbroker.ops.personal_data import PersonalDataError, export_person, get_person


class Command(BaseCommand):
    help = "Print all data about a person (personal data export) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("person_id", help="the person's id (as in the admin)")
        parser.add_argument("--output", "-o", help="write to this file instead of printing")

    def handle(self, *args, person_id: str, output: str | None, **options):
        try:
            data = export_person(get_person(person_id))
        except PersonalDataError as error:
            raise CommandError(str(error)) from error
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Written to {output}.")
        else:
            self.stdout.write(text)
