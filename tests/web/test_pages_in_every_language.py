"""The main pages in every language the site speaks: no text of the interface is left in
English. A page leaks when one of its text nodes (or a title, placeholder, aria-label or
alt) is exactly an English string of the catalogue whose translation differs: a string
translated too early (at import, in English), a template not compiled, a label built
outside gettext. Names and user content (the sample data is in English) are not strings
of the catalogue and are left alone."""

from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from clusterbroker.events.models import Event, Participant

from ..main_pages import main_pages
from .test_catalogues import LOCALE, PLACEHOLDER

pytestmark = pytest.mark.django_db
SPOKEN = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


def english_strings(code: str) -> set[str]:
    """The catalogue's English strings that read differently in `code` and are not also a
    word of `code` (the Italian for "Dates" is "Date")."""
    po = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
    translated = {e.msgstr.strip() for e in po.translated_entries()}
    translated |= {f.strip() for e in po.translated_entries() for f in e.msgstr_plural.values()}
    return {
        e.msgid.strip()
        for e in po.translated_entries()
        if not e.msgid_plural
        and not PLACEHOLDER.search(e.msgid)
        and "%" not in e.msgid
        and e.msgstr.strip() != e.msgid.strip()
        and any(c.isalpha() for c in e.msgid)
    } - translated


class _Texts(HTMLParser):
    """The visible texts and the texts of ATTRIBUTES, leaving out scripts, styles, search
    highlights (a word of the user's text) and what the page marks as content
    (`data-content`: a search hit's excerpt)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping: str | None = None  # the tag of the element left out, while in it
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.skipping:
            self.depth += tag == self.skipping
        elif tag in ("script", "style", "mark") or "data-content" in dict(attrs):
            self.skipping, self.depth = tag, 1
        else:
            self.texts += [v.strip() for name, v in attrs if name in ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if self.skipping == tag:
            self.depth -= 1
            if not self.depth:
                self.skipping = None

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_sample_data", "--demo-users", verbosity=0)
        # The demo company user takes part in the first event, to see its agenda.
        participant = (
            Participant.objects.filter(event=Event.objects.order_by("pk").first())
            .filter(sent_requests__meeting__isnull=False)
            .order_by("pk")
            .first()
        )
        participant.user = get_user_model().objects.get(username="company")
        participant.save()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


def pages_per_user() -> dict[str, list[str]]:
    """The main pages, per demo user who sees them ("": a visitor)."""
    event = Event.objects.order_by("pk").first()
    manager = [
        *main_pages(),
        "/surveys/",
        "/account/",
        "/notifications/",
        "/notifications/settings/",
        f"{event.get_absolute_url()}participants/",
    ]
    pages = {"": main_pages(signed_in=False), "manager": manager}
    participant = Participant.objects.filter(event=event, user__isnull=False).first()
    if participant is not None:
        pages[participant.user.username] = [f"{event.get_absolute_url()}agenda/"]
    return pages


def test_the_walk_covers_the_main_flows(sample):
    pages = pages_per_user()
    assert sum(len(paths) for paths in pages.values()) >= 22
    assert any(path.endswith("/agenda/") for paths in pages.values() for path in paths)


@pytest.mark.parametrize("code", SPOKEN)
def test_no_english_is_left_on_the_main_pages(code, sample, client):
    english = english_strings(code)
    assert len(english) > 1500
    leaks: dict[str, set[str]] = {}
    for username, paths in pages_per_user().items():
        client.logout()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        for path in paths:
            glue = "&" if "?" in path else "?"
            response = client.get(f"{path}{glue}lang={code}")
            assert response.status_code == 200, path
            assert f'<html lang="{code}"' in response.content.decode()
            found = {t for t in texts_of(response.content.decode()) if t in english}
            if found:
                leaks[path] = found
    assert leaks == {}
