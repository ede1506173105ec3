"""The schedule export in the language of the organiser who downloads it: the headers, the
yes/no values, the priority and the outcome are translated; names, countries, times and
links are not."""

import csv
import io

import pytest
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from clusterbroker.events.models import MeetingOutcome

from ..factories import OrganisationFactory, UserFactory
from .factories import EventFactory, MeetingFactory, SessionFactory, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def languages(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]


@pytest.fixture
def scheduled():
    """An event with one announced meeting that took place and ended in an agreement, and
    an organiser."""
    event = EventFactory(name="Matchmaking Oyonnax")
    SessionFactory(event=event)
    MeetingFactory(
        request__requester__event=event,
        request__requester__organisation=OrganisationFactory(name="Alpha Robotics"),
        request__requested__organisation=OrganisationFactory(name="Beta Sensors"),
        request__priority=3,
        announced=True,
        happened=True,
        outcome=MeetingOutcome.AGREEMENT,
    )
    organiser = UserFactory()
    event.organisers.add(organiser)
    return event, organiser


def in_german(*msgids: str, context: str = "") -> list[str]:
    with translation.override("de"):
        if context:
            return [translation.pgettext(context, m) for m in msgids]
        return [translation.gettext(m) for m in msgids]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_german_export_has_german_headers_and_values(scheduled):
    event, organiser = scheduled
    content = client_for(organiser).get(f"/events/{event.slug}/schedule/?format=csv&lang=de")
    header, row = csv_rows(content.content)
    start, end, table, priority, time_zone, link = in_german(
        "Start", "End", "Table", "Priority", "Time zone", "Link"
    )
    assert (start, end, priority) == ("Beginn", "Ende", "Priorität")  # the catalogue is there
    assert header[:3] == [start, end, table] and header[-2:] == [time_zone, link]
    [requester, requested] = in_german("Requesting organisation", "Requested organisation")
    assert header[3] == requester and header[5] == requested
    assert "Requesting organisation" not in header and "Requested organisation" not in header
    assert header[7] == priority
    # The columns named after a field of the meeting take its name.
    fields = in_german("announced to participants", "took place", "outcome")
    assert header[8:11] == [capfirst(name) for name in fields]
    values = dict(zip(header, row, strict=True))
    assert values[requester] == "Alpha Robotics" and values[requested] == "Beta Sensors"
    yes, _no = in_german("yes", "no", context="boolean value")
    assert yes == "ja", "the boolean values are not translated yet"
    assert row[8] == row[9] == yes
    assert values[priority] == in_german("Top")[0]
    assert values[header[10]] == in_german("Agreement signed")[0] == "Vereinbarung unterzeichnet"


def test_a_german_workbook_has_german_headers_and_values(scheduled):
    event, organiser = scheduled
    response = client_for(organiser).get(f"/events/{event.slug}/schedule/?format=xlsx&lang=de")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == in_german("Schedule")
    header, row = list(workbook.active.iter_rows(values_only=True))
    assert list(header[:3]) == in_german("Start", "End", "Table")
    assert row[8] == row[9] == in_german("yes", context="boolean value")[0] == "ja"


def test_in_english_the_same_columns_and_plain_values(scheduled):
    event, organiser = scheduled
    content = client_for(organiser).get(f"/events/{event.slug}/schedule/?format=csv&lang=en")
    header, row = csv_rows(content.content)
    assert header == [
        "Start",
        "End",
        "Table",
        "Requesting organisation",
        "Country of the requesting organisation",
        "Requested organisation",
        "Country of the requested organisation",
        "Priority",
        "Announced to participants",
        "Took place",
        "Outcome",
        "Time zone",
        "Link",
    ]
    assert row[7:11] == ["Top", "yes", "yes", "Agreement signed"]
