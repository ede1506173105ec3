"""Schedule an event's accepted meetings: database records in, placements out.

The algorithm is the `scheduler` package (plain Python, OR-Tools); this module turns
the event into its input, stores the placements as `Meeting` records, keeps announced
meetings in place on a re-run, and builds the organiser's grid.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import scheduler
from .links import meeting_link
from .models import Event, Meeting, MeetingRequest, SchedulingRun
from .scheduler.breaks import breaks_per_participant


@dataclass(frozen=True)
class Unplaced:
    request: int
    label: str
    reason: str


@dataclass(frozen=True)
class SchedulingSummary:
    mode: str
    requested_count: int
    placed_count: int
    placed_weight: int
    upper_bound: int
    unplaced: list[Unplaced]
    total_breaks: int | None = None  # in the participants' agendas, when the run counted


@dataclass(frozen=True)
class _SlotInfo:
    session_id: int
    start: dt.datetime
    end: dt.datetime


def _slots(event: Event) -> dict[str, _SlotInfo]:
    """The event's meeting slots in time order, by id ("session:index")."""
    slots = {}
    for session in event.sessions.order_by("start"):
        length = dt.timedelta(minutes=session.meeting_minutes)
        for index, start in enumerate(session.slot_starts()):
            slots[f"{session.pk}:{index}"] = _SlotInfo(session.pk, start, start + length)
    return slots


def event_slots(event: Event) -> dict[str, _SlotInfo]:
    """The event's meeting slots in time order, by id."""
    return _slots(event)


def request_window(
    meeting_request: MeetingRequest, slots: dict[str, _SlotInfo], zone: dt.tzinfo
) -> tuple[str, ...] | None:
    """The slots a request is restricted to (None: any slot both sides attend): those of
    its chosen sessions, in the morning (before noon) or afternoon, in the event's zone."""
    sessions = {s.pk for s in meeting_request.window_sessions.all()}
    part = meeting_request.window_part
    if not sessions and not part:
        return None
    return tuple(
        slot_id
        for slot_id, info in slots.items()
        if (not sessions or info.session_id in sessions)
        and (not part or (timezone.localtime(info.start, zone).hour < 12) == (part == "morning"))
    )


def _scheduler_request(
    r: MeetingRequest, slots: dict[str, _SlotInfo], zone: dt.tzinfo
) -> scheduler.Request:
    return scheduler.Request(
        id=str(r.pk),
        a=str(r.requester_id),
        b=str(r.requested_id),
        weight=r.priority,
        slots=request_window(r, slots, zone),
    )


@transaction.atomic
def run_scheduling(
    event: Event, mode: str = "auto", allow_moving: bool = False, time_limit: float = 15.0
) -> SchedulingSummary:
    """Place every accepted request; announced meetings stay put unless `allow_moving`."""
    slots = _slots(event)
    if not slots:
        raise ValidationError(_("The event has no meeting slot: add a session first."))
    accepted = list(
        MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED)
        .select_related("requester__organisation", "requested__organisation")
        .prefetch_related("window_sessions")
    )
    announced = {
        m.request_id: m
        for m in Meeting.objects.filter(request__event=event, announced=True).select_related(
            "request"
        )
    }
    slot_of = {(info.session_id, info.start): slot_id for slot_id, info in slots.items()}
    # A participant marked as not attending (a no-show) gets no new meeting: only the
    # announced meetings they still have (those that had ended when they were marked) stay.
    absent = set(event.participants.filter(no_show_at__isnull=False).values_list("pk", flat=True))
    accepted = [
        r for r in accepted if r.pk in announced or not {r.requester_id, r.requested_id} & absent
    ]
    kept_slots: dict[int, list[str]] = {}
    for m in announced.values():
        if (m.session_id, m.start) in slot_of:
            for side in (m.request.requester_id, m.request.requested_id):
                kept_slots.setdefault(side, []).append(slot_of[(m.session_id, m.start)])
    participants = {}
    for participant in event.participants.prefetch_related("available_sessions"):
        if participant.pk in absent:
            if participant.pk in kept_slots:
                participants[str(participant.pk)] = kept_slots[participant.pk]
            continue
        sessions = {s.pk for s in participant.available_sessions.all()}
        participants[str(participant.pk)] = [
            slot_id for slot_id, info in slots.items() if info.session_id in sessions
        ]
    names = {
        str(p.pk): p.organisation.name for p in event.participants.select_related("organisation")
    }
    instance = scheduler.Instance(
        slots=[
            scheduler.Slot(slot_id, info.start, info.end, str(info.session_id))
            for slot_id, info in slots.items()
        ],
        tables=event.tables,
        max_meetings=event.max_meetings,
        names=names,
        availability=participants,
        requests=[_scheduler_request(r, slots, event.zone) for r in accepted],
        locked={
            str(request_id): scheduler.Placement(
                slot=slot_of[(m.session_id, m.start)], table=m.table
            )
            for request_id, m in announced.items()
            if (m.session_id, m.start) in slot_of
        },
    )
    try:
        result = scheduler.schedule(
            instance, mode=mode, allow_moving_locked=allow_moving, time_limit=time_limit
        )
    except scheduler.ScheduleInputError as error:
        raise ValidationError(str(error)) from error
    by_id = {str(r.pk): r for r in accepted}
    kept_announced = {
        rid
        for rid, m in announced.items()
        if (p := result.placements.get(str(rid)))
        and p.slot == slot_of.get((m.session_id, m.start))
        and p.table == m.table
    }
    Meeting.objects.filter(request__event=event).delete()
    bulk_create_with_history(
        [
            Meeting(
                request=by_id[rid],
                session_id=slots[p.slot].session_id,
                start=slots[p.slot].start,
                end=slots[p.slot].end,
                table=p.table,
                announced=int(rid) in kept_announced,
            )
            for rid, p in result.placements.items()
        ],
        Meeting,
    )
    return SchedulingSummary(
        mode=result.mode,
        requested_count=len(accepted),
        placed_count=result.placed_count,
        placed_weight=result.placed_weight,
        upper_bound=result.upper_bound,
        unplaced=[
            Unplaced(int(rid), str(by_id[rid]), reason) for rid, reason in result.unplaced.items()
        ],
        total_breaks=getattr(result, "total_breaks", None),
    )


def start_scheduling_run(
    event: Event, user: object, mode: str = "auto", allow_moving: bool = False
) -> SchedulingRun:
    """Queue a scheduling run for a worker; with the immediate backend it is done on return."""
    from .tasks import run_scheduling_task  # tasks import this module

    run = SchedulingRun.objects.create(
        event=event, requested_by=user, mode=mode, allow_moving=allow_moving
    )
    run_scheduling_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


def execute_run(run_id: int) -> SchedulingRun:
    """Do a queued run and keep its summary (or its error). The participants of announced
    meetings that the run moved or could not keep are told (see `notifications`)."""
    from . import notifications  # it imports this module

    run = SchedulingRun.objects.select_related("event", "requested_by").get(pk=run_id)
    run.status = SchedulingRun.Status.RUNNING
    run.save(update_fields=["status"])
    announced = notifications.announced_placements(run.event)
    try:
        summary = run_scheduling(run.event, run.mode, allow_moving=run.allow_moving)
    except ValidationError as error:
        run.status, run.error = SchedulingRun.Status.FAILED, " ".join(error.messages)
    else:
        run.status, run.summary = SchedulingRun.Status.DONE, asdict(summary)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "error", "finished_at"])
    if run.status == SchedulingRun.Status.DONE and announced:
        notifications.rerun_changes(run.event, announced, actor=run.requested_by)
    return run


def announce_schedule(event: Event) -> int:
    """Mark every scheduled meeting as announced; a re-run will keep them in place."""
    meetings = list(Meeting.objects.filter(request__event=event, announced=False))
    for meeting in meetings:
        meeting.announced = True
    bulk_update_with_history(meetings, Meeting, ["announced"])
    count = Meeting.objects.filter(request__event=event).count()
    event.schedule_announced_at = timezone.now()
    event.save(update_fields=["schedule_announced_at"])
    return count


@dataclass(frozen=True)
class StoredBreaks:
    """Breaks in the stored schedule: per participant (by id) and the meetings that
    follow a break in their participant's day."""

    per_participant: dict[int, int]
    after_break: dict[int, set[int]]  # participant id → ids of meetings after a break

    @property
    def total(self) -> int:
        return sum(self.per_participant.values())


def stored_breaks(event: Event, meetings: list[Meeting] | None = None) -> StoredBreaks:
    """Count the breaks of the stored meetings (`scheduler.breaks`): an idle slot or more
    between two meetings of a participant on the same day (in the event's time zone)."""
    slots = _slots(event)
    order = list(slots)
    position = {slot_id: i for i, slot_id in enumerate(order)}
    day = {
        slot_id: timezone.localtime(info.start, event.zone).date().isoformat()
        for slot_id, info in slots.items()
    }
    slot_of = {(info.session_id, info.start): slot_id for slot_id, info in slots.items()}
    if meetings is None:
        meetings = list(Meeting.objects.filter(request__event=event).select_related("request"))
    placed = [
        (m, slot_of[(m.session_id, m.start)])
        for m in meetings
        if (m.session_id, m.start) in slot_of
    ]
    counts = breaks_per_participant(
        order,
        day,
        [(str(m.request.requester_id), str(m.request.requested_id), slot) for m, slot in placed],
    )
    after: dict[int, set[int]] = {}
    by_participant: dict[int, list[tuple[int, str, int]]] = {}
    for m, slot in placed:
        for side in (m.request.requester_id, m.request.requested_id):
            by_participant.setdefault(side, []).append((position[slot], slot, m.pk))
    for side, taken in by_participant.items():
        taken.sort()
        after[side] = {
            later[2]
            for earlier, later in zip(taken, taken[1:], strict=False)
            if later[0] > earlier[0] + 1 and day[earlier[1]] == day[later[1]]
        }
    return StoredBreaks({int(pid): n for pid, n in counts.items()}, after)


@dataclass(frozen=True)
class GridCell:
    label: str
    announced: bool
    link: str = ""


@dataclass(frozen=True)
class GridRow:
    start: dt.datetime
    cells: list[GridCell | None]


@dataclass(frozen=True)
class ParticipantBreaks:
    participant: int
    name: str
    breaks: int


@dataclass(frozen=True)
class Grid:
    tables: list[int]
    rows: list[GridRow]
    breaks: list[ParticipantBreaks] = field(default_factory=list)
    total_breaks: int = 0


def schedule_grid(event: Event) -> Grid:
    """The organiser's view: one row per slot with meetings, one column per table used, and
    the breaks of each participant with meetings (most first) and in all."""
    meetings = list(
        Meeting.objects.filter(request__event=event).select_related(
            "request__requester__organisation", "request__requested__organisation"
        )
    )
    if not meetings:
        return Grid(tables=[], rows=[])
    tables = list(range(1, max(m.table for m in meetings) + 1))
    by_start: dict[dt.datetime, dict[int, Meeting]] = {}
    for m in meetings:
        by_start.setdefault(m.start, {})[m.table] = m
    rows = []
    for start in sorted(by_start):
        cells = []
        for table in tables:
            m = by_start[start].get(table)
            cells.append(
                GridCell(
                    f"{m.request.requester.organisation.name} · "
                    f"{m.request.requested.organisation.name}",
                    m.announced,
                    meeting_link(event, m),
                )
                if m
                else None
            )
        rows.append(GridRow(start, cells))
    found = stored_breaks(event, meetings)
    names = {}
    for m in meetings:
        for side in (m.request.requester, m.request.requested):
            names[side.pk] = side.organisation.name
    breaks = sorted(
        (ParticipantBreaks(pk, names[pk], n) for pk, n in found.per_participant.items()),
        key=lambda b: (-b.breaks, b.name.casefold()),
    )
    return Grid(tables=tables, rows=rows, breaks=breaks, total_breaks=found.total)
