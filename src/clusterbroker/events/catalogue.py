"""The participant catalogue: who is registered at an event, searched and filtered."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from clusterbroker.registry.countries import country_name

from .models import Event, MeetingRequest, Participant

MAX_RECORD_ID = 2**63 - 1  # the largest id the database stores
MAX_TEXT = 200  # searched text beyond this is cut (SQLite refuses very long LIKE patterns)


def record_id(value: str) -> int | None:
    """`value` as a record's id (ASCII digits, within the database's integers), else None.

    `str.isdigit()` is not enough: it accepts "²" and other digits that `int()` refuses."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_RECORD_ID else None


@dataclass(frozen=True)
class ParticipantFilter:
    """What the catalogue is narrowed to; every field optional. `ignored` says, for the
    page, which given values were not understood and so do not narrow anything."""

    text: str = ""
    country: str = ""
    kind: str = ""
    term: int | None = None
    ignored: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: dict) -> "ParticipantFilter":
        """Read the filter from query parameters; a malformed technology id is ignored."""
        term = str(query.get("term", "") or "").strip()
        term_id = record_id(term) if term else None
        ignored = ()
        if term and term_id is None:
            shown = term if len(term) <= 40 else term[:39] + "…"
            ignored = (
                _("Technology: “%(value)s” is not a technology of the list; it is ignored.")
                % {"value": shown},
            )
        return cls(
            text=str(query.get("q", "") or "").strip()[:MAX_TEXT],
            country=str(query.get("country", "") or "").strip().upper(),
            kind=str(query.get("kind", "") or "").strip(),
            term=term_id,
            ignored=ignored,
        )


def filter_participants(event: Event, criteria: ParticipantFilter) -> QuerySet[Participant]:
    """The event's participants matching every given criterion, by organisation name."""
    participants = event.participants.select_related("organisation").prefetch_related(
        "terms__taxonomy"
    )
    if criteria.text:
        participants = participants.filter(
            Q(organisation__name__icontains=criteria.text)
            | Q(organisation__acronym__icontains=criteria.text)
            | Q(offers__icontains=criteria.text)
            | Q(needs__icontains=criteria.text)
            | Q(description__icontains=criteria.text)
        )
    if criteria.country:
        participants = participants.filter(organisation__country=criteria.country)
    if criteria.kind:
        participants = participants.filter(organisation__kind=criteria.kind)
    if criteria.term is not None:
        participants = participants.filter(terms__pk=criteria.term)
    return participants.distinct().order_by("organisation__name", "pk")


def countries(event: Event) -> list[tuple[str, str]]:
    """(code, name) of the participants' countries, by name."""
    codes = event.participants.values_list("organisation__country", flat=True).distinct()
    return sorted(((code, country_name(code)) for code in set(codes)), key=lambda c: c[1])


def contacted_ids(participant: Participant) -> set[int]:
    """Participants with whom `participant` has a request (sent or received) not withdrawn."""
    requests = MeetingRequest.objects.filter(
        Q(requester=participant) | Q(requested=participant)
    ).exclude(status=MeetingRequest.Status.WITHDRAWN)
    return {
        r.requested_id if r.requester_id == participant.pk else r.requester_id for r in requests
    }
