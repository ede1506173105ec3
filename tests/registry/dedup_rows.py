"""A row of any model pointing at a given organisation, for the merge tests: every required
field is filled with a plain value of its type (foreign keys with new rows made the same way)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from clusterbroker.registry.models import Organisation

from ..factories import OrganisationFactory, UserFactory

_numbers = itertools.count(100_000_001)

# Values the plain ones would not satisfy (a check constraint, a pattern).
OVERRIDES = {
    "surveys.Survey": lambda: {
        "cluster": OrganisationFactory(kind="cluster"),
        "opens_on": timezone.localdate(),
        "closes_on": timezone.localdate() + dt.timedelta(days=30),
    },
    "brokering.CordisOrganisation": lambda: {"pic": next(_numbers) * 10 % 999_999_999},
    "registry.OrganisationIdentifier": lambda: {"scheme": "pic", "value": str(next(_numbers))},
}


def _value(field: models.Field):
    n = next(_numbers)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"person{n}@example.org"
    if isinstance(field, models.SlugField):
        return f"row-{n}"
    if isinstance(field, models.URLField):
        return f"https://example.org/{n}"
    if isinstance(field, models.CharField | models.TextField):
        return f"Row {n}"[: field.max_length or 100]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1")
    if isinstance(field, models.FloatField):
        return 1.0
    if isinstance(field, models.IntegerField):
        return n % 30000
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.FileField):
        return ""  # no file
    raise NotImplementedError(f"no plain value for {field!r}")


def make_row(model: type[models.Model], **given) -> models.Model:
    """A saved row of `model` with `given` values and plain ones for every other required
    field."""
    values = dict(OVERRIDES.get(model._meta.label, dict)())
    values.update(given)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values or field.attname in values:
            continue
        if field.null or field.has_default() or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            target = field.related_model
            if target is Organisation:
                values[field.name] = OrganisationFactory()
            elif target is get_user_model():
                values[field.name] = UserFactory()
            else:
                values[field.name] = make_row(target)
            continue
        if field.blank and isinstance(field, models.CharField | models.TextField):
            continue
        values[field.name] = _value(field)
    return model._default_manager.create(**values)
