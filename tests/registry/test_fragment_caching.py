"""The busiest registry pages keep parts rendered for the data as they are (the organisation
list's filters and results, an organisation's facts, projects and network, a partnership's
page below its title): a second visit reads almost nothing from the database, and every
change shows at once, for every visitor with what that visitor may do."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterbroker.registry.models import Label, Organisation

from ..factories import (
    OrganisationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PositionFactory,
    ProjectFactory,
    UserFactory,
)


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_second_visit_of_the_list_reads_only_the_data_version(client, db):
    OrganisationFactory.create_batch(3)
    first = _queries(client, "/organisations/?country=FR")
    again = _queries(client, "/organisations/?country=FR")
    assert len(again) < len(first)
    assert not any('FROM "registry_organisation"' in sql for sql in again), again
    # Another filter is another fragment: computed on its first visit.
    other = _queries(client, "/organisations/?country=DE")
    assert any('FROM "registry_organisation"' in sql for sql in other)


def test_the_list_follows_every_change_at_once(client, db):
    OrganisationFactory(name="Alpha Robotics", country="FR")
    assert "Alpha Robotics" in client.get("/organisations/?country=FR").content.decode()
    beta = OrganisationFactory(name="Beta Robotics", country="FR")
    html = client.get("/organisations/?country=FR").content.decode()
    assert "Beta Robotics" in html and "2 organisations" in html
    beta.name = "Gamma Robotics"  # a change that adds no row
    beta.save()
    html = client.get("/organisations/?country=FR").content.decode()
    assert "Gamma Robotics" in html and "Beta Robotics" not in html
    # Rows added in bulk (no signal) show too: the version holds the highest ids.
    Organisation.objects.bulk_create([Organisation(name="Delta Bulk", slug="delta", country="FR")])
    assert "Delta Bulk" in client.get("/organisations/?country=FR").content.decode()


def test_the_list_filters_keep_the_choice_of_each_visit(client, db):
    OrganisationFactory(country="FR")
    OrganisationFactory(country="DE")
    french = client.get("/organisations/?country=FR").content.decode()
    german = client.get("/organisations/?country=DE").content.decode()
    assert re.search(r'<option value="FR" selected>', french)
    assert re.search(r'<option value="DE" selected>', german)
    assert not re.search(r'<option value="FR" selected>', german)


def test_an_organisation_page_follows_changes_of_what_it_shows(client, db):
    organisation = OrganisationFactory(name="Tagus Parts")
    partner = OrganisationFactory(name="Douro Robotics")
    path = organisation.get_absolute_url()
    page = client.get(path).content.decode()
    assert "Douro Robotics" not in page and "CE marking" not in page
    again = _queries(client, path)
    assert not any('FROM "registry_participation"' in sql for sql in again), again
    project = ProjectFactory(acronym="COBOTS4SME")
    assert "COBOTS4SME" not in client.get(path).content.decode()
    ParticipationFactory(project=project, organisation=organisation)
    assert "COBOTS4SME" in client.get(path).content.decode()  # the projects
    ParticipationFactory(project=project, organisation=partner)
    assert "Douro Robotics" in client.get(path).content.decode()  # worked with, network
    Label.objects.create(organisation=organisation, label="CE marking")
    assert "CE marking" in client.get(path).content.decode()  # the facts column


def test_an_editor_and_a_visitor_each_see_their_own_actions(client, db):
    organisation = OrganisationFactory()
    editor = UserFactory()
    PositionFactory(person__user=editor, organisation=organisation, role="editor")
    path = organisation.get_absolute_url()
    assert "Edit identifiers" not in client.get(path).content.decode()  # kept for visitors
    client.force_login(editor)
    assert "Edit identifiers" in client.get(path).content.decode()
    client.logout()
    assert "Edit identifiers" not in client.get(path).content.decode()


def test_a_partnership_page_is_kept_rendered_without_the_request_nonce(client, db):
    partnership = PartnershipFactory()
    first, second = OrganisationFactory(name="Tagus Parts"), OrganisationFactory()
    for organisation in (first, second):
        PartnershipMemberFactory(partnership=partnership, organisation=organisation)
    project = ProjectFactory(acronym="JOINT1")
    for organisation in (first, second):
        ParticipationFactory(project=project, organisation=organisation)
    path = partnership.get_absolute_url()
    client.get(path)
    again = _queries(client, path)
    assert not any('FROM "registry_participation"' in sql for sql in again), again
    html = client.get(path).content.decode()
    assert "JOINT1" in html  # the network of joint projects
    # Nothing in the kept page carries a request's nonce: the network's style is a file.
    assert "nonce=" not in html
    assert 'id="__________cytoscape_stylesheet"' in html
    second.name = "Douro Robotics"
    second.save()
    assert "Douro Robotics" in client.get(path).content.decode()


def test_the_home_page_is_kept_rendered_and_shows_a_new_partnership_at_once(client, db):
    PartnershipFactory(name="Vanguard Initiative")
    client.get("/")
    again = _queries(client, "/")
    assert not any('FROM "registry_partnership"' in sql for sql in again), again
    PartnershipFactory(name="Four Motors for Europe")
    assert "Four Motors for Europe" in client.get("/").content.decode()
