import datetime as dt

import factory
from django.utils import timezone

from clusterbroker.community.models import Offer, OpenCall, Sector, Status, Story

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
