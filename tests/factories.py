"""Factories for every registry record; tests build their data with these."""

import factory
from django.contrib.auth import get_user_model

from clusterbroker.registry.models import (
    Competence,
    Membership,
    Organisation,
    Participation,
    Partnership,
    PartnershipMember,
    PartnershipRole,
    Person,
    Position,
    Project,
    Region,
    Taxonomy,
    Term,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-password")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"FR{n:02d}")
    name = factory.Sequence(lambda n: f"Region {n}")
    country = "FR"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = "company"
    country = "FR"


class ClusterFactory(OrganisationFactory):
    kind = "cluster"
    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"taxonomy-{n}")
    name = factory.Sequence(lambda n: f"Taxonomy {n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    label = factory.Sequence(lambda n: f"Term {n}")
    position = factory.Sequence(int)


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    organisation = factory.SubFactory(OrganisationFactory)
    term = factory.SubFactory(TermFactory)
    level = "active"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    kind = "strategic_cluster_partnership"


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(ClusterFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda p: f"{p.last_name.lower()}@example.org")
    phone = "+33 1 23 45 67 89"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Position.Role.CONTACT


class PartnershipRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipRole

    person = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = PartnershipRole.Role.MANAGER


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PROJ{n}")
    title = factory.Sequence(lambda n: f"Project number {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
