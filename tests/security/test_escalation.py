"""The escalation-path suite: every operation of the API and every page that creates or changes
a relation is played by an attacker with an ordinary account against a victim organisation,
which must lose nothing before it consents. The harness and the API scenarios (`RULES`) are
in tests/security/escalation.py; the page scenarios (`PAGE_RULES`, by URL name) are here.

The operations are read from the OpenAPI schema: a new relation-creating operation without a
rule fails here, as does a page that is neither in `PAGE_RULES` nor in `NOT_RELATION_PAGES`,
and the table of docs/permissions.md must list the same operations as `RULES`."""

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver

from clusterbroker.brokering import embeddings
from clusterbroker.brokering.models import Introduction
from clusterbroker.community.models import Offer as CommunityOffer
from clusterbroker.community.models import Status as ItemStatus
from clusterbroker.events.models import MeetingRequest, Participant
from clusterbroker.invitations.models import Invitation, JoinRequest
from clusterbroker.notifications.models import OutgoingEmail
from clusterbroker.plans.models import RoadmapVersion
from clusterbroker.registry.models import (
    Membership,
    Organisation,
    OrganisationIdentifier,
    Position,
    RelationRequest,
)

from ..community.factories import OfferFactory
from ..events.factories import EventFactory, MeetingRequestFactory, SessionFactory
from ..factories import (
    ClusterFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
    UserFactory,
)
from ..plans.factories import ActionFactory

# The scenarios' asserts are in a helper module: have pytest explain them as in a test.
pytest.register_assert_rewrite("tests.security.escalation")

from .escalation import (  # noqa: E402
    RULES,
    Attack,
    accept,
    api_schema,
    assert_gains_nothing,
    assert_link_only_to,
    assert_unchanged,
    edits_organisation,
    expect,
    invitation_token,
    invite,
    invitee,
    member_without_editor,
    opens_agenda,
    relation_operations,
    relation_operations_with_reasons,
    rights_of,
    rule_text,
    sees_requests_received,
    victim_cluster,
    victim_event,
    victim_state,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """Profiles are saved with the model-free encoder, as in the brokering tests; files go
    to a temporary data directory."""
    settings.DATA_DIR = tmp_path
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    yield
    embeddings.use_encoder(previous)


# ------------------------------------------------------------------ the pages


def page_propose(world, client) -> None:
    """Proposing from an organisation's page makes a pending request to the side the user does not
    act for, and grants nothing; a user who acts for neither side creates nothing."""
    att, manager = Attack(world, client), world.cluster_manager
    v = att.v
    before = victim_state(v)
    url = f"/organisations/{v.organisation.slug}/propose/"
    membership = {
        "kind": "membership",
        "organisation": v.organisation.slug,
        "counterpart": world.cluster.slug,
    }
    expect(att.page(manager, "post", url, membership), 302, what="proposing a membership")
    request = RelationRequest.objects.get(
        organisation=v.organisation, cluster=world.cluster, status="pending"
    )
    assert request.awaiting == RelationRequest.Side.ORGANISATION
    seat = {
        "kind": "partnership_member",
        "organisation": v.organisation.slug,
        "counterpart": world.partnership.slug,
    }
    expect(att.page(world.partnership_manager, "post", url, seat), 302, what="proposing a seat")
    assert_gains_nothing(att, manager, before, "a membership proposed on the page")
    assert_gains_nothing(att, world.partnership_manager, before, "a seat proposed on the page")
    count = RelationRequest.objects.count()
    stranger = {
        "kind": "membership",
        "organisation": v.organisation.slug,
        "counterpart": ClusterFactory(slug="lonely-cluster").slug,
    }
    expect(att.page(world.company_user, "post", url, stranger), 302, what="a stranger proposes")
    assert RelationRequest.objects.count() == count
    expect(
        att.page(v.editor, "post", f"/requests/{request.pk}/accept/"),
        302,
        what="the victim accepts on its requests page",
    )
    assert edits_organisation(att, manager)


def page_request_answer(world, client) -> None:
    """On the requests page only the awaited side accepts: the proposer's acceptance changes
    nothing, a stranger gets a 404."""
    att, manager = Attack(world, client), world.cluster_manager
    v = att.v
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/memberships/",
            {"organisation": v.organisation.slug, "cluster": world.cluster.slug},
        ),
        202,
        what="a membership proposal",
    )
    before = victim_state(v)
    url = f"/requests/{proposal['id']}/accept/"
    att.page(manager, "post", url)
    expect(att.page(world.company_user, "post", url), 404, what="a stranger accepts")
    assert RelationRequest.objects.get(pk=proposal["id"]).status == "pending"
    assert_gains_nothing(att, manager, before, "accepting one's own proposal")
    expect(att.page(v.editor, "post", url), 302, what="the victim accepts")
    assert RelationRequest.objects.get(pk=proposal["id"]).status == "accepted"
    assert edits_organisation(att, manager)


def page_introduce(world, client) -> None:
    """An introduction is asked from a need's page only in the name of an organisation the user acts
    for (403 otherwise, nothing recorded)."""
    att, asker = Attack(world, client), world.other_company_user
    v = att.v
    before = victim_state(v)
    url = f"/brokering/needs/{v.need.ref}/introduce/"
    count = Introduction.objects.count()
    # By its id the need is missing to whoever does not know its owner (nothing recorded).
    by_id = f"/brokering/needs/{v.need.pk}/introduce/"
    data = {"requester": world.other_company.pk}
    expect(att.page(asker, "post", by_id, data), 404, what="an introduction asked by the id")
    for user, requester in ((asker, v.ally), (world.cluster_manager, world.cluster_member)):
        expect(
            att.page(user, "post", url, {"requester": requester.pk, "message": "In their name"}),
            403,
            what=f"an introduction asked in the name of {requester.name}",
        )
    assert Introduction.objects.count() == count
    expect(
        att.page(asker, "post", url, {"requester": world.other_company.pk, "message": "Hello"}),
        302,
        what="an introduction asked for one's own organisation",
    )
    assert Introduction.objects.filter(need=v.need, requester=world.other_company).exists()
    assert_gains_nothing(att, asker, before, "asking an introduction on the page")


def page_introduction_answer(world, client) -> None:
    """An introduction is answered from the profile page only by a keeper of the need's profile who
    does not act for the requester (403 otherwise)."""
    att = Attack(world, client)
    v = att.v
    url = f"/brokering/introductions/{v.introduction.pk}/accept/"
    for user in (v.ally_user, world.cluster_manager, world.company_user):
        expect(att.page(user, "post", url), 403, what="someone other than the owner accepts")
    v.introduction.refresh_from_db()
    assert v.introduction.status == Introduction.Status.PENDING
    expect(att.page(v.editor, "post", url), 302, what="the need's owner accepts")
    v.introduction.refresh_from_db()
    assert v.introduction.status == Introduction.Status.ACCEPTED


def page_assign(world, client) -> None:
    """Assigning on the application's page follows the conflict rule: the submitter is not in the
    list (422, as anyone else not in it) and nothing is assigned; a login typed is no way around
    the list; only the call's managers assign."""
    att = Attack(world, client)
    v = att.v
    url = f"/community/applications/{v.application.pk}/"
    response = att.page(v.call_manager, "post", url, {"action": "assign", "evaluator": v.editor.pk})
    expect(response, 422, what="the submitter assigned on the page")
    # Someone the call's manager knows: a person of an organisation the manager edits.
    lab = OrganisationFactory(name="Page Evaluator Lab")
    manager = PersonFactory(user=v.call_manager, first_name="Cal", last_name="Manager")
    PositionFactory(person=manager, organisation=lab, role=Position.Role.EDITOR)
    person = PersonFactory(
        user=UserFactory(username="page-evaluator"), first_name="Pa", last_name="Ge"
    )
    PositionFactory(person=person, organisation=lab, role=Position.Role.CONTACT)
    independent = person.user
    response = att.page(
        v.call_manager, "post", url, {"action": "assign", "username": independent.username}
    )
    expect(response, 422, what="a login typed instead of a choice from the list")
    response = att.page(v.editor, "post", url, {"action": "assign", "evaluator": independent.pk})
    assert response.status_code in (403, 404), "the applicant picked its evaluator"
    assert not v.application.assignments.exists()
    expect(
        att.page(v.call_manager, "post", url, {"action": "assign", "evaluator": independent.pk}),
        302,
        what="an independent evaluator assigned on the page",
    )
    assert v.application.assignments.filter(evaluator=independent).exists()


def _offer_form(organisation: Organisation, title: str) -> dict:
    return {
        "title": title,
        "kind": "service",
        "description": "A service.",
        "organisation": organisation.pk,
        "price_model": "on_request",
    }


def page_offer_create(world, client) -> None:
    """An offer's provider is an organisation its author acts for: naming any other is refused (the
    provider field named) and nothing is saved."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before = victim_state(v)
    response = att.page(
        company, "post", "/community/offers/new/", _offer_form(v.organisation, "Victim's offer")
    )
    assert response.status_code in (200, 400), "an offer named a stranger its provider"
    assert "organisation" in response.context["form"].errors, "the provider field is not named"
    assert_gains_nothing(att, company, before, "naming a provider")
    expect(
        att.page(
            company,
            "post",
            "/community/offers/new/",
            _offer_form(world.member_company, "Our offer"),
        ),
        302,
        what="an offer of one's own organisation",
    )
    assert CommunityOffer.objects.filter(organisation=world.member_company).exists()


def page_offer_edit(world, client) -> None:
    """Editing one's own offer cannot move it to a provider the author does not act for."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    offer = OfferFactory(author=company, organisation=world.member_company, status=ItemStatus.DRAFT)
    before = victim_state(v)
    response = att.page(
        company,
        "post",
        f"/community/offers/{offer.pk}/edit/",
        _offer_form(v.organisation, offer.title),
    )
    assert response.status_code != 302, "an offer was moved to a stranger provider"
    offer.refresh_from_db()
    assert offer.organisation_id == world.member_company.pk
    assert_gains_nothing(att, company, before, "moving an offer")


def page_apply(world, client) -> None:
    """Applying on a call's page is possible only for an organisation the user acts for or keeps
    (404 otherwise, no application)."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before = victim_state(v)
    url = f"/community/awards/{v.call.slug}/"
    form = {"organisation": v.organisation.pk, "title": "Hijacked", "summary": "Not ours."}
    for user in (company, world.cluster_manager, world.partnership_manager):
        expect(att.page(user, "post", url, form), 403, 404, what="applying in the victim's name")
    assert_gains_nothing(att, company, before, "applying on the page")
    expect(
        att.page(v.editor, "post", url, form | {"title": "Our own"}),
        302,
        what="the victim applies",
    )


def page_register(world, client) -> None:
    """An event registration names only an organisation the user acts for or keeps (refused
    otherwise, no registration)."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    event = EventFactory(slug="open-fair", partnership=world.other_partnership)
    session = SessionFactory(event=event)
    before = victim_state(v)
    form = {"organisation": v.organisation.pk, "offers": "Everything", "sessions": [session.pk]}
    response = att.page(company, "post", f"/events/{event.slug}/register/", form)
    assert response.status_code in (400, 403), "a registration in the victim's name"
    assert_gains_nothing(att, company, before, "registering the victim")
    expect(
        att.page(
            company,
            "post",
            f"/events/{event.slug}/register/",
            form | {"organisation": world.member_company.pk},
        ),
        302,
        what="registering one's own organisation",
    )


def page_participant_import(world, client) -> None:
    """An organiser's import registers the victim at the organiser's own event but hands the
    registration to nobody: the address in the file (the organiser's own) does not act for the
    victim, and the organiser gains no right over it. Someone who does not organise the event
    cannot import at all (403, nothing registered)."""
    att, organiser = Attack(world, client), world.partnership_manager
    v = att.v
    organiser.email = "organiser@attacker.example"
    organiser.save(update_fields=["email"])
    event = EventFactory(slug="import-fair", partnership=world.partnership)
    SessionFactory(event=event)
    before = victim_state(v)
    url = f"/events/{event.slug}/organise/participants/import/"
    rows = (
        f"organisation,contact_name,email\n{v.organisation.slug},Ann Attacker,{organiser.email}\n"
    )

    def upload():
        return {"file": SimpleUploadedFile("people.csv", rows.encode(), "text/csv")}

    stranger = world.company_user
    expect(att.page(stranger, "post", url, upload()), 403, what="a stranger imports")
    assert not Participant.objects.filter(event=event).exists()
    expect(att.page(organiser, "post", url, upload()), 200, what="the file checked")
    expect(att.page(organiser, "post", url, {"confirm": "1"}), 302, what="the file imported")
    registration = Participant.objects.get(event=event, organisation=v.organisation)
    assert registration.user_id is None, "the importer's address acts for the victim"
    # The registration itself is the one change allowed: it waits for the victim's people.
    after = victim_state(v)
    assert after.pop("event registrations") != before.pop("event registrations")
    assert after == before, "importing the victim into one's event changed its records"
    held = rights_of(att, organiser)
    assert not held, f"importing the victim: the organiser gained {', '.join(held)}"


def page_identifiers(world, client) -> None:
    """The codes of an organisation are changed only by those who edit it (403 otherwise); a
    code the victim holds cannot be taken by another organisation (refused, both unchanged)."""
    att = Attack(world, client)
    v = att.v
    OrganisationIdentifier.objects.create(
        organisation=v.organisation, scheme="pic", value="999111222"
    )
    before = victim_state(v)
    codes = {"pic": "999333444", "vat": "IT12345678901", "domain": "attacker.example"}
    url = f"/organisations/{v.organisation.slug}/identifiers/"
    for user in (world.cluster_manager, world.company_user, v.ally_user):
        expect(att.page(user, "post", url, codes), 403, what="changing the victim's codes")
    own = f"/organisations/{world.member_company.slug}/identifiers/"
    response = att.page(world.company_user, "post", own, {"pic": "999 111 222"})
    expect(response, 200, what="taking the victim's PIC")
    assert response.context["form"].errors["pic"]
    victim_codes = OrganisationIdentifier.objects.filter(organisation=v.organisation)
    assert list(victim_codes.values_list("scheme", "value")) == [("pic", "999111222")]
    assert not world.member_company.identifiers.exists()
    assert_gains_nothing(att, world.company_user, before, "taking the victim's codes")


def page_duplicate_review(world, client) -> None:
    """A pair proposed as duplicates is merged only by an admin or by a manager whose reach
    holds one of the two while nobody else answers for the other: the victim (it has its own
    editor) cannot be merged into an attacker's organisation, nor a merge undone by another."""
    from clusterbroker.registry.dedup.merge import merge
    from clusterbroker.registry.models import DuplicateProposal

    att = Attack(world, client)
    v = att.v
    pair = sorted((v.organisation, world.cluster_member), key=lambda o: o.pk)
    proposal = DuplicateProposal.objects.create(
        a=pair[0], b=pair[1], a_name=pair[0].name, b_name=pair[1].name, score=0.99
    )
    before = victim_state(v)
    url = f"/duplicates/{proposal.pk}/"
    for user in (world.company_user, v.ally_user, world.cluster_manager, world.partnership_manager):
        expect(att.page(user, "get", url), 403, what="opening the review of the victim's pair")
        for keep in ("a", "b"):
            expect(
                att.page(user, "post", url, {"action": "merge", "keep": keep}),
                403,
                what="merging the victim with another organisation",
            )
        expect(att.page(user, "post", url, {"action": "not_same"}), 403, what="deciding the pair")
    expect(att.page(world.company_user, "get", "/duplicates/"), 403, what="the duplicates list")
    proposal.refresh_from_db()
    assert proposal.status == DuplicateProposal.Status.OPEN
    record = merge(OrganisationFactory(name="Kept Twin"), OrganisationFactory(name="Gone Twin"))
    for user in (world.company_user, world.cluster_manager):
        expect(
            att.page(user, "post", f"/duplicates/merges/{record.pk}/undo/"),
            403,
            what="undoing an admin's merge",
        )
    record.refresh_from_db()
    assert record.undone_at is None
    for user in (world.company_user, world.cluster_manager):
        assert_gains_nothing(att, user, before, "reviewing the victim's duplicate pair")


def page_meeting_request(world, client) -> None:
    """A meeting request sent from a participant's page is a proposal: it opens neither the other
    participant's agenda nor the requests it received."""
    att, company = Attack(world, client), world.company_user
    v, ev = att.v, victim_event(att)
    before = victim_state(v)
    expect(
        att.page(
            company,
            "post",
            f"/events/{ev.event.slug}/participants/{ev.v.pk}/",
            {"priority": 1, "message": "A asks the victim"},
        ),
        302,
        what="a meeting request sent on the page",
    )
    request = MeetingRequest.objects.get(requester=ev.a, requested=ev.v)
    assert request.status == MeetingRequest.Status.PENDING
    assert not opens_agenda(att, company, ev.v)
    assert not sees_requests_received(att, company, ev)
    assert_gains_nothing(att, company, before, "a meeting request on the page")


def page_request_action(world, client) -> None:
    """On the event's requests page the requester cannot accept its own request and nobody but the
    requested participant answers it (403)."""
    att = Attack(world, client)
    v, ev = att.v, victim_event(att)
    request = MeetingRequestFactory(requester=ev.a, requested=ev.v, status="pending")
    url = f"/events/{ev.event.slug}/requests/{request.pk}"
    for user in (world.company_user, ev.t.user, world.partnership_manager):
        expect(att.page(user, "post", f"{url}/accept/"), 403, what="a stranger accepts")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.PENDING
    expect(att.page(v.editor, "post", f"{url}/accept/"), 302, what="the requested side accepts")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED


def page_questionnaire(world, client) -> None:
    """The brokering questionnaire opens only for an organisation one keeps (403 otherwise) and
    offers no other in its first step."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before = victim_state(v)
    for user in (company, world.partnership_manager, world.cluster_manager):
        expect(
            att.page(user, "get", f"/brokering/questionnaire/?organisation={v.organisation.slug}"),
            403,
            what="the questionnaire opened for the victim",
        )
    response = att.page(
        company,
        "post",
        "/brokering/questionnaire/who/",
        {"organisation": v.organisation.pk, "new_kind": "company"},
    )
    assert response.status_code != 302, "the questionnaire took the victim as its organisation"
    assert_gains_nothing(att, company, before, "the questionnaire")


def page_competence_add(world, client) -> None:
    """Competences are added on an organisation's page only by those who act for it or keep it (403
    otherwise)."""
    att = Attack(world, client)
    v = att.v
    term = TermFactory(code="ESC3", label="Escalation welding")
    before = victim_state(v)
    url = f"/organisations/{v.organisation.slug}/competences/"
    form = {"term": term.pk, "level": "active"}
    for user in (world.company_user, world.cluster_manager, world.partnership_manager):
        expect(att.page(user, "post", url, form), 403, what="a stranger adds a competence")
    assert_unchanged(att, before, "adding competences on the page")
    expect(att.page(v.editor, "post", url, form), 302, what="the victim adds a competence")


def page_partnership_edit(world, client) -> None:
    """The partnership's page names as coordinator only one of its accepted members."""
    att, manager = Attack(world, client), world.partnership_manager
    v = att.v
    before = victim_state(v)
    form = {"name": world.partnership.name, "kind": world.partnership.kind}
    response = att.page(
        manager,
        "post",
        f"/partnerships/{world.partnership.slug}/edit/",
        form | {"coordinator": v.organisation.pk},
    )
    assert response.status_code != 302, "a stranger was named coordinator on the page"
    assert_gains_nothing(att, manager, before, "naming a coordinator on the page")
    expect(
        att.page(
            manager,
            "post",
            f"/partnerships/{world.partnership.slug}/edit/",
            form | {"coordinator": world.member_company.pk},
        ),
        302,
        what="a member named coordinator on the page",
    )


def _action_form(**fields) -> dict:
    return {
        "title": "Action naming the victim",
        "phase": "preparation",
        "status": "planned",
        **fields,
    }


def _page_action(att: Attack, url: str) -> None:
    world, v = att.world, att.v
    manager = world.partnership_manager
    before = victim_state(v)
    for field, value in (
        ("lead", v.organisation.pk),
        ("contributors", [v.organisation.pk]),
        ("projects", [v.project.pk]),
    ):
        response = att.page(manager, "post", url, _action_form(**{field: value}))
        assert response.status_code != 302, f"the victim was named in “{field}”"
    assert_gains_nothing(att, manager, before, "naming the victim on the action page")
    expect(
        att.page(manager, "post", url, _action_form(lead=world.member_company.pk)),
        302,
        what="a member named lead",
    )


def page_action_create(world, client) -> None:
    """The action form takes as lead and contributors only accepted members of the partnership, and
    only their projects."""
    att = Attack(world, client)
    _page_action(att, f"/plans/{world.partnership.slug}/actions/new/")


def page_action_edit(world, client) -> None:
    """Changing an action on its page follows the same rule as creating one."""
    att = Attack(world, client)
    action = ActionFactory(partnership=world.partnership, title="Existing action")
    _page_action(att, f"/plans/{world.partnership.slug}/actions/{action.pk}/")


def page_roadmap(world, client) -> None:
    """A cluster's roadmap page takes answers only from those who act for the cluster or keep it
    (403 or 404 otherwise, no version written)."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)
    url = f"/plans/roadmaps/{vc.cluster.slug}/"
    form = {"answered_on": "2026-02-01", "q1": "Hijacked answer"}
    for user in (world.partnership_manager, world.cluster_manager, v.editor):
        expect(att.page(user, "post", url, form), 403, 404, what="a stranger answers the roadmap")
    assert not RoadmapVersion.objects.filter(cluster=vc.cluster).exists()
    assert_unchanged(att, before, "answering another's roadmap on the page")
    expect(att.page(vc.manager, "post", url, form), 302, what="the cluster answers")


def page_import(world, client) -> None:
    """An import row that matches an organisation the importer may not change is refused with its
    row, and the organisation stays as it was; a row's contact is invited to be the organisation's
    editor only where the importer may invite (not by a keeper of a member with an editor of its
    own: the row is refused, the contact column named, and nobody is invited)."""
    att, manager = Attack(world, client), world.cluster_manager
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)

    def imported(user, content: str):
        upload = SimpleUploadedFile("organisations.csv", content.encode(), "text/csv")
        return att.page(user, "post", "/import/organisations/", {"file": upload})

    for content in (
        "name,country,city,type\nVictim Robotics,IT,Taken,other\n",
        "slug,name,country\nvictim-robotics,Renamed Robotics,IT\n",
    ):
        expect(imported(manager, content), 400, what="an import row matching the victim")
    assert_gains_nothing(att, manager, before, "importing over the victim")
    invitations = Invitation.objects.count()
    response = imported(
        vc.manager,
        "slug,name,country,contact_email\n"
        "victim-robotics,Victim Robotics,IT,spy@attacker.example\n",
    )
    expect(response, 400, what="the victim's keeper imports a contact for it")
    assert [e.column for e in response.context["report"].errors] == ["contact_email"]
    assert Invitation.objects.count() == invitations
    assert_unchanged(att, before, "importing a contact for the victim")
    spinoff = member_without_editor(att, vc.cluster, "victim-spinoff")
    first = invitee("first")
    expect(
        imported(
            vc.manager,
            f"slug,name,country,contact_email\nvictim-spinoff,{spinoff.name},"
            f"{spinoff.country},{first.email}\n",
        ),
        302,
        what="the keeper imports the first editor of a member without one",
    )
    expect(
        att.page(first, "post", f"/invitations/accept/{invitation_token(first.email)}/"),
        302,
        what="the contact accepts",
    )
    assert edits_organisation(att, first, spinoff)


# ------------------------------------------------------------------ the pages: invitations


def _page_text(response) -> str:
    return response.content.decode("utf-8", "replace")


def page_invite(world, client) -> None:
    """The invitation form takes only organisations whose people the user takes in: naming the
    victim is refused (the organisation field named, nothing sent), a keeper of the victim
    included; the victim's own editor's invitation reaches the invited address only, and its
    person becomes an editor once they accept."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    before, count = victim_state(v), Invitation.objects.count()
    form = {"email": "spy@attacker.example", "organisation": v.organisation.slug, "role": "editor"}
    for user in (world.company_user, world.cluster_manager, vc.manager):
        response = att.page(user, "post", "/invitations/new/", form)
        expect(response, 400, what="an invitation to the victim on the page")
        assert "organisation" in response.context["form"].errors
    expect(
        att.page(world.outsider, "post", "/invitations/new/", form),
        403,
        what="a user with nobody to invite",
    )
    assert Invitation.objects.count() == count
    assert_gains_nothing(att, world.company_user, before, "inviting on the page")
    newcomer = invitee("newcomer")
    expect(
        att.page(v.editor, "post", "/invitations/new/", form | {"email": newcomer.email}),
        302,
        what="the victim's editor invites on the page",
    )
    token = invitation_token(newcomer.email)
    listing = att.page(v.editor, "get", "/invitations/?status=all")
    assert newcomer.email in _page_text(listing) and token not in _page_text(listing)
    assert_link_only_to(token, newcomer.email)
    assert not edits_organisation(att, newcomer)
    expect(att.page(newcomer, "post", f"/invitations/accept/{token}/"), 302, what="accepted")
    assert edits_organisation(att, newcomer)


def _invitations_file(*rows: str) -> SimpleUploadedFile:
    content = "name,email,organisation,role\n" + "".join(f"{row}\n" for row in rows)
    return SimpleUploadedFile("invitations.csv", content.encode(), "text/csv")


def page_invite_upload(world, client) -> None:
    """A file of invitations with a row naming an organisation the user may not invite to is
    refused with that row, and nobody is invited; the victim's own editor's file invites."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)
    invitations, emails = Invitation.objects.count(), OutgoingEmail.objects.count()
    for user, own in (
        (world.company_user, world.member_company),
        (world.cluster_manager, world.cluster_member),
        (vc.manager, vc.cluster),
    ):
        upload = _invitations_file(
            f"Friend,friend@attacker.example,{own.slug},editor",
            f"Spy,spy@attacker.example,{v.organisation.slug},editor",
        )
        response = att.page(user, "post", "/invitations/upload/", {"file": upload})
        expect(response, 400, what="a file inviting to the victim")
        report = response.context["report"]
        assert [(e.row, e.column) for e in report.errors] == [(3, "organisation")]
    assert Invitation.objects.count() == invitations, "a refused file invited somebody"
    assert OutgoingEmail.objects.count() == emails, "a refused file sent an e-mail"
    assert_gains_nothing(att, world.company_user, before, "a file of invitations")
    newcomer = invitee("newcomer")
    upload = _invitations_file(f"New Comer,{newcomer.email},{v.organisation.slug},editor")
    expect(
        att.page(v.editor, "post", "/invitations/upload/", {"file": upload}),
        302,
        what="the victim's editor invites from a file",
    )
    token = invitation_token(newcomer.email)
    assert_link_only_to(token, newcomer.email)
    expect(att.page(newcomer, "post", f"/invitations/accept/{token}/"), 302, what="accepted")
    assert edits_organisation(att, newcomer)


def _invited(att: Attack, address: str) -> tuple[int, str]:
    """The victim's editor invites `address`: the invitation's id and token."""
    sent = expect(
        invite(att, att.v.editor, att.v.organisation, address),
        201,
        what="the victim's editor invites",
    )
    return sent["id"], invitation_token(address)


def page_invitation_accept(world, client) -> None:
    """The invitation's page gives the role only to the person its link reached: its sender — a
    keeper that invited a member's first editor included — is refused and nothing is given; a used
    link is refused (410)."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    spinoff = member_without_editor(att, vc.cluster, "victim-spinoff")
    first = invitee("first")
    expect(
        invite(att, vc.manager, spinoff, first.email),
        201,
        what="the cluster's manager invites the first editor of its member",
    )
    expect(
        att.page(vc.manager, "post", f"/invitations/accept/{invitation_token(first.email)}/"),
        400,
        what="the keeper accepts its own invitation on the page",
    )
    assert not Position.objects.filter(organisation=spinoff).exists()
    newcomer = invitee("newcomer")
    pk, token = _invited(att, newcomer.email)
    before = victim_state(v)
    url = f"/invitations/accept/{token}/"
    response = att.page(v.editor, "post", url)
    expect(response, 400, what="the sender accepts on the page")
    assert Invitation.objects.get(pk=pk).status == Invitation.Status.PENDING
    expect(att.page(world.company_user, "get", f"/invitations/accept/{pk}/"), 404, what="by id")
    assert_unchanged(att, before, "the sender accepting")
    expect(att.page(newcomer, "post", url), 302, what="the invited person accepts")
    assert edits_organisation(att, newcomer)
    expect(att.page(world.company_user, "post", url), 410, what="a used link, again")
    assert not edits_organisation(att, world.company_user)


def page_invitation_resend(world, client) -> None:
    """An invitation is sent again from the list only by those who manage it (404 to anyone else);
    the new link goes to the invited address and the earlier one stops working."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    newcomer = invitee("newcomer")
    pk, old = _invited(att, newcomer.email)
    url = f"/invitations/{pk}/resend/"
    for user in (world.company_user, vc.manager, newcomer):
        expect(att.page(user, "post", url), 404, what="a stranger resends")
    assert invitation_token(newcomer.email) == old
    expect(att.page(v.editor, "post", url), 302, what="the sender resends")
    new = invitation_token(newcomer.email)
    assert new != old
    assert_link_only_to(new, newcomer.email)
    expect(att.page(newcomer, "post", f"/invitations/accept/{old}/"), 404, what="the old link")
    expect(att.page(newcomer, "post", f"/invitations/accept/{new}/"), 302, what="the new link")
    assert edits_organisation(att, newcomer)


def page_invitation_revoke(world, client) -> None:
    """An invitation is revoked from the list only by those who manage it (404 to anyone else, a
    keeper of the victim included); its link then gives nothing (410)."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    newcomer = invitee("newcomer")
    pk, token = _invited(att, newcomer.email)
    url = f"/invitations/{pk}/revoke/"
    for user in (world.company_user, vc.manager, newcomer):
        expect(att.page(user, "post", url), 404, what="a stranger revokes")
    assert Invitation.objects.get(pk=pk).status == Invitation.Status.PENDING
    expect(att.page(v.editor, "post", url), 302, what="the sender revokes")
    assert Invitation.objects.get(pk=pk).status == Invitation.Status.REVOKED
    expect(att.page(newcomer, "post", f"/invitations/accept/{token}/"), 410, what="revoked link")
    assert not edits_organisation(att, newcomer)


def page_join_ask(world, client) -> None:
    """Asking to join from the join page makes a pending request that grants nothing until the
    organisation's own editor accepts it."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before = victim_state(v)
    expect(
        att.page(
            company, "post", f"/invitations/join/ask/{v.organisation.slug}/", {"message": "Hi"}
        ),
        302,
        what="asking to join on the page",
    )
    request = JoinRequest.objects.get(user=company, organisation=v.organisation)
    assert request.status == JoinRequest.Status.PENDING
    assert_gains_nothing(att, company, before, "a join request on the page")
    expect(
        att.page(v.editor, "post", f"/invitations/join-requests/{request.pk}/accept/"),
        302,
        what="the victim's editor accepts",
    )
    assert edits_organisation(att, company)


def page_join_answer(world, client) -> None:
    """On the join requests page only the organisation's own editors answer: the requester's
    acceptance changes nothing, the keepers of the organisation and strangers get a 404."""
    att, company = Attack(world, client), world.company_user
    v, vc = att.v, victim_cluster(att)
    asked = expect(
        att.api(company, "post", "/api/join-requests/", {"organisation": v.organisation.slug}),
        201,
        what="a join request",
    )
    before = victim_state(v)
    url = f"/invitations/join-requests/{asked['id']}"
    att.page(company, "post", f"{url}/accept/")
    for user in (vc.manager, world.cluster_manager, world.other_company_user):
        for action in ("accept", "decline"):
            expect(att.page(user, "post", f"{url}/{action}/"), 404, what=f"a stranger {action}s")
    expect(att.page(v.editor, "post", f"{url}/withdraw/"), 302, what="the editor withdraws")
    assert JoinRequest.objects.get(pk=asked["id"]).status == JoinRequest.Status.PENDING
    assert_gains_nothing(att, company, before, "answering one's own join request")
    expect(att.page(v.editor, "post", f"{url}/accept/"), 302, what="the victim's editor accepts")
    assert JoinRequest.objects.get(pk=asked["id"]).status == JoinRequest.Status.ACCEPTED
    assert edits_organisation(att, company)


def _registration(name: str, **fields) -> dict:
    return {"name": name, "kind": "company", "country": "IT", "city": "Torino", **fields}


def page_join_register(world, client) -> None:
    """Registering one's organisation makes its creator its only editor and, if a cluster is
    chosen, proposes the membership: the cluster gains nothing over it, nor it over the cluster,
    until the cluster's managers accept; a name that looks like another organisation's of the same
    country is refused."""
    att, company = Attack(world, client), world.company_user
    v, vc = att.v, victim_cluster(att)
    before, count = victim_state(v), Organisation.objects.count()
    url = "/invitations/join/register/"
    for form in (
        _registration("Victim Robotics"),
        _registration("VÍCTIM ROBOTICS"),
        _registration("Newcomer Works", cluster=v.organisation.slug),
    ):
        expect(att.page(company, "post", url, form), 400, what=f"registering {form['name']}")
    assert Organisation.objects.count() == count
    expect(
        att.page(company, "post", url, _registration("Newcomer Works", cluster=vc.cluster.slug)),
        302,
        what="registering a new organisation that asks to join a cluster",
    )
    new = Organisation.objects.get(name="Newcomer Works")
    assert list(new.positions.values_list("person__user", "role")) == [(company.pk, "editor")]
    request = RelationRequest.objects.get(organisation=new, cluster=vc.cluster, status="pending")
    assert not Membership.objects.filter(organisation=new).exists()
    assert not edits_organisation(att, company, vc.cluster)
    assert not edits_organisation(att, vc.manager, new)
    assert_gains_nothing(att, company, before, "registering an organisation")
    accept(att, request.pk, user=vc.manager)
    assert edits_organisation(att, vc.manager, new)
    assert not edits_organisation(att, company, vc.cluster)


PAGE_RULES: dict[str, Callable] = {
    "registry:relation-propose": page_propose,
    "registry:relation-request-answer": page_request_answer,
    "registry:competence-add": page_competence_add,
    "registry:partnership-edit": page_partnership_edit,
    "brokering:introduce": page_introduce,
    "brokering:introduce-ref": page_introduce,
    "brokering:introduction-answer": page_introduction_answer,
    "brokering:questionnaire": page_questionnaire,
    "community:application": page_assign,
    "community:item-create": page_offer_create,
    "community:item-edit": page_offer_edit,
    "community:award-call": page_apply,
    "events:register": page_register,
    "events:participant": page_meeting_request,
    "events:request-action": page_request_action,
    "events:participant-import": page_participant_import,
    "registry:organisation-identifiers": page_identifiers,
    "registry:duplicate": page_duplicate_review,
    "registry:merge-undo": page_duplicate_review,
    "plans:action-create": page_action_create,
    "plans:action-edit": page_action_edit,
    "plans:roadmap": page_roadmap,
    "importers:organisations": page_import,
    "invitations:new": page_invite,
    "invitations:upload": page_invite_upload,
    "invitations:accept": page_invitation_accept,
    "invitations:resend": page_invitation_resend,
    "invitations:revoke": page_invitation_revoke,
    "invitations:join-ask": page_join_ask,
    "invitations:join-request-answer": page_join_answer,
    "invitations:join-register": page_join_register,
}

# Every other page, and why it creates or changes no relation between different owners.
NOT_RELATION_PAGES: dict[str, str] = {
    name: reason
    for reason, names in {
        "reads only": [
            "home",
            "registry:organisations",
            "registry:organisation",
            "registry:organisation-history",
            "registry:relation-requests",
            "registry:duplicates",
            "registry:partnerships",
            "registry:partnership",
            "registry:partnership-history",
            "registry:projects",
            "registry:project",
            "events:events",
            "events:event",
            "events:catalogue",
            "events:requests",
            "events:agenda",
            "events:agenda-ics",
            "events:history",
            "brokering:profiles",
            "brokering:needs",
            "brokering:need",
            "brokering:need-ref",
            "brokering:consortium",
            "brokering:profile",
            "brokering:matches",
            "community:home",
            "community:search",
            "community:saved-searches",
            "community:alerts",
            "community:moderation",
            "community:award-calls",
            "community:award-call-create",
            "community:award-call-history",
            "community:my-evaluations",
            "community:attachment",
            "community:certificate",
            "community:certificate-verify",
            "community:calls",
            "community:call",
            "community:offers",
            "community:offer",
            "community:stories",
            "community:story",
            "plans:index",
            "plans:roadmap-version",
            "plans:action-plan",
            "plans:dashboard",
            "plans:evidence",
            "plans:report",
            "plans:report-pdf",
            "plans:report-xlsx",
            "plans:strategy",
            "plans:history",
            "invitations:list",
            "invitations:join",
            "invitations:join-search",
            "invitations:join-requests",
            "notifications:list",
            "events:check-in",
            "events:organiser-participants",
        ],
        "changes one owner's own record": [
            "registry:organisation-create",
            "registry:organisation-edit",
            "registry:organisation-delete",
            "registry:competence-remove",
            "events:event-create",
            "events:session-add",
            "events:schedule",
            "events:schedule-announce",
            "events:outcome",
            "community:save-search",
            "community:saved-search-delete",
            "community:item-action",
            "plans:action-delete",
            "plans:kpi-create",
            "plans:kpi-edit",
            "plans:kpi-delete",
            "plans:kpi-value-add",
            "plans:swot-add",
            "plans:swot-delete",
            "plans:market-add",
            "plans:market-delete",
            "plans:visibility",
            "events:event-edit",
            "events:session-edit",
            "events:session-remove",
            "events:check-in-mark",
        ],
        "changes the time window of a meeting request, by one of its two sides or the "
        "event's organisers": ["events:request-window"],
        "late changes to the schedule of the organiser's own event: cancels or adds a meeting of "
        "an accepted request, marks a no-show; 403 for anyone else (see "
        "tests/events/test_late_changes.py)": [
            "events:late-changes",
            "events:meeting-cancel",
            "events:no-show",
            "events:meeting-add",
        ],
        "registers organisations at the organiser's own event; the holder of the address "
        "given acts for the registration only once they act for the organisation (see "
        "tests/events/test_organiser_registration.py)": [
            "events:participant-add",
        ],
        "marks the user's own notices read or sets the user's own e-mail choices": [
            "notifications:read-all",
            "notifications:open",
            "notifications:read",
            "notifications:settings",
        ],
        "stops one kind of e-mail to the address a signed link was sent to": [
            "notifications:unsubscribe"
        ],
        "signs in or out": [
            "login",
            "logout",
            "account_login",
            "account_logout",
            "account_confirm_login_code",
            "account_reauthenticate",
            "mfa_authenticate",
            "mfa_reauthenticate",
        ],
        "creates an account that holds no position until an invitation or join request is "
        "accepted": ["account_signup"],
        "reads or changes the user's own account only (name, addresses, password, two-factor, "
        "preferences, data export)": [
            "account_change_password",
            "account_set_password",
            "account_email",
            "account_confirm_email",
            "account_email_verification_sent",
            "account_inactive",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "mfa_index",
            "mfa_activate_totp",
            "mfa_deactivate_totp",
            "mfa_generate_recovery_codes",
            "mfa_view_recovery_codes",
            "mfa_download_recovery_codes",
            "accounts:index",
            "accounts:name",
            "accounts:preferences",
            "accounts:data",
        ],
        "erases the user's own personal data and closes their account; the records of others it "
        "points at stay as they were": ["accounts:delete"],
        "reads only: a survey, its answers and results, for its managers and the asked "
        "organisations' own people (tests/surveys)": [
            "surveys:list",
            "surveys:survey",
            "surveys:response",
            "surveys:results",
            "surveys:results-export",
        ],
        "changes a survey of a partnership or cluster the user manages; asking its own "
        "members grants nobody a right over another's records": [
            "surveys:create",
            "surveys:edit",
            "surveys:question-create",
            "surveys:question-edit",
            "surveys:question-delete",
            "surveys:dia-questions",
        ],
        "changes the one answer of an organisation the user acts for in its own right": [
            "surveys:answer"
        ],
        "the steps of brokering:questionnaire, checked with its rule": [
            "brokering:questionnaire-step"
        ],
        "adds an action to the action plan of a partnership the user manages, from its own "
        "survey's results (tests/surveys/test_results_to_plan.py)": ["surveys:results-plan-action"],
        "reads only: a partnership's logo, as public as its page": ["registry:partnership-logo"],
        "sets the visitor's own language (a cookie, and their own account settings)": ["language"],
    }.items()
    for name in names
}


def page_names() -> set[str]:
    """The URL names of every page (the admin and the API left out)."""

    def walk(patterns, namespace: str | None) -> Iterable[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in ("admin/", "api/"):
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


# ------------------------------------------------------------------ the tests


def test_every_relation_operation_of_the_schema_has_a_rule():
    found = relation_operations_with_reasons(api_schema())
    missing = {op: why for op, why in found.items() if op not in RULES}
    stale = sorted(set(RULES) - set(found))
    assert not missing, (
        "operations that create or change a relation without an escalation rule:\n"
        + "\n".join(f"  {op} ({why})" for op, why in sorted(missing.items()))
    )
    assert not stale, f"rules for operations the schema no longer has: {stale}"


def test_the_enumeration_reads_nested_bodies_paths_and_actions():
    """A synthetic schema: what counts as creating or changing a relation, and what not."""

    def op(op_id: str, body: str | None = None, params: tuple = ()) -> dict:
        operation = {
            "operationId": op_id,
            "parameters": [{"name": name, "in": "path"} for name in params],
        }
        if body:
            ref = {"$ref": f"#/components/schemas/{body}"}
            operation["requestBody"] = {"content": {"application/json": {"schema": ref}}}
        return operation

    schema = {
        "paths": {
            "/api/things/": {"post": op("plain", "Plain"), "get": op("read", "Nested")},
            "/api/bundles/": {"post": op("nested", "Nested")},
            "/api/clusters/{org_slug}/notes": {"post": op("on_org", params=("org_slug",))},
            "/api/offers/{pk}/introductions/{pk2}/{action}": {
                "post": op("answer", params=("pk", "pk2", "action"))
            },
            "/api/memberships/{key}": {"delete": op("leave", params=("key",))},
        },
        "components": {
            "schemas": {
                "Plain": {"properties": {"name": {"type": "string"}}},
                "Nested": {
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                    }
                },
                "Item": {"properties": {"provider": {"type": "string"}}},
            }
        },
    }
    assert relation_operations(schema) == {"nested", "on_org", "answer", "leave"}


def test_every_page_is_classified():
    names = page_names()
    assert not set(PAGE_RULES) & set(NOT_RELATION_PAGES)
    unclassified = sorted(names - set(PAGE_RULES) - set(NOT_RELATION_PAGES))
    assert not unclassified, (
        "pages neither in PAGE_RULES (they create or change a relation) nor in "
        f"NOT_RELATION_PAGES: {unclassified}"
    )
    gone = sorted((set(PAGE_RULES) | set(NOT_RELATION_PAGES)) - names)
    assert not gone, f"classified pages that no longer exist: {gone}"


def test_every_rule_states_its_rule():
    for name, scenario in {**RULES, **PAGE_RULES}.items():
        assert rule_text(scenario).endswith("."), f"{name}: the docstring states no rule"


def test_the_permissions_doc_lists_the_relation_operations():
    text = DOC.read_text(encoding="utf-8")
    table = re.search(
        r"<!-- relation-operations: begin -->(.*?)<!-- relation-operations: end -->", text, re.S
    )
    assert table, "docs/permissions.md has no relation-operations table"
    listed = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", table.group(1), re.M))
    operations = relation_operations(api_schema())
    assert listed == operations, (
        f"missing from the doc: {sorted(operations - listed)}; "
        f"in the doc but not relation operations: {sorted(listed - operations)}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(RULES))
def test_escalation_through_the_api(operation, world, client):
    RULES[operation](world, client)


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGE_RULES))
def test_escalation_through_the_pages(page, world, client):
    PAGE_RULES[page](world, client)
