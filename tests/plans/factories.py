"""Factories for action plans and KPIs; they build on the registry factories."""

import datetime as dt

import factory

from clusterbroker.plans.models import KpiSource

from ..factories import PartnershipFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Action"

    partnership = factory.SubFactory(PartnershipFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Action {n}")
    phase = "preparation"
    status = "planned"
    start = dt.date(2026, 1, 1)
    end = dt.date(2026, 12, 31)


class ComputedKpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Kpi"

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"KPI {n}")
    source = KpiSource.COMPUTED
    measure = "meetings_held"
    target = 10


class ManualKpiFactory(ComputedKpiFactory):
    source = KpiSource.MANUAL
    measure = ""
