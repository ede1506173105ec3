"""The sample DIA survey ranks the seed's areas in the seed's order."""

import pytest
from django.urls import reverse

from clusterbroker.registry.models import Taxonomy
from clusterbroker.registry.sample_data import load_sample_data
from clusterbroker.surveys.models import Survey
from clusterbroker.surveys.sample_data import load_survey_sample_data, ranked_choices

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

SEED_ICT_ORDER = [
    "Autonomous robots",
    "Simulation",
    "Horizontal and vertical system integration",
    "Industrial Internet of Things (IIoT)",
    "Cybersecurity",
    "Cloud",
    "Additive manufacturing",
    "Augmented reality",
    "Big data and analytics",
    "ICT strategy and planning",
    "Transformation and innovation models",
    "Document management",
    "User Support Centre",
    "Support for Knowledge Management",
    "Support for Information Systems",
    "Support for training processes",
]
SEED_INDUSTRIAL_ORDER = [
    "Industrial safety",
    "Data & security",
    "Human factor",
    "Automation, robotisation, integration",
    "Simulation",
    "HMI (Human Machine Interface)",
    "Additive Manufacturing",
    "Industrial Internet of Things",
    "Augmented and Virtual Reality",
    "Prototyping",
]


def test_ranked_choices_give_every_respondent_something_and_keep_the_order():
    chosen = ranked_choices(list(range(16)), 7)
    counts = [sum(1 for c in chosen for term, _lv in c if term == t) for t in range(16)]
    assert counts == sorted(counts, reverse=True) and counts[-1] >= 1
    assert all(chosen)


def test_the_results_page_lists_the_seed_areas_in_the_seed_order(client):
    load_sample_data()
    assert load_survey_sample_data() == {"surveys": 1, "responses": 7}
    assert load_survey_sample_data() == {"surveys": 1, "responses": 7}  # loads again
    survey = Survey.objects.get()
    assert "illustrative" in survey.intro
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "7 of 7 organisations asked answered (100 %)" in page
    ict, industrial, markets = page.split('class="panel question-result"')[1:]
    for section, order in ((ict, SEED_ICT_ORDER), (industrial, SEED_INDUSTRIAL_ORDER)):
        labels = [
            part.split("</td>")[0].replace("&amp;", "&")
            for part in section.split('<td class="answer-label">')[1:]
        ]
        assert labels == order
    assert markets.index("United States") < markets.index("China") < markets.index("Brazil")


def test_the_seed_taxonomies_are_the_ones_asked():
    load_sample_data()
    load_survey_sample_data()
    asked = Survey.objects.get().questions.exclude(taxonomy=None)
    assert [q.taxonomy.code for q in asked] == ["dia-ict", "dia-industrial"]
    assert Taxonomy.objects.get(code="dia-ict").terms.count() == len(SEED_ICT_ORDER)
