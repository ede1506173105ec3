from .events import Event, Session
from .meetings import Meeting, MeetingOutcome, MeetingRequest
from .participants import Participant

__all__ = ["Event", "Meeting", "MeetingOutcome", "MeetingRequest", "Participant", "Session"]
