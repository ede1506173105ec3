"""The competence coverage chart of a partnership: one bar per competence, split by level,
with the competences no member holds called gaps."""

import re

import pytest

from clusterbroker.registry.charts import BAR_WIDTH, coverage_chart
from clusterbroker.registry.services import competence_matrix

from ..factories import (
    CompetenceFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    TaxonomyFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    effra = TaxonomyFactory(code="effra", name="EFFRA")
    d1 = TermFactory(taxonomy=effra, code="D1", label="Advanced manufacturing processes")
    TermFactory(taxonomy=effra, code="D2", label="Adaptive and smart manufacturing")
    partnership = PartnershipFactory()
    members = [OrganisationFactory() for _ in range(4)]
    for member in members:
        PartnershipMemberFactory(partnership=partnership, organisation=member)
    CompetenceFactory(organisation=members[0], term=d1, level="leading")
    CompetenceFactory(organisation=members[1], term=d1, level="active")
    CompetenceFactory(organisation=members[2], term=d1, level="active")
    return partnership


def test_bars_split_the_members_by_level_and_name_the_gaps(partnership):
    chart = coverage_chart(competence_matrix(partnership, "effra"))
    d1, d2 = chart.rows
    assert (d1.coverage.leading, d1.coverage.active, d1.coverage.listed) == (1, 2, 0)
    widths = {level: w for level, _x, w, _n, _fill in d1.segments}
    assert widths == {"leading": BAR_WIDTH / 4, "active": BAR_WIDTH / 2}
    # The active part starts where the leading part ends.
    assert d1.segments[1][1] == d1.segments[0][1] + d1.segments[0][2]
    assert d2.segments == [] and [c.column.code for c in chart.gaps] == ["D2"]


def test_the_partnership_page_draws_the_chart(partnership, client):
    html = client.get(partnership.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="coverage-chart">.*?</figure>', html, re.S).group(0)
    assert re.search(r'<g data-term="D1".*?data-level="leading".*?3/4', figure, re.S)
    assert re.search(r'<g data-term="D2".*?class="gap">gap<', figure, re.S)
    assert "1 competence no member holds" in figure


def test_no_chart_without_members():
    TaxonomyFactory(code="effra")
    assert coverage_chart(competence_matrix(PartnershipFactory(), "effra")) is None
