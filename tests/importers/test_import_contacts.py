"""The member import's contact column: each contact is invited to be the organisation's
editor, where the importer may invite; the summary says how many."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from clusterbroker.importers.organisations import import_organisations
from clusterbroker.importers.tabular import read_table
from clusterbroker.invitations import services
from clusterbroker.invitations.models import Invitation
from clusterbroker.registry import permissions
from clusterbroker.registry.models import Organisation, Position

from ..factories import MembershipFactory, OrganisationFactory, PositionFactory

pytestmark = pytest.mark.django_db


def table(text: str):
    return read_table("members.csv", text.encode("utf-8"))


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    mail.outbox = []

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


def test_contacts_of_new_organisations_are_invited_by_the_importer(world, sent):
    csv = (
        "name,country,contact_email,contact_name\n"
        "Alpha Robotics,FR,ann@alpha.example,Ann Able\n"
        "Beta Lab,DE,,\n"
    )
    with sent():
        report = import_organisations(
            table(csv), user=world.cluster_manager, base_url="https://cb.example.eu"
        )
    assert report.ok, report.errors
    assert (report.created, report.invitations) == (2, 1)
    invitation = Invitation.objects.get()
    alpha = Organisation.objects.get(name="Alpha Robotics")
    assert (invitation.email, invitation.name, invitation.organisation) == (
        "ann@alpha.example",
        "Ann Able",
        alpha,
    )
    assert invitation.invited_by == world.cluster_manager and invitation.for_new_organisation
    [message] = mail.outbox
    assert "https://cb.example.eu/invitations/accept/" in message.body
    # The contact accepts and becomes the new organisation's first editor.
    token = message.body.split("/invitations/accept/")[1].split("/")[0]
    result = services.accept(token, new_account=services.NewAccount("Ann", "long passphrase 4242"))
    assert permissions.own_organisation_ids(result.user) == {alpha.pk}


def test_an_import_invitation_for_a_new_organisation_lapses_once_it_has_editors(world):
    import_organisations(
        table("name,country,contact_email\nAlpha Robotics,FR,ann@alpha.example\n"),
        user=world.cluster_manager,
    )
    invitation = Invitation.objects.get()
    PositionFactory(organisation=invitation.organisation, role=Position.Role.EDITOR)
    raw = invitation.new_token()
    invitation.save()
    with pytest.raises(services.InvitationUnusable):
        services.accept(raw, user=world.outsider)


def test_a_contact_for_an_organisation_the_importer_may_not_invite_to_is_a_row_error(world):
    member = OrganisationFactory(name="Member With Staff", country="FR")
    MembershipFactory(organisation=member, cluster=world.cluster)
    PositionFactory(organisation=member, role=Position.Role.EDITOR)
    csv = "name,country,city,contact_email\nMember With Staff,FR,Lyon,boss@example.org\n"
    report = import_organisations(table(csv), user=world.cluster_manager)
    assert [(e.row, e.column) for e in report.errors] == [(2, "contact_email")]
    assert "its own editors" in report.errors[0].reason
    assert not Invitation.objects.exists()
    member.refresh_from_db()
    assert member.city == ""  # all or nothing


def test_a_bad_contact_address_is_a_row_error_and_nothing_is_written(world):
    csv = "name,country,contact_email\nAlpha Robotics,FR,not-an-address\n"
    report = import_organisations(table(csv), user=world.cluster_manager)
    assert [(e.row, e.column) for e in report.errors] == [(2, "contact_email")]
    assert not Organisation.objects.filter(name="Alpha Robotics").exists()
    assert not Invitation.objects.exists()


def test_a_contact_who_is_already_editor_is_left_alone(world):
    world.company_user.email = "carl@example.org"
    world.company_user.save()
    csv = "name,country,contact_email\nPrecision Parts,FR,carl@example.org\n"
    report = import_organisations(table(csv), user=world.admin)
    assert report.ok, report.errors
    assert (report.updated, report.invitations) == (1, 0)


def test_the_page_and_the_command_report_the_invitations(world, tmp_path, sent):
    csv = "name,country,contact_email\nAlpha Robotics,FR,ann@alpha.example\n"
    client = world.client(world.cluster_manager)
    with sent():
        response = client.post(
            "/import/organisations/",
            {"file": SimpleUploadedFile("members.csv", csv.encode())},
            follow=True,
        )
    assert b"1 contacts invited to be editors" in response.content
    assert len(mail.outbox) == 1
    path = tmp_path / "more.csv"
    path.write_text("name,country,contact_email\nGamma Tools,IT,gus@gamma.example\n")
    out = io.StringIO()
    call_command("import_data", "organisations", str(path), stdout=out)
    assert "1 contacts invited" in out.getvalue()
    assert Invitation.objects.get(email="gus@gamma.example").by_platform
