import datetime as dt

import factory
from django.utils import timezone

from clusterbroker.community.models import (
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Offer,
    OpenCall,
    Sector,
    Status,
    Story,
)

from ..factories import OrganisationFactory


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")


class OpenCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenCall

    title = factory.Sequence(lambda n: f"Call {n}")
    funder = "European Commission"
    programme = "Horizon Europe"
    description = "Funding for manufacturing companies."
    status = Status.PUBLISHED
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    title = factory.Sequence(lambda n: f"Offer {n}")
    description = "A service for manufacturing companies."
    organisation = factory.SubFactory(OrganisationFactory)
    status = Status.PUBLISHED


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Story {n}")
    challenge = "A challenge."
    status = Status.PUBLISHED


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    slug = factory.Sequence(lambda n: f"criteria-{n}")
    name = factory.Sequence(lambda n: f"Criteria {n}")


class CriteriaSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSection

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    name = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(int)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    section = factory.SubFactory(CriteriaSectionFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    position = factory.Sequence(int)


class AwardCallFactory(factory.django.DjangoModelFactory):
    """A label call open today (five days either side)."""

    class Meta:
        model = AwardCall

    slug = factory.Sequence(lambda n: f"award-call-{n}")
    name = factory.Sequence(lambda n: f"Label call {n}")
    criteria_set = factory.SubFactory(CriteriaSetFactory)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=5))
