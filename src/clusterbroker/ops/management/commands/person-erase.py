from django.core.management.base import BaseCommand, CommandError

from clusterbroker.ops.personal_data import PersonalDataError, erase_person, get_person


class Command(BaseCommand):
    help = (
        "Erase a person's personal data: name, e-mail, phone, user account (made unusable), "
        "API tokens, sessions, and the same fields in the change history. Records that are "
        "not personal are kept. Cannot be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("person_id", help="the person's id (as in the admin)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, person_id: str, yes: bool, **options):
        try:
            person = get_person(person_id)
        except PersonalDataError as error:
            raise CommandError(str(error)) from error
        if not yes:
            answer = input(f"Erase the personal data of {person} (id {person.pk})? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing erased.")
        report = erase_person(person)
        changed = ", ".join(f"{k}: {v}" for k, v in sorted(report.records.items())) or "none"
        self.stdout.write(f"Person {report.person_id} erased. Other records changed: {changed}.")
