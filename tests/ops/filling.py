"""Fill a database with every kind of record the project has.

Factories and the sample data loaders make the registry's and the events' records; any
model of the project still empty afterwards (a model an app added later) gets one record
made from its fields, so new models join the round trip without a change here.
"""

import datetime as dt
import decimal
import uuid

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils import timezone

from clusterbroker.events.models import Meeting
from clusterbroker.events.sample_data import load_sample_events
from clusterbroker.registry.models import (
    ApiToken,
    DuplicateProposal,
    Label,
    MergeRecord,
    OrganisationIdentifier,
    Term,
)
from clusterbroker.registry.sample_data import load_sample_data

from ..events.factories import MeetingRequestFactory, ParticipantFactory, SessionFactory
from ..factories import (
    MembershipFactory,
    ParticipationFactory,
    PartnershipRoleFactory,
    PositionFactory,
    TermFactory,
    UserFactory,
)


def project_models() -> list[type[models.Model]]:
    """Concrete models of the project's own apps (and of the auth app: users, groups)."""
    return [
        model
        for model in apps.get_models()
        if (
            model._meta.app_config.name.startswith("clusterbroker.")
            or model._meta.app_label == "auth"
        )
        and model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower != "auth.permission"
    ]


def fill_everything() -> list[str]:
    """Make records of every kind; returns the models that could not be filled."""
    load_sample_data()
    load_sample_events()
    group = Group.objects.create(name="Editors")
    group.permissions.set(Permission.objects.filter(codename__startswith="change_")[:3])
    user = UserFactory(username="grouped", email="grouped@example.org")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    ApiToken.issue(user, "backup test")
    PositionFactory(person__user=user)
    PartnershipRoleFactory()
    MembershipFactory()
    ParticipationFactory()
    parent = TermFactory()
    TermFactory(taxonomy=parent.taxonomy, parent=parent)
    Label.objects.create(organisation=MembershipFactory().organisation, label="Gold", year=2024)
    OrganisationIdentifier.objects.create(
        organisation=MembershipFactory().organisation, scheme="pic", value="999123456"
    )
    first, second = sorted(
        (MembershipFactory().organisation, MembershipFactory().organisation), key=lambda o: o.pk
    )
    proposal = DuplicateProposal.objects.create(
        a=first, b=second, a_name=first.name, b_name=second.name, score=0.9, reasons=["pic"]
    )
    MergeRecord.objects.create(
        proposal=proposal,
        kept=first,
        gone_id=second.pk + 10_000,
        gone_name="Merged away",
        gone_slug="merged-away",
        moves=[{"model": "registry.membership", "id": 1, "field": "organisation_id"}],
        merged_by=user,
    )
    session = SessionFactory()
    request = MeetingRequestFactory(
        requester=ParticipantFactory(event=session.event),
        requested=ParticipantFactory(event=session.event),
    )
    request.requester.terms.add(Term.objects.first())
    Meeting.objects.create(
        request=request, session=session, start=session.start, end=session.end, table=1
    )
    # A change history is written by saving its record: histories come last, from their records.
    ordered = sorted(project_models(), key=lambda m: _tracked(m) is not None)
    unfilled = {m for m in ordered if not _fill_one(m)}
    return [m._meta.label_lower for m in project_models() if m in unfilled]


def _tracked(model: type[models.Model]) -> type[models.Model] | None:
    """The model whose change history `model` holds (django-simple-history), if any."""
    tracked = getattr(model, "instance_type", None)
    return tracked if isinstance(tracked, type) and hasattr(model, "history_id") else None


def _fill_one(model: type[models.Model], depth: int = 0) -> bool:
    """Make sure `model` has a record; make one from its fields if it has none."""
    if model._base_manager.exists():
        return True
    if depth > 4:
        return False
    if _tracked(model) is not None:  # made by saving a record of the tracked model
        return _fill_one(_tracked(model), depth) and model._base_manager.exists()
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and field.auto_created or isinstance(field, models.AutoField):
            continue
        value = _value(field, depth)
        if value is _SKIP:
            continue
        if value is _FAIL:
            return False
        values[field.attname] = value
    try:
        with transaction.atomic():
            instance = model(**values)
            instance.full_clean()
            instance.save()
            for field in model._meta.local_many_to_many:
                if field.remote_field.through._meta.auto_created and _fill_one(
                    field.related_model, depth + 1
                ):
                    getattr(instance, field.name).add(field.related_model._base_manager.first())
    except Exception:  # noqa: BLE001 - a model we cannot make by itself is reported
        return False
    return True


_SKIP, _FAIL = object(), object()


def _value(field: models.Field, depth: int):
    if (
        field.null
        or field.has_default()
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    ):
        if not field.is_relation:
            return _SKIP
    if field.is_relation:
        if field.null and not _fill_one(field.related_model, depth + 1):
            return _SKIP
        if not _fill_one(field.related_model, depth + 1):
            return _FAIL
        return field.related_model._base_manager.first().pk
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date(2025, 1, 1)
    if isinstance(field, models.DurationField):
        return dt.timedelta(minutes=5)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.EmailField):
        return "filled@example.org"
    if isinstance(field, models.URLField):
        return "https://example.org/"
    if isinstance(field, models.CharField | models.TextField):
        return "filled"[: field.max_length or 6]
    return _FAIL
