"""Factories and helpers for brokering tests."""

import factory

from clusterbroker.brokering import services
from clusterbroker.brokering.models import Need, Offer, Profile
from tests.factories import OrganisationFactory, TaxonomyFactory, TermFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    organisation = factory.SubFactory(OrganisationFactory)
    sector = "Manufacturing"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    profile = factory.SubFactory(ProfileFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    profile = factory.SubFactory(ProfileFactory)
    kind = "technology"
    description = factory.Sequence(lambda n: f"Need number {n}")


def taxonomy_terms():
    """Two taxonomies: manufacturing (effra) and ICT (dia-ict), two terms each."""
    effra = TaxonomyFactory(code="effra", name="EFFRA")
    ict = TaxonomyFactory(code="dia-ict", name="ICT areas")
    return {
        "D1": TermFactory(taxonomy=effra, code="D1", label="Advanced manufacturing"),
        "D3": TermFactory(taxonomy=effra, code="D3", label="Digital factory"),
        "AI": TermFactory(taxonomy=ict, code="AI", label="Artificial intelligence"),
        "CLOUD": TermFactory(taxonomy=ict, code="CLOUD", label="Cloud computing"),
    }


def save_profile(user, organisation, **kwargs) -> Profile:
    data = services.Questionnaire(organisation=organisation, **kwargs)
    return services.save_questionnaire(user, data)
