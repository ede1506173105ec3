import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterbroker.community.evaluation import workflow
from clusterbroker.community.evaluation.certificate import issue_certificate
from clusterbroker.community.models import (
    AwardCall,
    Certificate,
    CriteriaSection,
    CriteriaSet,
    Criterion,
)
from clusterbroker.registry.models import Label, Position

from ..factories import OrganisationFactory, PersonFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def label_call(world):
    criteria = CriteriaSet.objects.create(slug="sae", name="I4MS-SAE")
    performance = CriteriaSection.objects.create(criteria_set=criteria, name="Performance")
    ambition = CriteriaSection.objects.create(criteria_set=criteria, name="Ambition", position=1)
    Criterion.objects.create(section=performance, name="Highly innovative", weight=2)
    Criterion.objects.create(section=ambition, name="Complete team", weight=1)
    today = timezone.localdate()
    call = AwardCall.objects.create(
        slug="sae-2026",
        name="I4MS-SAE label",
        criteria_set=criteria,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
    )
    call.managers.add(world.partnership_manager)
    return call


def evaluator_in(organisation):
    person = PersonFactory()
    PositionFactory(person=person, organisation=organisation, role=Position.Role.CONTACT)
    return person.user


def apply(world, call):
    return workflow.submit_application(
        call, world.member_company, world.company_user, "Cloud welding", "Our experiment."
    )


def test_conflict_of_interest_rule(world, label_call):
    application = apply(world, label_call)
    manager = world.partnership_manager
    # Someone of the applicant itself, and of a partner in its partnership: refused.
    for organisation in (world.member_company, world.cluster):
        with pytest.raises(ValidationError, match="Conflict of interest"):
            workflow.assign_evaluator(application, evaluator_in(organisation), manager)
    # Someone of an unrelated organisation: accepted.
    independent = evaluator_in(OrganisationFactory(name="Independent Lab"))
    assert workflow.assign_evaluator(application, independent, manager).evaluator == independent
    # Only managers assign.
    with pytest.raises(PermissionDenied):
        workflow.assign_evaluator(application, UserFactory(), world.company_user)


def test_project_partners_are_in_conflict_too(world, label_call):
    from ..factories import ParticipationFactory, ProjectFactory

    project = ProjectFactory()
    partner = OrganisationFactory()
    ParticipationFactory(project=project, organisation=world.other_company)
    ParticipationFactory(project=project, organisation=partner)
    application = workflow.submit_application(
        label_call, world.other_company, world.other_company_user, "AE", "x", project=project
    )
    with pytest.raises(ValidationError):
        workflow.assign_evaluator(application, evaluator_in(partner), world.partnership_manager)


def test_evaluators_see_only_their_assignments(world, label_call):
    mine = apply(world, label_call)
    other = workflow.submit_application(
        label_call, world.other_company, world.other_company_user, "Other AE", "x"
    )
    evaluator = evaluator_in(OrganisationFactory())
    workflow.assign_evaluator(mine, evaluator, world.partnership_manager)
    client = world.client(evaluator)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    page = client.get(label_call.get_absolute_url()).content.decode()
    assert "Cloud welding" in page and "Other AE" not in page
    # Applicants see their own only.
    applicant = world.client(world.other_company_user)
    assert applicant.get(mine.get_absolute_url()).status_code == 404
    assert applicant.get(other.get_absolute_url()).status_code == 200


def test_the_full_label_workflow_to_the_certificate(world, label_call):
    application = apply(world, label_call)
    manager = world.partnership_manager
    first = evaluator_in(OrganisationFactory())
    second = evaluator_in(OrganisationFactory())
    a1 = workflow.assign_evaluator(application, first, manager)
    a2 = workflow.assign_evaluator(application, second, manager)
    innovative, team = workflow.criteria_of(label_call)
    with pytest.raises(ValidationError):
        workflow.record_scores(a1, first, {innovative.pk: (9, "")})  # off the scale, incomplete
    with pytest.raises(PermissionDenied):
        workflow.record_scores(a1, second, {innovative.pk: (4, ""), team.pk: (4, "")})
    with pytest.raises(ValidationError):
        workflow.record_consensus(application, manager, "too early")
    # Through the page, as the evaluator.
    response = world.client(first).post(
        application.get_absolute_url(),
        {
            "action": "score",
            f"score_{innovative.pk}": "5",
            f"comment_{innovative.pk}": "Very new",
            f"score_{team.pk}": "3",
        },
    )
    assert response.status_code == 302
    workflow.record_scores(a2, second, {innovative.pk: (3, ""), team.pk: (5, "Strong team")})
    result = workflow.consolidated(application)
    # means 4 and 4 on a 0–5 scale: 80 %
    assert result["percent"] == 80
    # Before the decision the applicant sees neither scores nor certificate.
    applicant = world.client(world.company_user)
    assert "80.00" not in applicant.get(application.get_absolute_url()).content.decode()
    assert applicant.get(f"{application.get_absolute_url()}certificate.pdf").status_code == 404
    workflow.record_consensus(application, manager, "Agreed")
    workflow.decide(application, manager, awarded=True, note="Congratulations")
    page = applicant.get(application.get_absolute_url()).content.decode()
    assert "80.00" in page and "Congratulations" in page
    pdf = applicant.get(f"{application.get_absolute_url()}certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert Label.objects.filter(organisation=world.member_company, label="I4MS-SAE label").exists()
    assert (
        world.client(world.other_company_user)
        .get(f"{application.get_absolute_url()}certificate.pdf")
        .status_code
        == 404
    )


def test_no_certificate_when_not_awarded(world, label_call):
    application = apply(world, label_call)
    evaluator = evaluator_in(OrganisationFactory())
    assignment = workflow.assign_evaluator(application, evaluator, world.partnership_manager)
    criteria = workflow.criteria_of(label_call)
    workflow.record_scores(assignment, evaluator, {c.pk: (1, "") for c in criteria})
    workflow.record_consensus(application, world.partnership_manager, "Weak")
    workflow.decide(application, world.partnership_manager, awarded=False)
    with pytest.raises(ValidationError):
        issue_certificate(application)
    assert not Certificate.objects.exists()


def test_applications_only_in_the_window_and_for_own_organisation(world, label_call):
    with pytest.raises(PermissionDenied):
        workflow.submit_application(
            label_call, world.member_company, world.other_company_user, "x", "y"
        )
    label_call.closes_on = timezone.localdate() - dt.timedelta(days=1)
    label_call.save()
    with pytest.raises(ValidationError, match="not open"):
        apply(world, label_call)


def test_apply_through_the_page_with_an_attachment(world, label_call, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    client = world.client(world.company_user)
    response = client.post(
        label_call.get_absolute_url(),
        {
            "organisation": world.member_company.pk,
            "title": "Solar panels",
            "summary": "Optimised production.",
            "attachments": [SimpleUploadedFile("kpis.pdf", b"%PDF-1.4 kpis")],
        },
    )
    assert response.status_code == 302
    application = label_call.applications.get(title="Solar panels")
    attachment = application.attachments.get()
    url = f"{application.get_absolute_url()}attachments/{attachment.pk}/"
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 kpis"
    assert world.client(world.other_company_user).get(url).status_code == 404
    bad = client.post(
        label_call.get_absolute_url(),
        {
            "organisation": world.member_company.pk,
            "title": "Script",
            "summary": "x",
            "attachments": [SimpleUploadedFile("run.exe", b"MZ")],
        },
    )
    assert "only PDF" in bad.content.decode()
    assert not label_call.applications.filter(title="Script").exists()
