"""The roadmap questionnaire: dated versions, values derived from the data, who may answer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from clusterbroker.plans import roadmap
from clusterbroker.plans.models import RoadmapVersion
from clusterbroker.registry.models import Position

from ..factories import (
    CompetenceFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

URL = "/plans/roadmaps/mecha-cluster/"
API = "/api/plans/roadmaps/mecha-cluster"


def test_derived_values_come_from_members_competences_partners_and_managers(world):
    CompetenceFactory(organisation=world.cluster, term=TermFactory(label="Additive manufacturing"))
    partner = ParticipationFactory(organisation=world.cluster).project
    ParticipationFactory(project=partner, organisation=world.other_company)
    PositionFactory(
        organisation=world.cluster,
        role=Position.Role.MANAGER,
        person=PersonFactory(first_name="Ana", last_name="Lopes"),
    )
    derived = roadmap.derived_values(world.cluster)
    assert derived[1].startswith("1 members recorded")
    assert derived[2] == "Additive manufacturing"
    assert derived[3] == "Far Away GmbH, Precision Parts"
    assert derived[4] == "Cluster Member Ltd"
    assert "Ana Lopes" in derived[5]
    assert 6 not in derived


def test_each_save_is_a_new_dated_version(world):
    roadmap.save_roadmap(world.cluster, {6: "Lead in robotics"}, dt.date(2025, 1, 1), None)
    roadmap.save_roadmap(world.cluster, {6: "Lead in AI"}, dt.date(2026, 1, 1), None)
    latest = roadmap.latest_version(world.cluster)
    assert latest.answered_on == dt.date(2026, 1, 1)
    assert latest.answers.get(question=6).text == "Lead in AI"
    assert RoadmapVersion.objects.count() == 2


def test_unknown_questions_and_empty_answers_are_refused(world):
    with pytest.raises(ValidationError, match="11"):
        roadmap.save_roadmap(world.cluster, {11: "x"}, dt.date(2026, 1, 1), None)
    with pytest.raises(ValidationError):
        roadmap.save_roadmap(world.cluster, {1: "  "}, dt.date(2026, 1, 1), None)
    assert not RoadmapVersion.objects.exists()


def test_cluster_manager_answers_on_the_page_beside_the_derived_values(world):
    manager = world.client(world.cluster_manager)
    page = manager.get(URL).content.decode()
    assert "Cluster Member Ltd" in page  # question 4, derived
    assert 'name="q6"' in page
    response = manager.post(URL, {"answered_on": "2026-02-01", "q6": "Lead in robotics"})
    assert response.status_code == 302
    assert "Lead in robotics" in manager.get(URL).content.decode()
    assert roadmap.latest_version(world.cluster).answered_on == dt.date(2026, 2, 1)


def test_partnership_members_read_but_do_not_answer(world):
    roadmap.save_roadmap(world.cluster, {6: "Lead in robotics"}, dt.date(2026, 1, 1), None)
    member = world.client(world.company_user)
    page = member.get(URL).content.decode()
    assert "Lead in robotics" in page and 'name="q6"' not in page
    assert member.post(URL, {"answered_on": "2026-02-01", "q6": "x"}).status_code == 403
    assert RoadmapVersion.objects.count() == 1


def test_outsiders_and_the_public_do_not_see_a_roadmap(world, client):
    assert client.get(URL).status_code == 404
    assert world.client(world.other_company_user).get(URL).status_code == 404
    assert client.get(API).status_code == 404


def test_api_reads_and_answers_the_roadmap(world):
    manager = world.client(world.cluster_manager)
    response = manager.post(
        API,
        {"answered_on": "2026-03-01", "answers": {"6": "Lead in robotics"}},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = world.client(world.company_user).get(API).json()
    assert body["answered_on"] == "2026-03-01"
    sixth = next(a for a in body["answers"] if a["question"] == 6)
    fourth = next(a for a in body["answers"] if a["question"] == 4)
    assert sixth["answer"] == "Lead in robotics" and fourth["derived"] == "Cluster Member Ltd"
    refused = world.client(world.company_user).post(
        API, {"answered_on": "2026-03-01", "answers": {"6": "x"}}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Client().post(API, {}, content_type="application/json").status_code == 401


def test_an_earlier_version_stays_readable(world):
    first = roadmap.save_roadmap(world.cluster, {6: "Lead in robotics"}, dt.date(2025, 1, 1), None)
    roadmap.save_roadmap(world.cluster, {6: "Lead in AI"}, dt.date(2026, 1, 1), None)
    member = world.client(world.company_user)
    assert "Lead in AI" in member.get(URL).content.decode()
    old = member.get(f"{URL}{first.pk}/").content.decode()
    assert "Lead in robotics" in old and "Lead in AI" not in old
    assert member.get(f"{URL}999999/").status_code == 404
