"""Personal data of a person (GDPR): export everything about them, erase what is personal.

Everything that refers to a person or to their user account is found from the models
themselves (every foreign key, one-to-one and many-to-many field pointing at `Person` or at
the user model, in any installed app), so records of apps added later are exported without
a change here. Erasure blanks the person's and the user's personal fields, the fields of
other records listed in `PERSONAL_FIELDS`, and the same fields in the change history of the
person; records that are not personal (positions, roles, registrations, meetings) are kept
and now point at an anonymous person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.registry.models import ApiToken, Person

# Fields of the person and of their user account that are personal data.
PERSON_FIELDS = ("first_name", "last_name", "email", "phone")
USER_FIELDS = ("first_name", "last_name", "email")

# Personal fields of other records that point at the person or their user, blanked on
# erasure: {"app_label.model": ("field", …)}. An app whose records hold personal data
# about the person who made them adds its entry here.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "events.participant": ("contact_name",),
    "plans.kpivalue": ("entered_by_name",),
    "community.offer": ("contact_email",),
}

# Personal fields of records that point at the person or their user through one field
# only: {"app_label.model:field": ("field", …)} (an invitation holds its invitee's address;
# the same record also points at whoever sent it, whose erasure must not blank it).
PERSONAL_FIELDS_BY_LINK: dict[str, tuple[str, ...]] = {
    "invitations.invitation:accepted_by": ("email", "name"),
    "invitations.joinrequest:user": ("message",),
}

# Records whose only purpose is the account, deleted on erasure: {"app_label.model": the
# field that points at the user}. API tokens, e-mail addresses and two-factor devices of the
# log-in, account settings, notices and their e-mails.
DELETED_WITH_ACCOUNT: dict[str, str] = {
    ApiToken._meta.label_lower: "user",
    "account.emailaddress": "user",
    "mfa.authenticator": "user",
    "accounts.accountsettings": "user",
    "notifications.notification": "recipient",
    "notifications.notificationpreference": "user",
    "notifications.outgoingemail": "user",
}

# Values that the export leaves out: secrets that would let whoever holds the file log in
# as the person (the authenticator app's key, the recovery codes).
WITHHELD: dict[str, tuple[str, ...]] = {"mfa.authenticator": ("data",)}


def _deleted_with_account() -> list[tuple[type[models.Model], str]]:
    found = []
    for label, field_name in DELETED_WITH_ACCOUNT.items():
        try:
            found.append((apps.get_model(label), field_name))
        except LookupError:
            continue
    return found


class PersonalDataError(Exception):
    pass


def get_person(person_id: Any) -> Person:
    try:
        return Person.objects.select_related("user").get(pk=int(person_id))
    except (Person.DoesNotExist, TypeError, ValueError) as error:
        raise PersonalDataError(_("No person with id “%(id)s”.") % {"id": person_id}) from error


def _references(person: Person) -> list[tuple[type[models.Model], str, models.QuerySet]]:
    """(model, field name, records) for every field pointing at the person or their user."""
    targets: dict[type[models.Model], Any] = {Person: person}
    if person.user_id:
        targets[get_user_model()] = person.user
    found = []
    for model in apps.get_models():
        if model is Person or _history_of(model) is not None:
            continue
        for f in model._meta.get_fields():
            if not (f.is_relation and f.concrete) or f.related_model not in targets:
                continue
            if getattr(f.remote_field, "through", None) is not None and f.many_to_many:
                records = model._base_manager.filter(**{f.name: targets[f.related_model]})
            else:
                records = model._base_manager.filter(**{f.attname: targets[f.related_model].pk})
            found.append((model, f.name, records))
    return found


def _history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The model whose change history `model` holds (django-simple-history), if any."""
    tracked = getattr(model, "instance_type", None)
    return tracked if isinstance(tracked, type) and hasattr(model, "history_id") else None


def _history_models(of: type[models.Model]) -> list[type[models.Model]]:
    return [m for m in apps.get_models() if _history_of(m) is of]


def _serialise(objects) -> list[dict]:
    rows = serializers.serialize("python", objects)
    for row, obj in zip(rows, objects, strict=True):
        row["label"] = str(obj)
    return rows


def export_person(person: Person) -> dict:
    """All data about `person` as a JSON-ready dictionary."""
    user = person.user
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": {"id": person.pk, **{name: getattr(person, name) for name in PERSON_FIELDS}},
        "user": None,
        "records": {},
        "history": {},
    }
    if user is not None:
        data["user"] = {
            "id": user.pk,
            "username": user.get_username(),
            **{name: getattr(user, name, "") for name in USER_FIELDS},
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "groups": [g.name for g in user.groups.all()],
        }
    for model, field_name, records in _references(person):
        objects = list(records)
        if not objects:
            continue
        key = f"{model._meta.label_lower}.{field_name}"
        rows = _serialise(objects)
        for name in WITHHELD.get(model._meta.label_lower, ()):
            for row in rows:
                if name in row["fields"]:
                    row["fields"][name] = _("(withheld: a secret of the log-in)")
        data["records"][key] = rows
    for history in _history_models(Person):
        rows = list(history.objects.filter(id=person.pk).order_by("history_date"))
        if rows:
            data["history"][history._meta.label_lower] = [
                {
                    "history_date": row.history_date,
                    "history_type": row.history_type,
                    **{name: getattr(row, name) for name in PERSON_FIELDS},
                }
                for row in rows
            ]
    return _json_ready(data)


def _json_ready(value):
    """Dates and other values as text, so that `json.dumps` takes the result as it is."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@dataclass
class ErasureReport:
    person_id: int
    fields: list[str] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int) -> None:
        if n:
            self.records[key] = self.records.get(key, 0) + n


def anonymous_values(person_id: int) -> dict[str, str]:
    return {
        "first_name": _("Erased"),
        "last_name": _("person %(id)s") % {"id": person_id},
        "email": "",
        "phone": "",
    }


@transaction.atomic
def erase_person(person: Person) -> ErasureReport:
    """Remove `person`'s personal data; keep the records that are not personal."""
    report = ErasureReport(person.pk)
    anonymous = anonymous_values(person.pk)
    addresses = {a for a in (person.email, getattr(person.user, "email", "")) if a}
    references = _references(person)
    deleted = {model for model, _field in _deleted_with_account()}
    for model, field_name, records in references:
        label = model._meta.label_lower
        personal = PERSONAL_FIELDS_BY_LINK.get(f"{label}:{field_name}") or PERSONAL_FIELDS.get(
            label, ()
        )
        if personal and model not in deleted:
            blank = {name: "" for name in personal}
            ids = list(records.values_list("pk", flat=True))
            report.count(model._meta.label_lower, records.update(**blank))
            for history in _history_models(model):
                rows = history.objects.filter(
                    models.Q(id__in=ids) | _pointing_at(history, field_name, person)
                )
                report.count(history._meta.label_lower, rows.update(**blank))
    for name, value in anonymous.items():
        setattr(person, name, value)
    person.save()
    report.fields = [f"person.{name}" for name in anonymous]
    for history in _history_models(Person):
        report.count(
            history._meta.label_lower, history.objects.filter(id=person.pk).update(**anonymous)
        )
    user = person.user
    if user is not None:
        for model, field_name in _deleted_with_account():
            report.count(
                model._meta.label_lower,
                model._base_manager.filter(**{field_name: user}).delete()[0],
            )
        outbox = _outbox_to(addresses)
        if outbox is not None:
            report.count(outbox.model._meta.label_lower, outbox.delete()[0])
        report.count("sessions.session", _delete_sessions(user.pk))
        user.username = f"erased-{user.pk}"
        for name in USER_FIELDS:
            setattr(user, name, "")
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        report.fields += ["user.username", *[f"user.{n}" for n in USER_FIELDS], "user.password"]
        for history in _history_models(type(user)):
            report.count(
                history._meta.label_lower,
                history.objects.filter(id=user.pk).update(
                    username=user.username, **{n: "" for n in USER_FIELDS}
                ),
            )
    report.count("admin.logentry", _anonymise_admin_log(person, str(person)))
    return report


def _outbox_to(addresses: set[str]) -> models.QuerySet | None:
    """E-mails still kept for the person's addresses (sent before they had an account)."""
    try:
        model = apps.get_model("notifications.outgoingemail")
    except LookupError:
        return None
    query = models.Q()
    for address in addresses:
        query |= models.Q(to_address__iexact=address)
    return model._base_manager.filter(query) if addresses else None


def _pointing_at(history: type[models.Model], field_name: str, person: Person) -> models.Q:
    """Versions whose `field_name` pointed at the person or their user: those of records
    deleted since, or that point elsewhere now, are personal as well."""
    try:
        f = history._meta.get_field(field_name)
    except FieldDoesNotExist:
        return models.Q(pk__in=[])
    if not (f.many_to_one or f.one_to_one):
        return models.Q(pk__in=[])
    target_pk = person.pk if f.related_model is Person else person.user_id
    return models.Q(**{f.attname: target_pk}) if target_pk else models.Q(pk__in=[])


def _delete_sessions(user_id: int) -> int:
    if not apps.is_installed("django.contrib.sessions"):
        return 0
    from django.contrib.sessions.models import Session

    deleted = 0
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()
            deleted += 1
    return deleted


def _anonymise_admin_log(person: Person, label: str) -> int:
    """The admin's log names changed objects; it names the person no longer."""
    if not apps.is_installed("django.contrib.admin"):
        return 0
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).update(object_repr=label)
