"""The integrity of the label and award evaluation: conflicts of interest (the submitter,
the applicant's people, its clusters, partnerships and project partners), final decisions
with a stored certificate and its public verification page, answers that do not tell whether
a login or a record exists, and odd input answered with a 4xx."""

import pytest
from django.core.files.base import ContentFile
from django.utils.timezone import localdate

from clusterbroker.community.evaluation import workflow
from clusterbroker.community.models import (
    Application,
    Assignment,
    Attachment,
    Certificate,
    Score,
)
from clusterbroker.registry.models import Label, PartnershipRole, Position

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    PartnershipMemberFactory,
    PartnershipRoleFactory,
    PersonFactory,
    PositionFactory,
    ProjectFactory,
    UserFactory,
)
from .factories import AwardCallFactory, CriteriaSectionFactory, CriterionFactory
from .test_evaluation_api import Api, assign, criteria, evaluator_in, score

pytestmark = pytest.mark.django_db

BIG = 10**25  # beyond any 64-bit id


@pytest.fixture
def call(world):
    """One criterion on a 0–5 scale; managed by a user who has no other role."""
    award_call = AwardCallFactory(slug="sae-2026", name="I4MS-SAE label", kind="label")
    section = CriteriaSectionFactory(criteria_set=award_call.criteria_set, name="Performance")
    CriterionFactory(section=section, name="Highly innovative")
    manager = UserFactory(username="call-manager")
    award_call.managers.add(manager)
    award_call.manager = manager
    return award_call


def application_of(world, call, organisation, title: str = "Cloud welding") -> Application:
    """An application for `organisation`, submitted by a platform admin (who may apply for
    any organisation and holds no position in it)."""
    return workflow.submit_application(call, organisation, world.admin, title, "Our experiment.")


def decided(world, call, organisation, awarded: bool = True) -> Application:
    """An application scored 4 by one independent evaluator, with its consensus, decided."""
    application = application_of(world, call, organisation)
    evaluator = evaluator_in(OrganisationFactory())
    assignment = workflow.assign_evaluator(application, evaluator, call.manager)
    workflow.record_scores(assignment, evaluator, {c.pk: (4, "Good") for c in criteria_of(call)})
    workflow.record_consensus(application, call.manager, "Agreed")
    return workflow.decide(application, call.manager, awarded, "Well done", site="https://cb.test")


def criteria_of(call):
    return workflow.criteria_of(call)


# ---------------------------------------------------------------- finding 4: conflicts


def test_the_submitter_can_neither_be_assigned_nor_score(world, call):
    application = application_of(world, call, world.member_company)
    # The call's manager sees who submitted: the reason is named.
    refused = assign(call.manager, application.pk, world.admin)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "evaluator: Conflict of interest: root submitted this application."
    )
    # On the page, the submitter is not in the list of evaluators: choosing them is refused.
    page = world.client(call.manager).post(
        application.get_absolute_url(), {"action": "assign", "evaluator": str(world.admin.pk)}
    )
    assert page.status_code == 422
    assert "Choose an evaluator from the list." in page.content.decode()
    # A login posted as a script would is not a way around the list.
    login = world.client(call.manager).post(
        application.get_absolute_url(), {"action": "assign", "username": "root"}
    )
    assert login.status_code == 422
    assert not Assignment.objects.exists()
    # An assignment made before the rule (or by other means) does not let them score.
    assignment = Assignment.objects.create(application=application, evaluator=world.admin)
    values = dict.fromkeys(criteria(call), 5)
    response = score(world.admin, assignment.pk, values)
    assert response.status_code == 409
    assert "submitted this application" in response.json()["detail"]
    assert not Score.objects.exists()
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is None


def _in_the_cluster(world):
    member = OrganisationFactory(name="Second Member")
    MembershipFactory(organisation=member, cluster=world.cluster)
    return world.cluster_member, evaluator_in(member)


def _in_the_cluster_itself(world):
    return world.cluster_member, evaluator_in(world.cluster)


def _a_member_of_the_applicant_cluster(world):
    return world.cluster, evaluator_in(world.cluster_member)


def _a_member_of_the_cluster_of_which_the_applicant_is_a_member(world):
    # Membership read in both directions: the applicant is the member here.
    other_cluster = OrganisationFactory(kind="cluster", name="Other cluster")
    MembershipFactory(organisation=world.member_company, cluster=other_cluster)
    sibling = OrganisationFactory(name="Sibling")
    MembershipFactory(organisation=sibling, cluster=other_cluster)
    return world.member_company, evaluator_in(sibling)


def _a_fellow_partnership_member(world):
    return world.member_company, evaluator_in(world.cluster)


def _the_partnership_coordinator(world):
    coordinator = OrganisationFactory(name="Coordinator")
    world.partnership.coordinator = coordinator
    world.partnership.save()
    return world.member_company, evaluator_in(coordinator)


def _a_partnership_representative(world):
    person = PersonFactory()
    PartnershipRoleFactory(
        person=person, partnership=world.partnership, role=PartnershipRole.Role.REPRESENTATIVE
    )
    return world.member_company, person.user


def _the_partnership_manager(world):
    return world.member_company, world.partnership_manager


def _a_partner_in_another_project(world):
    project = ProjectFactory()
    partner = OrganisationFactory(name="Project partner")
    ParticipationFactory(project=project, organisation=world.other_company)
    ParticipationFactory(project=project, organisation=partner)
    return world.other_company, evaluator_in(partner)


def _a_contact_of_the_applicant(world):
    person = PersonFactory()
    PositionFactory(person=person, organisation=world.other_company, role=Position.Role.CONTACT)
    return world.other_company, person.user


@pytest.mark.parametrize(
    "relation, reason",
    [
        (_a_contact_of_the_applicant, "holds a position in the applicant organisation"),
        (_in_the_cluster, "shares a cluster"),
        (_in_the_cluster_itself, "shares a cluster"),
        (_a_member_of_the_applicant_cluster, "shares a cluster"),
        (_a_member_of_the_cluster_of_which_the_applicant_is_a_member, "shares a cluster"),
        (_a_fellow_partnership_member, "shares a partnership"),
        (_the_partnership_coordinator, "shares a partnership"),
        (_a_partnership_representative, "has a role in a partnership"),
        (_the_partnership_manager, "has a role in a partnership"),
        (_a_partner_in_another_project, "project partner"),
    ],
)
def test_the_conflict_rule_covers_every_relation(world, call, relation, reason):
    applicant, evaluator = relation(world)
    application = application_of(world, call, applicant)
    # A platform admin sees everyone: the 409 names the reason.
    response = assign(world.admin, application.pk, evaluator)
    assert response.status_code == 409, response.content
    assert response.json()["detail"].startswith("evaluator: Conflict of interest")
    assert reason in response.json()["detail"]
    assert not Assignment.objects.exists()
    # Scoring is refused too, should the evaluator have been assigned before the relation.
    assignment = Assignment.objects.create(application=application, evaluator=evaluator)
    assert score(evaluator, assignment.pk, dict.fromkeys(criteria(call), 3)).status_code == 409
    assert not Score.objects.exists()


def test_someone_unrelated_is_eligible(world, call):
    # A company of another partnership, a cluster and a project the applicant is not in.
    MembershipFactory(organisation=world.other_company)
    ParticipationFactory(organisation=world.other_company)
    application = application_of(world, call, world.member_company)
    response = assign(call.manager, application.pk, evaluator_in(world.other_company))
    assert response.status_code == 201, response.content


def test_a_relation_formed_after_the_assignment_excludes_the_evaluator(world, call):
    application = application_of(world, call, world.member_company)
    evaluator = evaluator_in(OrganisationFactory(name="Later partner"))
    colleague = evaluator_in(OrganisationFactory(name="Independent"))
    one = assign(call.manager, application.pk, evaluator).json()["id"]
    two = assign(call.manager, application.pk, colleague).json()["id"]
    values = dict.fromkeys(criteria(call), 4)
    assert score(evaluator, one, values).status_code == 200
    assert score(colleague, two, values).status_code == 200
    # The evaluator's organisation joins the applicant's partnership afterwards.
    joining = Position.objects.get(person__user=evaluator).organisation
    PartnershipMemberFactory(partnership=world.partnership, organisation=joining)
    manager = Api(call.manager)
    consensus = manager.post(f"/applications/{application.pk}/consensus", {"comment": "x"})
    assert consensus.status_code == 409
    assert "Conflict of interest" in consensus.json()["detail"]
    assert evaluator.username in consensus.json()["detail"]
    assert Application.objects.get(pk=application.pk).consensus_score is None
    # Taken off the application (with their scores), the consensus rests on the others.
    removed = manager.delete(f"/applications/{application.pk}/assignments/{one}")
    assert removed.status_code == 204
    assert not Score.objects.filter(assignment_id=one).exists()
    assert manager.post(f"/applications/{application.pk}/consensus", {}).status_code == 200


def test_only_managers_remove_an_evaluator_and_not_after_the_decision(world, call):
    application = decided(world, call, world.member_company)
    assignment = application.assignments.get()
    url = f"/applications/{application.pk}/assignments/{assignment.pk}"
    assert Api(assignment.evaluator).delete(url).status_code == 403
    manager = Api(call.manager)
    late = manager.delete(url)
    assert late.status_code == 409
    assert "no longer change" in late.json()["detail"]
    missing = manager.delete(f"/applications/{application.pk}/assignments/{BIG}")
    assert missing.status_code == 404
    page = world.client(call.manager).post(
        application.get_absolute_url(), {"action": "unassign", "assignment": assignment.pk}
    )
    assert page.status_code == 409
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# ---------------------------------------------------------------- finding 5: final decisions


def test_after_the_decision_consensus_scores_and_decision_are_frozen(world, call):
    application = decided(world, call, world.member_company)
    manager = Api(call.manager)
    changed = manager.post(f"/applications/{application.pk}/consensus", {"score": "10"})
    assert changed.status_code == 409
    assert "decided" in changed.json()["detail"]
    again = manager.post(f"/applications/{application.pk}/decision", {"awarded": False})
    assert again.status_code == 409
    assert "final" in again.json()["detail"]
    assignment = application.assignments.get()
    rescored = score(assignment.evaluator, assignment.pk, dict.fromkeys(criteria(call), 0))
    assert rescored.status_code == 409
    assert "decided" in rescored.json()["detail"]
    # Through the page as well: a 409 with the reason, nothing changed.
    page = world.client(call.manager).post(
        application.get_absolute_url(), {"action": "consensus", "score": "10"}
    )
    assert page.status_code == 409
    assert "its consensus no longer changes" in page.content.decode()
    page = world.client(call.manager).post(
        application.get_absolute_url(), {"action": "decide", "awarded": "no"}
    )
    assert page.status_code == 409
    application.refresh_from_db()
    assert application.consensus_score == 80 and application.consensus_comment == "Agreed"
    assert application.awarded is True and application.decision_note == "Well done"
    assert Score.objects.get().value == 4
    assert Certificate.objects.count() == 1


def test_the_certificate_is_the_document_stored_at_the_decision(world, call):
    application = decided(world, call, world.member_company)
    certificate = Certificate.objects.get(application=application)
    assert certificate.organisation_name == "Precision Parts"
    assert certificate.call_name == "I4MS-SAE label"
    assert certificate.number == f"sae-2026-{application.pk}"
    assert certificate.issued_at == application.decided_at
    applicant = world.client(world.company_user)
    before = applicant.get(f"{application.get_absolute_url()}certificate.pdf")
    assert before.status_code == 200 and before.content == bytes(certificate.pdf)
    # What it certifies is in its metadata; the verification page is linked from it.
    assert b"/Title (I4MS-SAE label: Precision Parts)" in before.content
    verify = f"https://cb.test/community/certificates/{certificate.code}/verify/"
    assert f"/URI ({verify})".encode() in before.content

    # Renamed afterwards, organisation and call: the certificate still certifies what was.
    world.member_company.name = "Renamed Holding"
    world.member_company.save()
    call.name = "Renamed label"
    call.save()
    after = applicant.get(f"{application.get_absolute_url()}certificate.pdf")
    assert after.content == before.content
    assert b"Renamed" not in after.content
    api = Api(world.company_user).get(f"/applications/{application.pk}/certificate")
    assert api.content == before.content
    result = Api(world.company_user).get(f"/applications/{application.pk}/result").json()
    assert result["certificate_url"] == f"/community/certificates/{certificate.code}/verify/"

    # The public verification page shows what was stored at the decision.
    page = world.client().get(result["certificate_url"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Precision Parts" in body and "I4MS-SAE label" in body
    assert certificate.number in body and localdate(application.decided_at).isoformat() in body
    assert "Renamed" not in body
    assert world.client().get("/community/certificates/no-such-code/verify/").status_code == 404
    # A stored certificate never changes.
    with pytest.raises(ValueError):
        certificate.organisation_name = "Renamed Holding"
        certificate.save()


def test_a_refused_application_has_no_certificate(world, call):
    application = decided(world, call, world.member_company, awarded=False)
    assert not Certificate.objects.exists()
    assert not Label.objects.filter(organisation=world.member_company).exists()
    applicant = world.client(world.company_user)
    assert applicant.get(f"{application.get_absolute_url()}certificate.pdf").status_code == 404


def test_the_certificate_outlives_the_application(world, call):
    application = decided(world, call, world.member_company)
    code = Certificate.objects.get().code
    application.delete()
    page = world.client().get(f"/community/certificates/{code}/verify/")
    assert page.status_code == 200 and "Precision Parts" in page.content.decode()


# ---------------------------------------------------------------- finding 10: existence


def test_an_unknown_login_and_an_ineligible_one_get_the_same_answer(world, call):
    application = application_of(world, call, world.member_company)
    # A contact of the applicant, whom the call's manager does not otherwise know.
    ineligible = evaluator_in(world.member_company)
    inactive = evaluator_in(OrganisationFactory())
    inactive.is_active = False
    inactive.save()
    answers = set()
    pages = set()
    for login, user_id in (
        ("nobody-here", "999999"),
        (ineligible.username, str(ineligible.pk)),
        (inactive.username, str(inactive.pk)),
    ):
        response = Api(call.manager).post(
            f"/applications/{application.pk}/assignments", {"evaluator": login}
        )
        answers.add((response.status_code, response.content))
        page = world.client(call.manager).post(
            application.get_absolute_url(), {"action": "assign", "evaluator": user_id}
        )
        pages.add((page.status_code, "Choose an evaluator from the list." in page.text))
    assert answers == {(422, b'{"detail": "evaluator: No eligible evaluator with this login."}')}
    assert pages == {(422, True)}
    assert not Assignment.objects.exists()


def test_missing_and_hidden_records_get_the_same_404(world, call, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    application = application_of(world, call, world.member_company)
    item = Attachment(application=application, name="plan.pdf")
    item.file.save("plan.pdf", ContentFile(b"%PDF secret"))
    other = application_of(world, call, world.other_company, "Other")
    stranger = world.client(world.other_company_user)
    applicant = world.client(world.company_user)
    base = application.get_absolute_url()
    assert applicant.get(f"{base}attachments/{item.pk}/").status_code == 200
    hidden = stranger.get(f"{base}attachments/{item.pk}/")
    missing = applicant.get(f"{base}attachments/{item.pk + 1}/")
    elsewhere = stranger.get(f"{other.get_absolute_url()}attachments/{item.pk}/")
    nowhere = applicant.get(f"/community/applications/{BIG}/attachments/{BIG}/")
    for response in (hidden, missing, elsewhere, nowhere):
        assert response.status_code == 404
        assert b"plan.pdf" not in response.content and b"secret" not in response.content
    # The API too: the same body for an application that does not exist and a hidden one.
    api = Api(world.other_company_user)
    for path in ("", "/result", "/certificate"):
        absent = api.get(f"/applications/{application.pk + 100}{path}")
        unseen = api.get(f"/applications/{application.pk}{path}")
        assert absent.status_code == unseen.status_code == 404
        assert absent.content == unseen.content
    assert (
        api.get("/assignments/999/scores").content == api.get(f"/assignments/{BIG}/scores").content
    )


# ---------------------------------------------------------------- finding 9: odd input


def test_odd_ids_and_values_get_a_4xx(world, call):
    application = application_of(world, call, world.member_company)
    evaluator = evaluator_in(OrganisationFactory())
    assignment = workflow.assign_evaluator(application, evaluator, call.manager)
    manager = world.client(call.manager)
    url = application.get_absolute_url()
    for path in (
        f"/community/applications/{BIG}/",
        f"/community/applications/{BIG}/certificate.pdf",
        f"/community/applications/{application.pk}/attachments/{BIG}/",
        "/community/certificates/%C2%B2/verify/",
        "/community/certificates/x%00y/verify/",
    ):
        # (a NUL in a path may be refused before routing: a 400)
        assert manager.get(path).status_code in (400, 404), path
    for organisation in ("abc", str(BIG), "1e400", "-1", "", "\x00"):
        response = world.client(world.company_user).post(
            call.get_absolute_url(), {"organisation": organisation, "title": "t", "summary": "s"}
        )
        assert 400 <= response.status_code < 500, organisation
    for data in (
        {"action": "unassign", "assignment": "abc"},
        {"action": "unassign", "assignment": str(BIG)},
        {"action": "consensus", "score": "1e400"},
        {"action": "consensus", "score": "sNaN"},
        {"action": "consensus", "score": "²"},
        {"action": "assign", "evaluator": "x" * 10_000},
        {"action": "assign", "username": "x" * 10_000},
    ):
        response = manager.post(url, data)
        assert 400 <= response.status_code < 500, data
    criterion = criteria(call)[0]
    for value in ("9" * 5000, "1e400", "²", "-1"):
        response = world.client(evaluator).post(
            url, {"action": "score", f"score_{criterion}": value}
        )
        assert response.status_code == 422, value
    api = Api(call.manager)
    assert api.get(f"/applications/{BIG}").status_code == 404
    assert api.get(f"/applications/{BIG}/assignments").status_code == 404
    assert api.post(f"/applications/{BIG}/assignments", {"evaluator": "x"}).status_code == 404
    assert api.get("/applications", page=str(BIG)).status_code == 422
    assert api.get("/assignments", pending="²").status_code == 422
    odd = Api(evaluator).put(
        f"/assignments/{assignment.pk}/scores",
        {"scores": [{"criterion": BIG, "value": BIG}], "submit": True},
    )
    assert odd.status_code == 422
    assert not Score.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_applications_awarded_before_the_upgrade_get_a_stored_certificate():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("community", "0005_search_snapshot"), ("community", "0006_certificate")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    organisation = old.get_model("registry", "Organisation").objects.create(
        slug="legacy-org", name="Legacy Org", country="FR"
    )
    criteria = old.get_model("community", "CriteriaSet").objects.create(slug="c", name="C")
    call = old.get_model("community", "AwardCall").objects.create(
        slug="old-label", name="Old label", criteria_set=criteria,
        opens_on="2025-01-01", closes_on="2025-02-01",
    )  # fmt: skip
    application = old.get_model("community", "Application").objects.create(
        call=call, organisation=organisation, title="Legacy", summary="x", awarded=True,
        decided_at="2025-03-01T10:00:00Z", state="decided", consensus_score=75,
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    certificate = Certificate.objects.get(application_id=application.pk)
    assert certificate.organisation_name == "Legacy Org"
    assert certificate.number == f"old-label-{application.pk}"
    assert bytes(certificate.pdf).startswith(b"%PDF")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
