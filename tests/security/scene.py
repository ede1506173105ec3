"""The records every row of the permission matrix refers to, on top of the `world` fixture.

`build_scene(world)` returns a dictionary; the matrix's URLs, payloads and markers name its
entries (`{member_company.slug}`, `{event.slug}` …). A feature whose rows need records that
are not here yet appends a builder to `SCENE_BUILDERS`: a function taking the scene so far
and returning the entries it adds.
"""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from clusterbroker.events.models import Meeting
from clusterbroker.registry.models import ApiToken, Position

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
)


def _registry(scene: dict) -> dict:
    world = scene["world"]
    contact = PersonFactory(
        first_name="Carla", last_name="Contact", email="carla.contact@precision.example"
    )
    PositionFactory(person=contact, organisation=world.member_company, role=Position.Role.CONTACT)
    term = TermFactory(code="MX1", label="Matrix machining")
    spare_term = TermFactory(taxonomy=term.taxonomy, code="MX2", label="Matrix welding")
    participation = ParticipationFactory(
        organisation=world.member_company, project__acronym="MATRIXPROJ"
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


SCENE_BUILDERS: list[Callable[[dict], dict]] = [_registry, _events]


def build_scene(world) -> dict:
    scene = {"world": world, **vars(world)}
    for builder in SCENE_BUILDERS:
        scene |= builder(scene)
    return scene
