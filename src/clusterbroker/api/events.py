"""The events API: catalogue, meeting requests, scheduling, agenda and figures."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from clusterbroker.events import catalogue, late_changes, permissions, services, windows
from clusterbroker.events.agenda import agenda
from clusterbroker.events.models import Event, Meeting, MeetingRequest, Participant, SchedulingRun
from clusterbroker.events.scheduling import start_scheduling_run

from .auth import WRITE_AUTH
from .crud import ErrorOut

router = Router(tags=["events"])


class EventOut(Schema):
    slug: str
    name: str
    online: bool
    venue: str
    start_date: dt.date
    end_date: dt.date
    tables: int | None
    time_zone: str = Field(description="IANA name; the event's times are local to it")
    online_rooms: bool = Field(
        description="Each meeting has an online room (its link is in the two sides' agendas)"
    )
    registration_deadline: dt.datetime
    max_requests: int
    max_meetings: int

    @staticmethod
    def resolve_online_rooms(obj) -> bool:
        return bool(obj.meeting_link)


class ParticipantOut(Schema):
    id: int
    organisation: str
    name: str
    country: str
    offers: str
    needs: str
    terms: list[str]

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.organisation.country

    @staticmethod
    def resolve_terms(obj) -> list[str]:
        return [f"{t.taxonomy.code}:{t.code}" for t in obj.terms.all()]


class RequestIn(Schema):
    requested: int
    priority: int = 1
    message: str = ""
    window_sessions: list[int] = Field(
        default_factory=list, description="Only in these sessions (IDs); empty: any"
    )
    window_part: Literal["", "morning", "afternoon"] = Field(
        "", description="Only in the mornings (before noon) or afternoons, event time"
    )


class WindowIn(Schema):
    window_sessions: list[int] = Field(default_factory=list)
    window_part: Literal["", "morning", "afternoon"] = ""


class RequestOut(Schema):
    id: int
    requester: int
    requested: int
    priority: int
    status: str
    message: str
    window_sessions: list[int]
    window_part: str

    @staticmethod
    def resolve_requester(obj) -> int:
        return obj.requester_id

    @staticmethod
    def resolve_window_sessions(obj) -> list[int]:
        return sorted(s.pk for s in obj.window_sessions.all())

    @staticmethod
    def resolve_requested(obj) -> int:
        return obj.requested_id


class ParticipantFilterIn(Schema):
    q: str = ""
    country: str = ""
    kind: str = ""
    term: int | None = Field(None, ge=1, le=catalogue.MAX_RECORD_ID)


class ScheduleIn(Schema):
    mode: Literal["auto", "exact", "fast"] = "auto"
    allow_moving: bool = False


class UnplacedOut(Schema):
    request: int
    label: str
    reason: str


class ScheduleOut(Schema):
    mode: str
    requested_count: int
    placed_count: int
    placed_weight: int
    upper_bound: int
    unplaced: list[UnplacedOut]
    total_breaks: int | None = None


class RunOut(Schema):
    id: int
    status: str
    mode: str
    allow_moving: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None
    summary: ScheduleOut | None
    error: str


class AgendaItemOut(Schema):
    meeting_id: int
    start: dt.datetime
    end: dt.datetime
    table: int
    with_organisation: str
    with_country: str
    link: str = Field(description="The online room of the meeting, if the event has rooms")
    after_break: bool = Field(description="An idle slot of the same day comes before it")


class RegistrationOut(Schema):
    id: int = Field(description="Give it as `acting_for` to act for this registration")
    organisation: str
    name: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.organisation.name


class FreeSlotOut(Schema):
    slot: str = Field(description="The slot's key, to give when adding the meeting")
    start: dt.datetime
    end: dt.datetime
    table: int


class MeetingAddIn(Schema):
    slot: str = Field(max_length=40, description="A key from the request's free slots")


class MeetingOut(Schema):
    id: int
    request: int
    start: dt.datetime
    end: dt.datetime
    table: int
    announced: bool

    @staticmethod
    def resolve_request(obj) -> int:
        return obj.request_id


class CancelledOut(Schema):
    told: int = Field(description="Participants told of the cancellation")


class NoShowIn(Schema):
    absent: bool = Field(True, description="False clears the mark (freed meetings stay free)")


class NoShowOut(Schema):
    participant: int
    absent: bool
    freed: int = Field(description="Meetings freed (cancelled) by this call")


ACTING_FOR = Query(
    None,
    ge=1,
    le=catalogue.MAX_RECORD_ID,
    description=(
        "The ID of one of your own registrations at the event (see my-registrations) to act "
        "for; by default your first. Anyone else's is refused (403)."
    ),
)


class FiguresOut(Schema):
    participants: int
    requests: int
    accepted: int
    scheduled: int
    held: int
    follow_ups: int
    agreements: int


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def _acting(request, event: Event, acting_for: int | None) -> Participant | None:
    """The registration the user acts for: `acting_for` when it is one of their own (403
    otherwise, whoever it belongs to), else their first; None when not registered."""
    if acting_for is None:
        return permissions.participant_of(request.user, event)
    mine = permissions.registrations_of(request.user, event).filter(pk=acting_for).first()
    if mine is None:
        raise HttpError(
            403, _("acting_for: %(id)s is not one of your registrations.") % {"id": acting_for}
        )
    return mine


def _organised(request, slug: str, what: str) -> Event:
    event = _event(slug)
    if not permissions.is_organiser(request.user, event):
        raise HttpError(403, what)
    return event


def _unprocessable(error: ValidationError) -> HttpError:
    """A 422 whose detail names the field a rule is about, when it is about one."""
    if not hasattr(error, "error_dict"):
        return HttpError(422, " ".join(error.messages))
    return HttpError(
        422,
        "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()),
    )


@router.get("/", response=list[EventOut], summary="List events")
def list_events(request):
    return Event.objects.all()


@router.get("/{slug}", response=EventOut, summary="Read an event")
def read_event(request, slug: str):
    return _event(slug)


@router.get("/{slug}/figures", response=FiguresOut, summary="Event figures")
def figures(request, slug: str):
    return vars(services.event_figures(_event(slug)))


@router.get(
    "/{slug}/participants", response=list[ParticipantOut], auth=WRITE_AUTH, summary="Catalogue"
)
def participants(request, slug: str, filters: ParticipantFilterIn = Query(...)):  # noqa: B008
    """Every logged-in user reads the catalogue (profiles, no contact data), filtered."""
    criteria = catalogue.ParticipantFilter.from_query(filters.dict())
    return catalogue.filter_participants(_event(slug), criteria)


@router.get(
    "/{slug}/my-registrations",
    response=list[RegistrationOut],
    auth=WRITE_AUTH,
    summary="My registrations (whom I may act for)",
)
def my_registrations(request, slug: str):
    """The user's own registrations at the event, one per organisation they come for."""
    return permissions.registrations_of(request.user, _event(slug))


@router.get(
    "/{slug}/requests",
    response={200: list[RequestOut], 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Requests",
)
def list_requests(request, slug: str, acting_for: int | None = ACTING_FOR):
    """Organisers see every request of the event (unless acting for a registration); a
    participant only those of the registration they act for."""
    event = _event(slug)
    requests = MeetingRequest.objects.filter(event=event)
    if acting_for is None and permissions.is_organiser(request.user, event):
        return Status(200, requests)
    me = _acting(request, event, acting_for)
    if me is None:
        return Status(200, requests.none())
    return Status(200, requests.filter(Q(requester=me) | Q(requested=me)))


@router.post(
    "/{slug}/requests",
    response={201: RequestOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Request a meeting",
)
def create_request(request, slug: str, payload: RequestIn, acting_for: int | None = ACTING_FOR):
    event = _event(slug)
    me = _acting(request, event, acting_for)
    if me is None:
        raise HttpError(403, _("Register at the event first."))
    requested = event.participants.filter(pk=payload.requested).first()
    if requested is None:
        raise HttpError(
            422,
            _("requested: there is no participant %(id)s at this event.")
            % {"id": payload.requested},
        )
    try:
        with transaction.atomic():
            created = services.request_meeting(me, requested, payload.message, payload.priority)
            windows.set_window(created, payload.window_sessions, payload.window_part)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, created)


@router.put(
    "/{slug}/requests/{request_id}/window",
    response={200: RequestOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Keep a request to some sessions or times of day (its two sides, organisers)",
)
def set_window(request, slug: str, request_id: int, payload: WindowIn):
    event = _event(slug)
    meeting_request = get_object_or_404(MeetingRequest, event=event, pk=request_id)
    if not windows.can_set_window(request.user, meeting_request):
        raise HttpError(403, _("Only the two sides and the organisers set a time window."))
    try:
        windows.set_window(meeting_request, payload.window_sessions, payload.window_part)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, meeting_request)


# --- late changes (organisers); the rest follow the agenda ---------------------------------
# The two operations on a request are declared before its actions below, whose `{action}`
# path would take them.
@router.get(
    "/{slug}/requests/{request_id}/free-slots",
    response={200: list[FreeSlotOut], 403: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="Free slots for a request's meeting (organisers)",
    description=(
        "Slots not begun where both sides attend and are free, within the request's time "
        "window and the meeting limit, with a table left."
    ),
)
def free_slots(request, slug: str, request_id: int):
    event = _organised(request, slug, _("Only the event's organisers change the schedule."))
    meeting_request = get_object_or_404(MeetingRequest, event=event, pk=request_id)
    found = late_changes.free_slots(meeting_request)
    return Status(200, [{"slot": s.key, **vars(s)} for s in found])


@router.post(
    "/{slug}/requests/{request_id}/meeting",
    response={201: MeetingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Add a request's meeting into a free slot (organisers)",
    description="409 when the slot is not free (the reason says why); both sides are told.",
)
def add_meeting(request, slug: str, request_id: int, payload: MeetingAddIn):
    event = _organised(request, slug, _("Only the event's organisers change the schedule."))
    meeting_request = get_object_or_404(MeetingRequest, event=event, pk=request_id)
    try:
        meeting = late_changes.add_meeting(meeting_request, payload.slot, request.user)
    except ValidationError as error:
        if getattr(error, "error_dict", {}).get("slot"):
            raise HttpError(409, " ".join(error.messages)) from error
        raise _unprocessable(error) from error
    return Status(201, meeting)


@router.post(
    "/{slug}/requests/{request_id}/{action}",
    response={200: RequestOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Accept, decline or withdraw a request",
)
def act_on_request(request, slug: str, request_id: int, action: str):
    event = _event(slug)
    meeting_request = get_object_or_404(MeetingRequest, event=event, pk=request_id)
    if action not in permissions.REQUEST_ACTIONS:
        raise HttpError(
            422,
            _("action: “%(action)s” is unknown; use accept, decline or withdraw.")
            % {"action": action},
        )
    if not permissions.can_do_request_action(request.user, meeting_request, action):
        raise HttpError(403, _("You may not do this with this request."))
    try:
        services.act_on_request(meeting_request, action)
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(200, meeting_request)


@router.post(
    "/{slug}/schedule",
    response={200: RunOut, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Run the scheduler on the accepted meetings (organisers)",
    description=(
        "Queues a scheduling run. Where tasks run at once (one-process installations) the "
        "run comes back done, with its summary; otherwise poll the run until it is done."
    ),
)
def schedule(request, slug: str, payload: ScheduleIn):
    event = _event(slug)
    if not permissions.is_organiser(request.user, event):
        raise HttpError(403, _("Only the event's organisers run the scheduler."))
    return Status(
        200,
        start_scheduling_run(event, request.user, payload.mode, allow_moving=payload.allow_moving),
    )


@router.get(
    "/{slug}/schedule/runs/{run_id}",
    response={200: RunOut, 403: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="One scheduling run and its result (organisers)",
)
def schedule_run(request, slug: str, run_id: int):
    event = _event(slug)
    if not permissions.is_organiser(request.user, event):
        raise HttpError(403, _("Only the event's organisers see scheduling runs."))
    return Status(200, get_object_or_404(SchedulingRun, event=event, pk=run_id))


@router.get(
    "/{slug}/agenda",
    response={200: list[AgendaItemOut], 403: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="My agenda",
)
def my_agenda(request, slug: str, acting_for: int | None = ACTING_FOR):
    event = _event(slug)
    me = _acting(request, event, acting_for)
    if me is None:
        raise HttpError(404, _("You are not registered at this event."))
    return Status(200, [vars(item) for item in agenda(me)])


# --- late changes (organisers), continued ---------------------------------------------------


@router.post(
    "/{slug}/meetings/{meeting_id}/cancel",
    response={200: CancelledOut, 403: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="Cancel a scheduled meeting (organisers)",
)
def cancel_meeting(request, slug: str, meeting_id: int):
    event = _organised(request, slug, _("Only the event's organisers change the schedule."))
    meeting = get_object_or_404(Meeting, request__event=event, pk=meeting_id)
    return Status(200, {"told": late_changes.cancel_meeting(meeting, request.user)})


@router.post(
    "/{slug}/participants/{participant_id}/no-show",
    response={200: NoShowOut, 403: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="Mark a participant as not attending; their remaining meetings are freed",
)
def no_show(request, slug: str, participant_id: int, payload: NoShowIn):
    event = _organised(request, slug, _("Only the event's organisers change the schedule."))
    participant = get_object_or_404(Participant, event=event, pk=participant_id)
    freed = late_changes.mark_no_show(participant, payload.absent, request.user)
    return Status(200, {"participant": participant.pk, "absent": payload.absent, "freed": freed})
