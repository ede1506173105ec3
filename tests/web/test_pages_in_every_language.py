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
from clusterbroker.registry.models import Organisation, Partnership

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
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        # Scripts, styles and search highlights (a word of the user's text) are no interface.
        self.code += tag in ("script", "style", "mark")
        self.texts += [value.strip() for name, value in attrs if name in ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        self.code -= tag in ("script", "style", "mark")

    def handle_data(self, data: str) -> None:
        if not self.code and data.strip():
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


def main_pages() -> dict[str, list[str]]:
    """Pages of the main flows, per demo user who sees them."""
    partnership = Partnership.objects.order_by("pk").first()
    organisation = Organisation.objects.filter(participations__isnull=False).order_by("pk").first()
    event = Event.objects.order_by("pk").first()
    public = [
        "/",
        "/organisations/",
        "/organisations/?q=robot",
        organisation.get_absolute_url(),
        "/partnerships/",
        partnership.get_absolute_url(),
        "/projects/",
        "/events/",
        event.get_absolute_url(),
        "/community/",
        "/community/calls/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    manager = [
        f"/plans/{partnership.slug}/kpis/",
        f"/plans/{partnership.slug}/",
        "/surveys/",
        "/brokering/",
        "/account/",
        "/notifications/",
        "/notifications/settings/",
        f"{event.get_absolute_url()}participants/",
    ]
    pages = {"": public, "manager": manager}
    participant = Participant.objects.filter(event=event, user__isnull=False).first()
    if participant is not None:
        pages[participant.user.username] = [f"{event.get_absolute_url()}agenda/"]
    return pages


def test_the_walk_covers_the_main_flows(sample):
    pages = main_pages()
    assert sum(len(paths) for paths in pages.values()) >= 22
    assert any(path.endswith("/agenda/") for paths in pages.values() for path in paths)


@pytest.mark.parametrize("code", SPOKEN)
def test_no_english_is_left_on_the_main_pages(code, sample, client):
    english = english_strings(code)
    assert len(english) > 1500
    leaks: dict[str, set[str]] = {}
    for username, paths in main_pages().items():
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
