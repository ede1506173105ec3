"""Organisation search: by name, and by what organisations do, ranked; pages and API alike."""

import pytest

from clusterbroker.registry.search import fts5_expression, parse, ranked_ids, snippet, snippets
from clusterbroker.registry.services import OrganisationFilter, filter_organisations
from tests.brokering.factories import NeedFactory, OfferFactory, ProfileFactory
from tests.factories import CompetenceFactory, OrganisationFactory, TermFactory

pytestmark = pytest.mark.django_db


def names(text: str, **criteria) -> list[str]:
    return [o.name for o in filter_organisations(OrganisationFilter(text=text, **criteria))]


@pytest.fixture
def registry():
    twin_in_name = OrganisationFactory(name="Digital Twin Factory", country="DE")
    described = OrganisationFactory(
        name="Acme Simulation",
        country="IT",
        description="We build digital twins of production lines for SMEs.",
    )
    by_competence = OrganisationFactory(name="Borealis Engineering", country="FI")
    CompetenceFactory(organisation=by_competence, term=TermFactory(label="Digital twin"))
    unrelated = OrganisationFactory(
        name="Dairy Co-operative", description="Milk, cheese and a digital shop; no twin."
    )
    return {
        "name": twin_in_name,
        "described": described,
        "competence": by_competence,
        "unrelated": unrelated,
    }


def test_digital_twin_finds_organisations_by_what_they_do_name_first(registry):
    found = names("digital twin")
    assert found[0] == "Digital Twin Factory"
    assert set(found) == {"Digital Twin Factory", "Acme Simulation", "Borealis Engineering"}
    # The dairy says "digital" and "twin" but not "digital twin".
    assert "Dairy Co-operative" not in found


def test_old_name_search_still_works(registry):
    assert names("Acme") == ["Acme Simulation"]
    assert names("orealis") == ["Borealis Engineering"]  # a part of a name, as before
    assert names("Borea") == ["Borealis Engineering"]  # typing
    assert names("") == sorted(o.name for o in registry.values())


def test_exact_name_before_names_containing_it_before_descriptions():
    OrganisationFactory(name="Robotics Valley Network")
    OrganisationFactory(name="Robotics")
    OrganisationFactory(name="Zeta", description="Industrial robotics integrator.")
    assert names("robotics") == ["Robotics", "Robotics Valley Network", "Zeta"]


def test_more_relevant_description_ranks_higher():
    OrganisationFactory(
        name="Alpha", description="Additive manufacturing. Additive manufacturing of metals."
    )
    OrganisationFactory(
        name="Beta",
        description="A large engineering group with many activities in automotive, energy, "
        "logistics and aerospace; some additive manufacturing among many other services "
        "offered to customers across Europe for decades.",
    )
    assert names("additive manufacturing") == ["Alpha", "Beta"]


def test_synonyms_cobots_and_3d_printing():
    OrganisationFactory(name="RoboHelp", description="Integrator of collaborative robots.")
    OrganisationFactory(name="CoWork", description="Cobots for welding.")
    OrganisationFactory(name="PrintLab", description="Industrial 3D printing services.")
    assert set(names("cobots")) == {"RoboHelp", "CoWork"}
    assert set(names("collaborative robots")) == {"RoboHelp", "CoWork"}
    assert names("additive manufacturing") == ["PrintLab"]
    assert fts5_expression(parse("cobots")).count(" OR ") >= 2


def test_brokering_offers_are_searchable_needs_never():
    provider = ProfileFactory(organisation=OrganisationFactory(name="Provider"))
    OfferFactory(profile=provider, title="Cobot cell integration", description="Palletising")
    asker = ProfileFactory(organisation=OrganisationFactory(name="Asker"))
    NeedFactory(profile=asker, description="Secret palletising cobot retrofit", confidential=True)
    NeedFactory(profile=asker, description="Public palletising wish", confidential=False)
    assert names("palletising") == ["Provider"]
    assert names("cobot") == ["Provider"]
    assert names("secret retrofit") == []


def test_other_filters_still_narrow_the_ranked_results(registry):
    assert names("digital twin", country="IT") == ["Acme Simulation"]
    assert names("digital twin", kind="cluster") == []


def test_search_follows_changes(registry):
    registry["unrelated"].description = "Now a digital twin provider."
    registry["unrelated"].save()
    assert "Dairy Co-operative" in names("digital twin")
    registry["unrelated"].delete()
    assert "Dairy Co-operative" not in names("digital twin")


def test_snippet_escapes_the_text_and_marks_synonyms():
    html = snippet("Integrator of <b>collaborative robots</b> & cobots.", parse("cobots"))
    assert html == (
        "Integrator of &lt;b&gt;<mark>collaborative robots</mark>&lt;/b&gt; &amp; "
        "<mark>cobots</mark>."
    )
    assert snippet("Nothing relevant here.", parse("cobots")) == ""


def test_odd_input_is_harmless(registry):
    for text in ['"', "*", "AND OR NOT", "(", "digital NEAR twin", "x" * 500, "’ ; --"]:
        ranked_ids(text)  # no error
    assert names("the of and") == []


def test_page_shows_ranked_results(client, registry):
    response = client.get("/organisations/", {"q": "digital twin"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 organisations" in html
    assert html.index("Digital Twin Factory") < html.index("Acme Simulation")
    assert "Dairy Co-operative" not in html
    # What each one does, around the matched words.
    assert "build <mark>digital twins</mark> of production lines" in html
    assert "<mark>Digital twin</mark>" in html
    partial = client.get(
        "/organisations/", {"q": "digital twin"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    assert "Borealis Engineering" in partial.content.decode()


def test_page_export_follows_the_search(client, registry):
    response = client.get("/organisations/", {"q": "digital twin", "format": "csv"})
    body = b"".join(response).decode() if response.streaming else response.content.decode()
    assert "Acme Simulation" in body and "Dairy Co-operative" not in body


def test_api_answers_the_same(client, registry):
    page = client.get("/api/organisations/", {"q": "digital twin"}).json()
    assert page["count"] == 3
    assert [o["name"] for o in page["items"]] == names("digital twin")
    paged = client.get("/api/organisations/", {"q": "digital twin", "page_size": 1, "page": 2})
    assert [o["name"] for o in paged.json()["items"]] == names("digital twin")[1:2]


def test_french_robots_are_marked_for_robotique():
    from clusterbroker.community.search.index import index_object

    found = OrganisationFactory(name="Atelier Sud", description="Des robots pour les PME.")
    found.language = "fr"
    index_object(found)
    assert "<mark>robots</mark>" in snippets("robotique", [found])[found.pk]


@pytest.mark.parametrize(
    ("description", "language", "query"),
    [
        ("Nous concevons des robots collaboratifs pour les PME.", "fr", "robotique"),
        ("Wir begleiten kleine Fabriken bei der Digitalisierung.", "de", "Fabrik"),
        ("Stampa 3D di componenti metallici per le aziende.", "it", "componente"),
    ],
)
def test_a_description_in_another_language_is_found_by_another_form_of_its_words(
    description, language, query
):
    from clusterbroker.community.search.index import index_object

    found = OrganisationFactory(name="Atelier Nord", description=description)
    found.language = language
    index_object(found)
    OrganisationFactory(name="Other Works", description="Dairy products and cheese.")
    assert query.lower() not in description.lower().split()
    assert names(query) == ["Atelier Nord"]
    # The words that matched are marked in the list's snippet, in their own form.
    assert "<mark>" in snippets(query, [found])[found.pk]
