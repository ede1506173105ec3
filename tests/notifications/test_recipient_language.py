"""Each person is written to in their own language: the notice in the application and its
e-mail, whoever acted and whatever language they used."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from clusterbroker.accounts.services import update_preferences
from clusterbroker.invitations import services as invitations
from clusterbroker.notifications.models import Notification
from clusterbroker.notifications.service import notify

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french_spoken(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    mail.outbox = []


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the block's commit callbacks, where e-mails leave the outbox for the mailbox."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def in_french(msgid: str, code: str = "fr", **values) -> str:
    with translation.override(code):
        text = _(msgid)
    assert text != msgid, f"no French for {msgid!r}: compile the catalogues"
    return text % values if values else text


def test_one_notice_two_languages(sent):
    french = UserFactory(email="claire@example.org")
    english = UserFactory(email="ed@example.org")
    update_preferences(french, language="fr")

    def compose() -> tuple[str, str]:
        return _("Survey open: %(title)s") % {"title": "DIA"}, _("Hello,")

    with translation.override("en"), sent():  # the caller speaks English
        notify([french, english], "survey_opened", compose=compose)
    notices = {n.recipient_id: n for n in Notification.objects.all()}
    assert notices[french.pk].title == in_french("Survey open: %(title)s", title="DIA")
    assert notices[french.pk].body == in_french("Hello,")
    assert notices[english.pk].title == "Survey open: DIA"
    mails = {m.to[0]: m for m in mail.outbox}
    assert mails["claire@example.org"].subject.endswith(
        in_french("Survey open: %(title)s", title="DIA")
    )
    assert in_french("Hello,") in mails["claire@example.org"].body
    assert mails["ed@example.org"].subject.endswith("Survey open: DIA")


@pytest.mark.parametrize("code", ["fr", "de"])
def test_a_join_request_reaches_an_editor_in_their_language(world, sent, code):
    editor = world.company_user
    editor.email = "carl@example.org"
    editor.save()
    update_preferences(editor, language=code)
    newcomer = UserFactory(username="nina", email="nina@example.org", first_name="Nina")
    with translation.override("en"), sent():
        invitations.ask_to_join(newcomer, world.member_company)
    notice = Notification.objects.get(kind="join_request")
    expected = in_french(
        "%(who)s asks to become an editor of %(organisation)s",
        code,
        who=notice.title.split(" ")[0],
        organisation=world.member_company.name,
    )
    assert notice.title == expected
    assert mail.outbox[0].subject.endswith(expected)
    # The e-mail around the text is in that language too (its footer).
    assert in_french("No more e-mails of this kind:", code) in mail.outbox[0].body
