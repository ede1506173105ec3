"""Personal data: a person's export holds everything about them; erasure removes what is
personal and keeps the rest."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from clusterbroker.events.models import Participant
from clusterbroker.ops.personal_data import erase_person, export_person
from clusterbroker.registry.models import ApiToken, PartnershipRole, Person, Position

from ..events.factories import ParticipantFactory
from ..factories import (
    OrganisationFactory,
    PartnershipRoleFactory,
    PersonFactory,
    PositionFactory,
    UserFactory,
)
from ..invitations.factories import make_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = PersonFactory(
        first_name="Marta",
        last_name="Kowalska",
        email="marta.kowalska@example.org",
        phone="+48 22 123 45 67",
        user=UserFactory(username="mkowalska", email="marta@example.org", first_name="Marta"),
    )
    PositionFactory(person=person, organisation=OrganisationFactory(name="Kraków Robotics"))
    PartnershipRoleFactory(person=person, partnership__name="Silesian Motors")
    ParticipantFactory(
        user=person.user, contact_name="Marta Kowalska", organisation__name="Kraków Robotics 2"
    )
    ApiToken.issue(person.user, "laptop")
    person.phone = "+48 22 999 99 99"  # a change: the history holds the old number
    person.save()
    return person


def test_export_holds_the_person_and_everything_pointing_at_them(person):
    someone_else = PositionFactory(organisation__name="Not Hers Ltd")
    data = export_person(person)
    json.dumps(data)  # JSON as it is
    assert data["person"]["email"] == "marta.kowalska@example.org"
    assert data["user"]["username"] == "mkowalska"
    assert "password" not in json.dumps(data["user"])
    records = data["records"]
    assert [r["label"] for r in records["registry.position.person"]] == [
        str(person.positions.get())
    ]
    assert records["registry.partnershiprole.person"][0]["fields"]["partnership"]
    assert records["events.participant.user"][0]["fields"]["contact_name"] == "Marta Kowalska"
    assert records["registry.apitoken.user"][0]["fields"]["name"] == "laptop"
    assert str(someone_else) not in json.dumps(data)
    history = next(iter(data["history"].values()))
    assert {h["phone"] for h in history} == {"+48 22 123 45 67", "+48 22 999 99 99"}


def test_erase_removes_personal_fields_and_keeps_the_records(person):
    user_id = person.user_id
    erase_person(person)
    person.refresh_from_db()
    assert (person.email, person.phone) == ("", "")
    assert "Marta" not in str(person) and "Kowalska" not in str(person)
    user = get_user_model().objects.get(pk=user_id)
    assert user.username == f"erased-{user_id}" and not user.is_active
    assert not user.has_usable_password() and user.email == "" and user.first_name == ""
    assert not ApiToken.objects.filter(user=user).exists()
    # Not personal: kept, pointing at the anonymous person and account.
    assert Position.objects.filter(person=person).count() == 1
    assert PartnershipRole.objects.filter(person=person).count() == 1
    participant = Participant.objects.get(user=user)
    assert participant.contact_name == ""
    # The history is kept, anonymised.
    text = json.dumps(export_person(person), ensure_ascii=False).lower()
    for secret in ("kowalska", "marta", "+48 22", "mkowalska"):
        assert secret not in text
    assert person.history.count() >= 2
    assert not Person.history.filter(phone__startswith="+48").exists()
    assert not Participant.history.filter(contact_name__contains="Kowalska").exists()


def test_commands_export_and_erase(person, capsys, tmp_path):
    call_command("person-export", str(person.pk))
    assert json.loads(capsys.readouterr().out)["person"]["last_name"] == "Kowalska"
    call_command("person-erase", str(person.pk), "--yes")
    assert "erased" in capsys.readouterr().out
    out = tmp_path / "p.json"
    call_command("person-export", str(person.pk), "--output", str(out))
    assert json.loads(out.read_text())["person"]["email"] == ""


def test_unknown_person_is_a_clear_error():
    with pytest.raises(CommandError, match="No person with id “999”"):
        call_command("person-export", "999")
    with pytest.raises(CommandError, match="No person with id “x”"):
        call_command("person-erase", "x", "--yes")


def _admin_client(client, superuser: bool = True):
    user = UserFactory(username="staff", is_staff=True, is_superuser=superuser)
    client.force_login(user)
    return client


def test_admin_export_action(client, person):
    response = _admin_client(client).post(
        "/admin/registry/person/",
        {"action": "export_personal_data", ACTION_CHECKBOX_NAME: [person.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["person"]["email"] == "marta.kowalska@example.org"


def test_admin_erase_action_asks_then_erases(client, person):
    admin = _admin_client(client)
    asked = admin.post(
        "/admin/registry/person/",
        {"action": "erase_personal_data", ACTION_CHECKBOX_NAME: [person.pk]},
    )
    assert asked.status_code == 200 and b"cannot be undone" in asked.content
    person.refresh_from_db()
    assert person.email  # nothing erased before confirming
    admin.post(
        "/admin/registry/person/",
        {"action": "erase_personal_data", ACTION_CHECKBOX_NAME: [person.pk], "confirm": "yes"},
    )
    person.refresh_from_db()
    assert person.email == "" and person.last_name == f"person {person.pk}"


def test_admin_actions_are_for_platform_admins_only(client, person):
    staff = _admin_client(client, superuser=False)
    from django.contrib.auth.models import Permission

    staff_user = get_user_model().objects.get(username="staff")
    staff_user.user_permissions.set(Permission.objects.filter(codename__endswith="_person"))
    response = staff.post(
        "/admin/registry/person/",
        {"action": "export_personal_data", ACTION_CHECKBOX_NAME: [person.pk]},
        follow=True,
    )
    assert response["Content-Type"].startswith("text/html")  # the list again, no export
    assert b"Only platform admins" in response.content
    staff.post(
        "/admin/registry/person/",
        {"action": "erase_personal_data", ACTION_CHECKBOX_NAME: [person.pk], "confirm": "yes"},
    )
    person.refresh_from_db()
    assert person.email == "marta.kowalska@example.org"


def test_erasure_removes_the_log_in_the_notices_and_the_mails_to_the_person(person):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from clusterbroker.notifications.models import Notification, OutgoingEmail
    from clusterbroker.notifications.service import notify

    user = person.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "S3"})
    notify([user, "marta.kowalska@example.org"], "invitation", title="Welcome, Marta")
    sent, _ = make_invitation(email="colleague@example.org", name="A colleague", inviter=user)
    received, _ = make_invitation(
        email="marta.kowalska@example.org", name="Marta Kowalska", inviter=UserFactory()
    )
    received.accepted_by = user
    received.save()
    assert OutgoingEmail.objects.filter(to_address="marta.kowalska@example.org").exists()

    exported = json.dumps(export_person(person))
    assert '"S3"' not in exported  # the authenticator's secret is withheld from the export

    erase_person(person)

    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not OutgoingEmail.objects.filter(to_address__icontains="marta").exists()
    received.refresh_from_db()
    sent.refresh_from_db()
    assert (received.email, received.name) == ("", "")
    # What the person sent to someone else is that other person's record: kept.
    assert (sent.email, sent.name) == ("colleague@example.org", "A colleague")
