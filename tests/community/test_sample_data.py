import pytest

from clusterbroker.community.models import AwardCall, Criterion, Story
from clusterbroker.community.sample_data import load_community_sample_data
from clusterbroker.community.search import SearchRequest, search
from clusterbroker.registry.sample_data import load_sample_data

pytestmark = pytest.mark.django_db


def test_sample_stories_and_label_criteria_load_idempotently():
    load_sample_data()
    first = load_community_sample_data()
    again = load_community_sample_data()
    assert first == again
    capsule = Story.objects.get(title__startswith="CAPSULE")
    assert {o.slug for o in capsule.organisations.all()} == {"i-deal", "trotustex"}
    assert Story.objects.count() == 4
    criteria = Criterion.objects.filter(section__criteria_set__slug="i4ms-sae")
    assert criteria.count() == 8
    assert set(criteria.values_list("section__name", flat=True)) == {"Performance", "Ambition"}
    assert AwardCall.objects.get(slug="i4ms-sae-2021").criteria_set.slug == "i4ms-sae"
    result = search(SearchRequest(text="fermentation", filters={"collection": ["story"]}))
    assert result.hits[0].title_html.startswith("FermiCloud")
