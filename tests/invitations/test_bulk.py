"""Many invitations from a CSV or XLSX file: every problem with its row and column, and
nobody invited unless there is none."""

import io

import pytest
from django.core import mail
from openpyxl import Workbook

from clusterbroker.importers.tabular import read_table
from clusterbroker.invitations import services
from clusterbroker.invitations.models import Invitation

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def table(text: str, name: str = "people.csv"):
    return read_table(name, text.encode("utf-8"))


def test_a_valid_file_invites_everyone_by_identifier_or_name(world, sent):
    csv = (
        "name,email,organisation,role\n"
        "Ann Able,ann@example.org,precision-parts,editor\n"
        "Bob Baker,bob@example.org,Mecha Cluster,manager\n"
        "Cy Clerk,cy@example.org,cluster-member-ltd,\n"
    )
    with sent():
        report = services.invite_many(world.admin, table(csv))
    assert report.ok, report.errors
    assert (report.rows, report.sent, report.resent) == (3, 3, 0)
    assert sorted(Invitation.objects.values_list("email", "organisation__slug", "role")) == [
        ("ann@example.org", "precision-parts", "editor"),
        ("bob@example.org", "mecha-cluster", "manager"),
        ("cy@example.org", "cluster-member-ltd", "editor"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.org",
        "bob@example.org",
        "cy@example.org",
    ]


def test_every_problem_is_listed_and_nobody_is_invited(world, sent):
    OrganisationFactory(name="Twin", slug="twin-fr", country="FR")
    OrganisationFactory(name="Twin", slug="twin-de", country="DE")
    csv = (
        "name,email,organisation,role\n"
        "Ann,ann@example.org,precision-parts,editor\n"  # fine
        "Bob,not-an-address,precision-parts,\n"  # row 3: e-mail
        "Cy,cy@example.org,nowhere-inc,\n"  # row 4: unknown organisation
        "Di,di@example.org,far-away,\n"  # row 5: not the importer's
        "Ed,ed@example.org,precision-parts,boss\n"  # row 6: role
        "Ann again,ANN@example.org,precision-parts,\n"  # row 7: same as row 2
        "Fay,fay@example.org,Twin,\n"  # row 8: ambiguous name
        "Gus,gus@example.org,precision-parts,manager\n"  # row 9: no managers in a company
    )
    with sent():
        report = services.invite_many(world.company_user, table(csv))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "email"),
        (4, "organisation"),
        (5, "organisation"),
        (6, "role"),
        (7, "email"),
        (8, "organisation"),
        (9, "organisation"),
    ]
    reasons = {e.row: e.reason for e in report.errors}
    assert "nowhere-inc" in reasons[4]
    assert "Far Away GmbH" in reasons[5]
    assert "row 2" in reasons[7]
    assert "twin-fr" in reasons[8] and "twin-de" in reasons[8]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_missing_and_unknown_columns_are_named(world):
    report = services.invite_many(world.admin, table("name,mail_address,company\nA,a@x.org,y\n"))
    assert {(e.row, e.column) for e in report.errors} >= {(1, "email"), (1, "organisation")}


def test_an_address_already_editor_is_a_row_error(world):
    world.company_user.email = "carl@example.org"
    world.company_user.save()
    report = services.invite_many(
        world.admin, table("email,organisation\ncarl@example.org,precision-parts\n")
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "email")]
    assert "already an editor" in report.errors[0].reason


def test_an_xlsx_file_works_and_a_pending_invitation_is_resent(world):
    services.invite(world.admin, "ann@example.org", "", world.member_company)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "E-mail", "Organisation"])
    sheet.append(["Ann Able", "ann@example.org", "precision-parts"])
    sheet.append(["Bob Baker", "bob@example.org", "Far Away GmbH"])
    out = io.BytesIO()
    workbook.save(out)
    report = services.invite_many(world.admin, read_table("people.xlsx", out.getvalue()))
    assert report.ok, report.errors
    assert (report.sent, report.resent) == (1, 1)
    assert Invitation.objects.count() == 2
