"""The records every row of the permission matrix refers to, on top of the `world` fixture.

`build_scene(world)` returns a dictionary; the matrix's URLs, payloads and markers name its
entries (`{member_company.slug}`, `{event.slug}` …). A feature whose rows need records that
are not here yet appends a builder to `SCENE_BUILDERS`: a function taking the scene so far
and returning the entries it adds.
"""

import datetime as dt
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone

from clusterbroker.brokering.models import Introduction
from clusterbroker.community.evaluation.certificate import issue_certificate
from clusterbroker.community.models import (
    Alert,
    Application,
    Assignment,
    Attachment,
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    SavedSearch,
    Score,
    SearchDocument,
    Status,
)
from clusterbroker.events.models import Meeting
from clusterbroker.plans import roadmap, services
from clusterbroker.plans.models import PlanVisibility, SwotItem, TargetMarket
from clusterbroker.registry.models import ApiToken, Position

from ..brokering.factories import NeedFactory, ProfileFactory
from ..community.factories import OfferFactory
from ..events.factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
)
from ..factories import (
    CompetenceFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
    UserFactory,
)
from ..plans.factories import ActionFactory, ManualKpiFactory


def _registry(scene: dict) -> dict:
    world = scene["world"]
    contact = PersonFactory(
        first_name="Carla", last_name="Contact", email="carla.contact@precision.example"
    )
    PositionFactory(person=contact, organisation=world.member_company, role=Position.Role.CONTACT)
    term = TermFactory(code="MX1", label="Matrix machining")
    spare_term = TermFactory(taxonomy=term.taxonomy, code="MX2", label="Matrix welding")
    participation = ParticipationFactory(
        organisation=world.member_company, project__acronym="MATRIXPROJ", role="coordinator"
    )
    token, _raw = ApiToken.issue(world.company_user, "company laptop token")
    return {
        "contact": contact,
        "term": term,
        "spare_term": spare_term,
        "competence": CompetenceFactory(
            organisation=world.member_company, term=term, evidence="matrix evidence"
        ),
        "membership": world.cluster.cluster_members.get(),
        "partnership_member": world.partnership.memberships.get(organisation=world.cluster),
        "project": participation.project,
        "participation": participation,
        "spare_org": OrganisationFactory(name="Spare Org", slug="spare-org"),
        "token": token,
    }


def _events(scene: dict) -> dict:
    world = scene["world"]
    event = EventFactory(name="Matrix Fair", slug="matrix-fair", partnership=world.partnership)
    session = SessionFactory(event=event)
    a = ParticipantFactory(event=event, organisation=world.member_company, user=world.company_user)
    b = ParticipantFactory(
        event=event, organisation=world.other_company, user=world.other_company_user
    )
    c = ParticipantFactory(event=event, organisation__name="Gamma Tools")
    d = ParticipantFactory(event=event, organisation__name="Delta Sensors")
    ab = MeetingRequestFactory(
        requester=a, requested=b, status="pending", message="A asks B about gearboxes"
    )
    ba = MeetingRequestFactory(requester=b, requested=a, message="B asks A about casting")
    cd = MeetingRequestFactory(requester=c, requested=d, message="C asks D, confidential")

    def meeting(request, table):
        start = session.start + dt.timedelta(minutes=25 * (table - 1))
        return Meeting.objects.create(
            request=request,
            session=session,
            start=start,
            end=start + dt.timedelta(minutes=20),
            table=table,
        )

    afternoon = timezone.localtime(session.start).replace(hour=14, minute=0)
    return {
        "event": event,
        "session": session,
        "participant_a": a,
        "participant_b": b,
        "participant_c": c,
        "participant_d": d,
        "request_ab": ab,
        "request_ba": ba,
        "request_cd": cd,
        "meeting_ba": meeting(ba, 1),
        "meeting_cd": meeting(cd, 2),
        "afternoon_start": afternoon.strftime("%Y-%m-%d %H:%M"),
        "afternoon_end": (afternoon + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    }


def _plans(scene: dict) -> dict:
    """`partnership` publishes nothing; `other_partnership` publishes every section."""
    world = scene["world"]
    PlanVisibility.objects.create(
        partnership=world.other_partnership, action_plan=True, kpis=True, strategy=True, report=True
    )

    def kpi_with_evidence(partnership, name: str, filename: str):
        kpi = ManualKpiFactory(partnership=partnership, name=name)
        value = services.record_kpi_value(
            kpi,
            value=3,
            as_of=dt.date(2026, 1, 15),
            entered_by=world.admin,
            document=services.EvidenceFile(filename, "application/pdf", b"MATRIX EVIDENCE BYTES"),
        )
        return kpi, value

    kpi, kpi_value = kpi_with_evidence(world.partnership, "Matrix KPI", "matrix-proof.pdf")
    _kpi, published_value = kpi_with_evidence(
        world.other_partnership, "Published KPI", "published-proof.pdf"
    )
    roadmap.save_roadmap(
        world.cluster, {1: "Matrix roadmap answer"}, dt.date(2026, 1, 10), world.cluster_manager
    )
    return {
        "plan_action": ActionFactory(partnership=world.partnership, title="Matrix action"),
        "published_action": ActionFactory(
            partnership=world.other_partnership, title="Published action"
        ),
        "kpi": kpi,
        "kpi_value": kpi_value,
        "published_kpi_value": published_value,
        "swot_item": SwotItem.objects.create(
            partnership=world.partnership, quadrant="strength", text="Matrix strength"
        ),
        "market": TargetMarket.objects.create(partnership=world.partnership, country="JP"),
    }


def _community(scene: dict) -> dict:
    """Offers in every state, a saved search with an alert, and a label call in evaluation.

    `evaluator` (a user of an unrelated organisation) is assigned to `application` (by
    `member_company`, scored, not decided) and to `unscored` (not scored yet), not to
    `decided` (by `other_company`, awarded). `partnership_manager` manages the call.
    """
    world = scene["world"]
    published = OfferFactory(title="Matrix published offer", author=world.other_company_user)
    draft = OfferFactory(
        title="Matrix draft offer quokka", status=Status.DRAFT, author=world.company_user
    )
    pending = OfferFactory(
        title="Matrix pending offer", status=Status.PENDING, author=world.other_company_user
    )
    saved = SavedSearch.objects.create(user=world.company_user, name="Matrix watch", text="Matrix")
    Alert.objects.create(
        saved_search=saved, document=SearchDocument.objects.get(key=f"offer:{published.pk}")
    )

    person = PersonFactory(first_name="Eva", last_name="Luator")
    PositionFactory(
        person=person,
        organisation=OrganisationFactory(name="Independent Lab"),
        role=Position.Role.CONTACT,
    )
    criteria = CriteriaSet.objects.create(slug="matrix-criteria", name="Matrix criteria")
    section = CriteriaSection.objects.create(criteria_set=criteria, name="Performance")
    criterion = Criterion.objects.create(section=section, name="Highly innovative")
    today = timezone.localdate()
    call = AwardCall.objects.create(
        slug="matrix-label",
        name="Matrix label",
        criteria_set=criteria,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
    )
    call.managers.add(world.partnership_manager)

    def application(organisation, user, title: str, **fields) -> Application:
        return Application.objects.create(
            call=call,
            organisation=organisation,
            submitted_by=user,
            title=title,
            summary="…",
            **fields,
        )

    def scored(app: Application, user, comment: str) -> None:
        assignment = Assignment.objects.create(
            application=app, evaluator=user, submitted_at=timezone.now()
        )
        Score.objects.create(assignment=assignment, criterion=criterion, value=4, comment=comment)

    in_evaluation = application(
        world.member_company,
        world.company_user,
        "Matrix application",
        state=Application.State.IN_EVALUATION,
        consensus_score=80,
    )
    scored(in_evaluation, person.user, "Matrix evaluator comment")
    attachment = Attachment(application=in_evaluation, name="plan.pdf")
    attachment.file.save("plan.pdf", ContentFile(b"MATRIX ATTACHMENT BYTES"))
    unscored = application(
        world.member_company,
        world.company_user,
        "Matrix unscored application",
        state=Application.State.IN_EVALUATION,
    )
    Assignment.objects.create(application=unscored, evaluator=person.user)
    decided = application(
        world.other_company,
        world.other_company_user,
        "Matrix decided application",
        state=Application.State.DECIDED,
        consensus_score=90,
        awarded=True,
        decided_at=timezone.now(),
    )
    scored(decided, UserFactory(username="second-evaluator"), "Matrix decided comment")
    certificate = issue_certificate(decided)  # made at the decision, as the workflow does
    # An application by `other_company` and a person of `cluster`, free of conflict with it,
    # whom `partnership_manager` knows: in the list of evaluators the page offers.
    open_application = application(
        world.other_company, world.other_company_user, "Matrix open application"
    )
    listed = PersonFactory(first_name="Lis", last_name="Ted")
    PositionFactory(person=listed, organisation=world.cluster, role=Position.Role.CONTACT)
    return {
        "published_offer": published,
        "draft_offer": draft,
        "pending_offer": pending,
        "saved_search": saved,
        "evaluator": person.user,
        "spare_evaluator": UserFactory(username="matrix-spare-evaluator"),
        "listed_evaluator": listed.user,
        "open_application": open_application,
        "award_call": call,
        "criterion": criterion,
        "application": in_evaluation,
        "attachment": attachment,
        "unscored_application": unscored,
        "decided_application": decided,
        "certificate": certificate,
    }


def _brokering(scene: dict) -> dict:
    """Profiles of `member_company` (kept by `company_user`), of `cluster_member` (kept by
    `cluster_manager`, its cluster's manager) and of `other_company`, with confidential needs.
    `other_company` has asked an introduction to `company_need` (pending) and has been
    introduced to `cluster_need` (accepted)."""
    world = scene["world"]
    company_profile = ProfileFactory(organisation=world.member_company)
    cluster_profile = ProfileFactory(organisation=world.cluster_member)
    ProfileFactory(organisation=world.other_company)

    def need(profile, text: str, confidential: bool = True):
        return NeedFactory(profile=profile, description=text, confidential=confidential)

    company_need = need(company_profile, "Matrix secret need about zirconia")
    cluster_need = need(cluster_profile, "Matrix cluster member secret")
    open_need = need(company_profile, "Matrix second secret need")
    need(company_profile, "Matrix public need", confidential=False)
    introduction = Introduction.objects.create(
        need=company_need, requester=world.other_company, message="Matrix introduction message"
    )
    Introduction.objects.create(
        need=cluster_need,
        requester=world.other_company,
        status=Introduction.Status.ACCEPTED,
        message="Accepted introduction",
    )
    return {
        "company_profile": company_profile,
        "cluster_profile": cluster_profile,
        "company_need": company_need,
        "cluster_need": cluster_need,
        "open_need": open_need,
        "introduction": introduction,
    }


def _evaluation_api(scene: dict) -> dict:
    """The evaluator's assignments of `_community`'s applications, named for the API rows:
    `assignment` (of `application`, submitted) and `unscored_assignment` (not submitted);
    `decided_assignment` is the other evaluator's, of `decided_application`."""
    evaluator = scene["evaluator"]
    return {
        "decided_assignment": Assignment.objects.get(application=scene["decided_application"]),
        "assignment": Assignment.objects.get(application=scene["application"], evaluator=evaluator),
        "unscored_assignment": Assignment.objects.get(
            application=scene["unscored_application"], evaluator=evaluator
        ),
    }


SCENE_BUILDERS: list[Callable[[dict], dict]] = [
    _registry,
    _events,
    _plans,
    _community,
    _brokering,
    _evaluation_api,
]


def build_scene(world) -> dict:
    scene = {"world": world, **vars(world)}
    for builder in SCENE_BUILDERS:
        scene |= builder(scene)
    return scene
