"""The label and award evaluation through the API (/api/evaluation/)."""

from types import SimpleNamespace

import pytest
from django.test import Client

from clusterbroker.community.models import Application, Assignment, Score
from clusterbroker.registry.models import ApiToken, Label, Position

from ..factories import (
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    ProjectFactory,
)
from .factories import AwardCallFactory, CriteriaSectionFactory, CriterionFactory

pytestmark = pytest.mark.django_db

API = "/api/evaluation"


@pytest.fixture
def label_call(world):
    """Two criteria on a 0–5 scale, weights 2 and 1; managed by the partnership manager."""
    call = AwardCallFactory(slug="sae-2026", name="I4MS-SAE label", kind="label")
    performance = CriteriaSectionFactory(
        criteria_set=call.criteria_set, name="Performance", position=0
    )
    ambition = CriteriaSectionFactory(criteria_set=call.criteria_set, name="Ambition", position=1)
    CriterionFactory(section=performance, name="Highly innovative", weight=2)
    CriterionFactory(section=ambition, name="Complete team", weight=1)
    call.managers.add(world.partnership_manager)
    return call


def criteria(call) -> list[int]:
    from clusterbroker.community.evaluation import workflow

    return [c.pk for c in workflow.criteria_of(call)]


class Api:
    """A client speaking to the evaluation API as one user (with an API token), or anonymously."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {ApiToken.issue(user, 'test')[1]}"

    def get(self, path: str, **params):
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, body: dict):
        return self.client.post(
            f"{API}{path}", body, content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body: dict):
        return self.client.put(
            f"{API}{path}", body, content_type="application/json", headers=self.headers
        )

    def delete(self, path: str):
        return self.client.delete(f"{API}{path}", headers=self.headers)


def evaluator_in(organisation):
    person = PersonFactory()
    PositionFactory(person=person, organisation=organisation, role=Position.Role.CONTACT)
    return person.user


def apply(user, organisation, call, title: str = "Cloud welding", **extra):
    return Api(user).post(
        "/applications",
        {
            "call": call.slug,
            "organisation": organisation.slug,
            "title": title,
            "summary": "Our experiment.",
            **extra,
        },
    )


def assign(manager, application_id: int, evaluator):
    return Api(manager).post(
        f"/applications/{application_id}/assignments", {"evaluator": evaluator.username}
    )


def score(evaluator, assignment_id: int, values: dict[int, int], submit=True, comment=""):
    return Api(evaluator).put(
        f"/assignments/{assignment_id}/scores",
        {
            "scores": [{"criterion": c, "value": v, "comment": comment} for c, v in values.items()],
            "submit": submit,
        },
    )


def test_the_full_workflow_through_the_api(world, label_call):
    manager = world.partnership_manager
    applicant = Api(world.company_user)
    submitted = apply(world.company_user, world.member_company, label_call)
    assert submitted.status_code == 201, submitted.content
    application_id = submitted.json()["id"]
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["organisation"] == world.member_company.slug
    assert [a["id"] for a in applicant.get("/applications").json()["items"]] == [application_id]

    first = evaluator_in(OrganisationFactory())
    second = evaluator_in(OrganisationFactory())
    one = assign(manager, application_id, first)
    assert one.status_code == 201, one.content
    assert one.json()["evaluator"] == first.username
    assert assign(manager, application_id, first).status_code == 200  # already assigned
    two = assign(manager, application_id, second)
    assert two.status_code == 201
    listed = Api(manager).get(f"/applications/{application_id}/assignments").json()
    assert sorted(a["evaluator"] for a in listed) == sorted([first.username, second.username])
    assert Application.objects.get(pk=application_id).state == "in_evaluation"

    innovative, team = criteria(label_call)
    # A draft first, then the whole evaluation submitted.
    draft = score(first, one.json()["id"], {innovative: 4}, submit=False, comment="Draft")
    assert draft.status_code == 200, draft.content
    assert draft.json()["submitted_at"] is None
    assert [s["value"] for s in draft.json()["scores"]] == [4]
    done = score(first, one.json()["id"], {innovative: 5, team: 3}, comment="Very new")
    assert done.status_code == 200
    assert done.json()["submitted_at"] is not None
    mine = Api(first).get(f"/assignments/{one.json()['id']}/scores").json()
    assert {s["criterion"]: s["value"] for s in mine["scores"]} == {innovative: 5, team: 3}
    # Submitted scores no longer change.
    again = score(first, one.json()["id"], {innovative: 1, team: 1})
    assert again.status_code == 409
    assert Score.objects.get(assignment_id=one.json()["id"], criterion_id=innovative).value == 5

    # The consensus waits for every evaluator.
    early = Api(manager).post(f"/applications/{application_id}/consensus", {"comment": "Early"})
    assert early.status_code == 409
    assert "Every assigned evaluator" in early.json()["detail"]
    assert Application.objects.get(pk=application_id).consensus_score is None
    assert score(second, two.json()["id"], {innovative: 3, team: 5}).status_code == 200

    # Before the decision the applicant has neither result nor certificate.
    assert applicant.get(f"/applications/{application_id}/result").status_code == 403
    assert applicant.get(f"/applications/{application_id}/certificate").status_code == 404
    # The decision waits for the consensus.
    assert (
        Api(manager).post(f"/applications/{application_id}/decision", {"awarded": True}).status_code
        == 409
    )

    consensus = Api(manager).post(
        f"/applications/{application_id}/consensus", {"comment": "Agreed"}
    )
    assert consensus.status_code == 200, consensus.content
    # Means 4 and 4 on a 0–5 scale: 80 %.
    assert consensus.json()["percent"] == consensus.json()["consensus_score"] == "80.00"
    decision = Api(manager).post(
        f"/applications/{application_id}/decision", {"awarded": True, "note": "Congratulations"}
    )
    assert decision.status_code == 200
    assert decision.json()["awarded"] is True

    result = applicant.get(f"/applications/{application_id}/result")
    assert result.status_code == 200
    body = result.json()
    assert body["percent"] == "80.00" and body["evaluations"] == 2
    assert body["decision_note"] == "Congratulations"
    assert [row["mean"] for row in body["criteria"]] == ["4.00", "4.00"]
    assert "Very new" in body["criteria"][0]["comments"]
    assert applicant.get(f"/applications/{application_id}").json()["state"] == "decided"

    pdf = applicant.get(f"/applications/{application_id}/certificate")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert Api(manager).get(f"/applications/{application_id}/certificate").status_code == 200
    # Evaluators and other organisations get no certificate.
    assert Api(first).get(f"/applications/{application_id}/certificate").status_code == 404
    other = Api(world.other_company_user).get(f"/applications/{application_id}/certificate")
    assert other.status_code == 404
    assert Label.objects.filter(organisation=world.member_company, label="I4MS-SAE label").exists()
    # A decided application takes no more evaluators.
    late = assign(manager, application_id, evaluator_in(OrganisationFactory()))
    assert late.status_code == 409
    assert Assignment.objects.filter(application_id=application_id).count() == 2


def scored_application(world, call, value: int) -> int:
    """An application of the member company, scored `value` on every criterion by one
    evaluator the partnership manager assigned."""
    application_id = apply(world.company_user, world.member_company, call).json()["id"]
    evaluator = evaluator_in(OrganisationFactory())
    assignment = assign(world.partnership_manager, application_id, evaluator).json()["id"]
    score(evaluator, assignment, dict.fromkeys(criteria(call), value))
    return application_id


def test_no_certificate_for_an_application_not_awarded(world, label_call):
    application_id = scored_application(world, label_call, 1)
    manager = Api(world.partnership_manager)
    assert manager.post(f"/applications/{application_id}/consensus", {}).status_code == 200
    refused = manager.post(f"/applications/{application_id}/decision", {"awarded": False})
    assert refused.json()["awarded"] is False
    applicant = Api(world.company_user)
    assert applicant.get(f"/applications/{application_id}/result").json()["awarded"] is False
    assert applicant.get(f"/applications/{application_id}/certificate").status_code == 404


def test_conflict_of_interest_is_refused_with_the_reason(world, label_call):
    application_id = apply(world.company_user, world.member_company, label_call).json()["id"]
    # Someone of the applicant, and of its partner in the partnership.
    for organisation in (world.member_company, world.cluster):
        response = assign(world.partnership_manager, application_id, evaluator_in(organisation))
        assert response.status_code == 409
        assert response.json()["detail"].startswith("evaluator: Conflict of interest")
    assert not Assignment.objects.filter(application_id=application_id).exists()
    assert Application.objects.get(pk=application_id).state == "submitted"
    unknown = Api(world.partnership_manager).post(
        f"/applications/{application_id}/assignments", {"evaluator": "nobody-here"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"].startswith("evaluator:")
    # Only the call's managers assign; the applicant sees the application but may not.
    independent = evaluator_in(OrganisationFactory())
    assert assign(world.company_user, application_id, independent).status_code == 403
    # Someone who cannot see the application does not learn it exists.
    assert assign(world.other_company_user, application_id, independent).status_code == 404
    assert not Assignment.objects.exists()
    assert assign(world.partnership_manager, application_id, independent).status_code == 201


def test_a_project_partner_is_in_conflict_too(world, label_call):
    project = ProjectFactory()
    partner = OrganisationFactory()
    ParticipationFactory(project=project, organisation=world.other_company)
    ParticipationFactory(project=project, organisation=partner)
    submitted = apply(world.other_company_user, world.other_company, label_call, project=project.pk)
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["project"] == project.pk
    evaluator = evaluator_in(partner)
    # The call's manager does not otherwise know this person: the answer an unknown login gets.
    hidden = assign(world.partnership_manager, submitted.json()["id"], evaluator)
    assert hidden.status_code == 422
    assert hidden.json()["detail"] == "evaluator: No eligible evaluator with this login."
    # A platform admin sees everyone: the reason is named.
    response = assign(world.admin, submitted.json()["id"], evaluator)
    assert response.status_code == 409
    assert "Conflict of interest" in response.json()["detail"]
    assert "project partner" in response.json()["detail"]
    assert not Assignment.objects.exists()


def test_evaluators_see_and_score_only_their_assignments(world, label_call):
    mine = apply(world.company_user, world.member_company, label_call).json()["id"]
    other = apply(world.other_company_user, world.other_company, label_call, "Other AE").json()[
        "id"
    ]
    evaluator = evaluator_in(OrganisationFactory())
    colleague = evaluator_in(OrganisationFactory())
    assign(world.partnership_manager, mine, evaluator)
    theirs = assign(world.partnership_manager, other, colleague).json()["id"]
    api = Api(evaluator)
    assert [a["id"] for a in api.get("/applications").json()["items"]] == [mine]
    assert api.get(f"/applications/{mine}").status_code == 200
    assert api.get(f"/applications/{other}").status_code == 404
    assert [a["application"] for a in api.get("/assignments").json()["items"]] == [mine]
    # Scoring or reading someone else's assignment: it does not exist for them.
    values = dict.fromkeys(criteria(label_call), 3)
    assert score(evaluator, theirs, values).status_code == 404
    assert api.get(f"/assignments/{theirs}/scores").status_code == 404
    assert not Score.objects.exists()
    assert Assignment.objects.get(pk=theirs).submitted_at is None
    # Evaluators neither read the consolidated result nor run the evaluation.
    assert api.get(f"/applications/{mine}/result").status_code == 403
    assert api.post(f"/applications/{mine}/consensus", {"score": "90"}).status_code == 403
    assert api.get(f"/applications/{mine}/assignments").status_code == 403
    assert Application.objects.get(pk=mine).consensus_score is None
    # The manager sees the assignment but not the evaluator's own scores.
    manager = Api(world.partnership_manager)
    assert manager.get(f"/assignments/{theirs}/scores").status_code == 403
    assert manager.get("/assignments").json()["count"] == 0  # not an evaluator themselves
    assert {a["id"] for a in manager.get("/applications").json()["items"]} == {mine, other}


def test_applicants_see_only_their_own_applications(world, label_call):
    mine = apply(world.company_user, world.member_company, label_call).json()["id"]
    theirs = apply(world.other_company_user, world.other_company, label_call, "AE").json()["id"]
    company = Api(world.company_user)
    assert [a["id"] for a in company.get("/applications").json()["items"]] == [mine]
    assert company.get(f"/applications/{theirs}").status_code == 404
    assert company.get(f"/applications/{theirs}/result").status_code == 404
    assert company.get(f"/applications/{mine}/result").status_code == 403
    filtered = company.get("/applications", call=label_call.slug, state="submitted", q="welding")
    assert [a["id"] for a in filtered.json()["items"]] == [mine]
    assert company.get("/applications", call="another-call").json()["count"] == 0
    assert Api(world.outsider).get("/applications").json()["count"] == 0
    assert Api(world.outsider).get(f"/applications/{mine}").status_code == 404


def test_applying_is_checked(world, label_call):
    # Not an organisation the user may edit.
    refused = apply(world.other_company_user, world.member_company, label_call)
    assert refused.status_code == 403
    unknown = apply(world.company_user, world.member_company, SimpleNamespace(slug="nope"))
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("call:")
    too_long = apply(world.company_user, world.member_company, label_call, "x" * 301)
    assert too_long.status_code == 422 and "title" in str(too_long.json()["detail"])
    not_a_partner = apply(
        world.company_user, world.member_company, label_call, "With a project",
        project=ProjectFactory().pk,
    )  # fmt: skip
    assert not_a_partner.status_code == 422
    assert not_a_partner.json()["detail"].startswith("project:")
    assert apply(world.company_user, world.member_company, label_call).status_code == 201
    twice = apply(world.company_user, world.member_company, label_call, " Cloud welding ")
    assert twice.status_code == 409 and twice.json()["detail"].startswith("title:")
    closed = AwardCallFactory(opens_on=label_call.closes_on, closes_on=label_call.closes_on)
    too_early = apply(world.company_user, world.member_company, closed, "Later")
    assert too_early.status_code == 409
    assert "not open" in too_early.json()["detail"]
    assert Application.objects.count() == 1


def test_scores_outside_the_scale_are_refused_and_nothing_is_saved(world, label_call):
    application_id = apply(world.company_user, world.member_company, label_call).json()["id"]
    evaluator = evaluator_in(OrganisationFactory())
    assignment = assign(world.partnership_manager, application_id, evaluator).json()["id"]
    innovative, team = criteria(label_call)
    for values, submit in (({innovative: 9, team: 3}, True), ({innovative: 2, team: -1}, False)):
        response = score(evaluator, assignment, values, submit=submit)
        assert response.status_code == 422
        bad = innovative if values[innovative] == 9 else team
        assert response.json()["detail"] == f"criterion_{bad}: Give a score from 0 to 5."
    assert not Score.objects.exists()
    incomplete = score(evaluator, assignment, {innovative: 3})
    assert incomplete.status_code == 422
    assert f"criterion_{team}: Every criterion needs a score." in incomplete.json()["detail"]
    foreign = CriterionFactory()
    other_set = score(evaluator, assignment, {innovative: 3, team: 3, foreign.pk: 3})
    assert other_set.status_code == 422
    assert f"criterion_{foreign.pk}: Not a criterion of this call." in other_set.json()["detail"]
    twice = Api(evaluator).put(
        f"/assignments/{assignment}/scores",
        {"scores": [{"criterion": team, "value": 1}, {"criterion": team, "value": 2}]},
    )
    assert twice.status_code == 422 and twice.json()["detail"].startswith(f"criterion_{team}")
    not_a_number = Api(evaluator).put(
        f"/assignments/{assignment}/scores", {"scores": [{"criterion": team, "value": "high"}]}
    )
    assert not_a_number.status_code == 422
    assert not Score.objects.exists()
    assert Assignment.objects.get(pk=assignment).submitted_at is None


def test_a_consensus_score_outside_0_to_100_is_refused(world, label_call):
    application_id = scored_application(world, label_call, 2)
    manager = Api(world.partnership_manager)
    refused = manager.post(f"/applications/{application_id}/consensus", {"score": "150"})
    assert refused.status_code == 422
    assert "score" in str(refused.json()["detail"])
    assert Application.objects.get(pk=application_id).consensus_score is None
    agreed = manager.post(f"/applications/{application_id}/consensus", {"score": "72.5"})
    assert agreed.json()["consensus_score"] == "72.50"
    assert agreed.json()["percent"] == "40.00"  # the consolidated score stays what it is


def test_anonymous_requests_get_401_but_read_calls_and_criteria(world, label_call):
    application_id = apply(world.company_user, world.member_company, label_call).json()["id"]
    anonymous = Api()
    for path in (
        "/applications",
        f"/applications/{application_id}",
        f"/applications/{application_id}/result",
        f"/applications/{application_id}/certificate",
        f"/applications/{application_id}/assignments",
        "/assignments",
        "/assignments/1/scores",
    ):
        assert anonymous.get(path).status_code == 401, path
    assert (
        anonymous.post(
            "/applications",
            {
                "call": label_call.slug,
                "organisation": "precision-parts",
                "title": "A",
                "summary": "B",
            },
        ).status_code
        == 401
    )
    assert (
        anonymous.post(f"/applications/{application_id}/decision", {"awarded": True}).status_code
        == 401
    )
    assert anonymous.put("/assignments/1/scores", {"scores": []}).status_code == 401
    assert Application.objects.count() == 1
    assert Application.objects.get().state == "submitted"
    # Calls and criteria are public, like their pages.
    calls = anonymous.get("/calls").json()
    assert [c["slug"] for c in calls["items"]] == [label_call.slug]
    assert calls["items"][0]["open"] is True
    call = anonymous.get(f"/calls/{label_call.slug}").json()
    sections = call["criteria"]["sections"]
    assert [s["name"] for s in sections] == ["Performance", "Ambition"]
    assert sections[0]["criteria"][0]["name"] == "Highly innovative"
    assert sections[0]["criteria"][0]["scale_max"] == 5
    assert anonymous.get("/criteria-sets").json()["count"] == 1
    slug = label_call.criteria_set.slug
    assert anonymous.get(f"/criteria-sets/{slug}").json()["sections"][1]["name"] == "Ambition"
    assert anonymous.get("/calls/no-such-call").status_code == 404
    assert anonymous.get("/criteria-sets/no-such-set").status_code == 404


def test_calls_are_filtered(world, label_call):
    award = AwardCallFactory(kind="award", name="Best experiment award")
    past = AwardCallFactory(
        opens_on=label_call.opens_on.replace(year=label_call.opens_on.year - 1),
        closes_on=label_call.closes_on.replace(year=label_call.closes_on.year - 1),
    )
    api = Api()

    def slugs(**params) -> set[str]:
        return {c["slug"] for c in api.get("/calls", **params).json()["items"]}

    assert slugs() == {label_call.slug, award.slug, past.slug}
    assert slugs(kind="award") == {award.slug}
    assert slugs(state="open") == {label_call.slug, award.slug}
    assert slugs(state="closed") == {past.slug}
    assert slugs(q="experiment") == {award.slug}
    assert api.get("/calls", kind="medal").status_code == 422


def test_a_logged_in_session_works_too(world, label_call):
    application_id = apply(world.company_user, world.member_company, label_call).json()["id"]
    client = world.client(world.company_user)
    response = client.get(f"{API}/applications/{application_id}")
    assert response.status_code == 200
    assert response.json()["title"] == "Cloud welding"
