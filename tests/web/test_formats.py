"""Dates and times as pages write them: a 24-hour clock, so a sentence that ends with a time
ends with one full stop (not "2:28 a.m..")."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import formats

from ..events.factories import EventFactory
from ..factories import UserFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
EARLY = dt.datetime(2026, 9, 2, 2, 28, tzinfo=BRUSSELS)
LATE = dt.datetime(2026, 9, 2, 14, 5, tzinfo=BRUSSELS)


def test_default_formats_use_a_24_hour_clock_and_no_abbreviation_point():
    assert formats.date_format(EARLY, "DATETIME_FORMAT") == "2 September 2026, 02:28"
    assert formats.date_format(LATE, "SHORT_DATETIME_FORMAT") == "2 Sep 2026, 14:05"
    assert formats.time_format(LATE, "TIME_FORMAT") == "14:05"
    assert formats.date_format(EARLY.date(), "DATE_FORMAT") == "2 September 2026"


def test_a_time_at_the_end_of_a_sentence_has_one_full_stop():
    text = Template("{% load i18n %}{% blocktranslate %}Closed on {{ at }}.{% endblocktranslate %}")
    assert text.render(Context({"at": EARLY})) == "Closed on 2 September 2026, 02:28."
    for value in (EARLY, LATE):
        rendered = Template("{{ at }}. {{ at|time }}. {{ at|date }}.").render(
            Context({"at": value})
        )
        assert ".." not in rendered
        assert not re.search(r"[ap]\.m\.", rendered)


def test_the_closed_registration_page_ends_its_sentence_once(client, db):
    event = EventFactory(registration_deadline=dt.datetime(2020, 3, 2, 2, 28, tzinfo=BRUSSELS))
    client.force_login(UserFactory())
    page = client.get(f"/events/{event.slug}/register/").content.decode()
    assert "Registration closed on 2 March 2020, 02:28." in page
    assert "a.m." not in page
