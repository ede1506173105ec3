"""Factories and a small scene for survey tests; they build on the registry factories."""

import datetime as dt
from dataclasses import dataclass

import factory

from clusterbroker.registry.models import Position
from clusterbroker.surveys.models import Audience, Question, Survey

from ..factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PartnershipRoleFactory,
    PositionFactory,
    TaxonomyFactory,
    TermFactory,
)

TODAY = dt.date(2026, 6, 10)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Needs survey {n}")
    opens_on = dt.date(2026, 6, 1)
    closes_on = dt.date(2026, 6, 30)
    audience = Audience.MEMBERS_OF_MEMBERS


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = "text"
    position = factory.Sequence(int)


@dataclass
class Scene:
    """`survey` of `partnership` (member clusters `cluster_a`, `cluster_b`) asks the members
    of those clusters: `alpha` (FR, small) and `beta` (DE, large) of `cluster_a`, `gamma` (IT)
    of `cluster_b`; `outsider_company` is asked by nobody. Users: `manager` (of the
    partnership), `alpha_user`, `alpha_colleague`, `beta_user` (editors), `alpha_contact`
    (a contact position only), `outsider_user`. Questions: `areas` (terms of `taxonomy`
    with a level, required), `markets` (countries), `text`."""

    partnership: object
    cluster_a: object
    cluster_b: object
    alpha: object
    beta: object
    gamma: object
    outsider_company: object
    survey: Survey
    areas: Question
    markets: Question
    text: Question
    terms: list
    manager: object
    alpha_user: object
    alpha_colleague: object
    alpha_contact: object
    beta_user: object
    outsider_user: object


def user_at(organisation, role=Position.Role.EDITOR):
    return PositionFactory(organisation=organisation, role=role).person.user


def build_scene() -> Scene:
    from clusterbroker.surveys import services

    partnership = PartnershipFactory()
    cluster_a, cluster_b = ClusterFactory(), ClusterFactory(country="IT")
    for cluster in (cluster_a, cluster_b):
        PartnershipMemberFactory(partnership=partnership, organisation=cluster)
    alpha = OrganisationFactory(country="FR", size_class="small")
    beta = OrganisationFactory(country="DE", size_class="large")
    gamma = OrganisationFactory(country="IT", size_class="small")
    MembershipFactory(organisation=alpha, cluster=cluster_a)
    MembershipFactory(organisation=beta, cluster=cluster_a)
    MembershipFactory(organisation=gamma, cluster=cluster_b)
    taxonomy = TaxonomyFactory(code="areas-test")
    terms = [TermFactory(taxonomy=taxonomy, label=label) for label in ("Robots", "Cloud", "AR")]
    survey = SurveyFactory(partnership=partnership)
    areas = QuestionFactory(
        survey=survey, kind="terms", taxonomy=taxonomy, with_level=True, required=True
    )
    markets = QuestionFactory(survey=survey, kind="countries")
    text = QuestionFactory(survey=survey, kind="text")
    services.invite(survey)
    return Scene(
        partnership=partnership,
        cluster_a=cluster_a,
        cluster_b=cluster_b,
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        outsider_company=OrganisationFactory(),
        survey=survey,
        areas=areas,
        markets=markets,
        text=text,
        terms=terms,
        manager=PartnershipRoleFactory(partnership=partnership).person.user,
        alpha_user=user_at(alpha),
        alpha_colleague=user_at(alpha, Position.Role.MANAGER),
        alpha_contact=user_at(alpha, Position.Role.CONTACT),
        beta_user=user_at(beta),
        outsider_user=user_at(OrganisationFactory()),
    )
