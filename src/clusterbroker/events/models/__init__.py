from .events import Event, Session
from .meetings import Meeting, MeetingOutcome, MeetingRequest
from .participants import Participant
from .runs import SchedulingRun

__all__ = [
    "Event",
    "Meeting",
    "MeetingOutcome",
    "MeetingRequest",
    "Participant",
    "SchedulingRun",
    "Session",
]
