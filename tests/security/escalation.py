"""Escalation paths: every operation that creates or changes a relation between records of
different owners, played by an attacker with an ordinary account against a victim
organisation it has no accepted relation with.

Nobody acts for an organisation without its consent (docs/permissions.md): whoever creates a
relation must gain no right over the other side until that side accepts it. A scenario performs
the operation as the attacker, then checks that the attacker cannot edit the victim, read its
confidential need, see its people's e-mail, see its award applications, edit its project or
remove its participants, answer its introductions, and that none of the victim's records
changed. Where the operation legitimately makes a proposal, the victim then accepts it and the
right appears (so that a scenario fails both ways); for memberships and seats, removing the
relation takes the right away again.

- `relation_operations(schema)` reads the relation-creating operations from the OpenAPI schema;
- `RULES` maps each of them (by operation id) to its scenario;
- `PAGE_RULES` maps the pages that create or change relations (by URL name) to theirs, and
  `NOT_RELATION_PAGES` names every other page, so that a new page is classified too.

A scenario is `scenario(world, client)`; the first paragraph of its docstring is the rule it
checks, as docs/permissions.md states it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from clusterbroker.brokering.models import Introduction, Need, Profile
from clusterbroker.community.models import Application, Assignment, AwardCall, CriteriaSet
from clusterbroker.community.models import Offer as CommunityOffer
from clusterbroker.events.models import MeetingRequest, Participant
from clusterbroker.invitations.models import Invitation, JoinRequest
from clusterbroker.notifications.models import Notification, OutgoingEmail
from clusterbroker.plans.models import Action, RoadmapVersion
from clusterbroker.registry.models import (
    ApiToken,
    Competence,
    Membership,
    Organisation,
    Participation,
    Partnership,
    PartnershipMember,
    Person,
    Position,
    Project,
)

from ..brokering.factories import NeedFactory, ProfileFactory
from ..events.factories import (
    EventFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    SessionFactory,
)
from ..factories import (
    ClusterFactory,
    CompetenceFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PartnershipRoleFactory,
    PersonFactory,
    PositionFactory,
    ProjectFactory,
    TermFactory,
    UserFactory,
)
from ..plans.factories import ActionFactory

# ------------------------------------------------------------------ the operations of the schema

WRITE_METHODS = ("post", "put", "patch", "delete")

# A request body property with one of these names points at another record: writing it
# creates or changes a relation.
RELATION_FIELDS = frozenset(
    {
        "organisation",
        "organisations",
        "cluster",
        "partnership",
        "project",
        "projects",
        "requester",
        "requested",
        "coordinator",
        "lead",
        "contributors",
        "evaluator",
        "evaluators",
        "provider",
        "events",
        "need",
        "call",
        "story",
        "member",
        "members",
        "participant",
        "participants",
        "person",
        "people",
        "user",
        "login",
    }
)
# A path parameter with one of these names is an organisation acted on by someone else.
ORGANISATION_PARAMETERS = frozenset({"org_slug", "organisation", "organisation_slug"})
# Resources that are relations themselves, or proposals of one (invitations and join requests
# propose a person's position in an organisation): every write of them creates, changes or
# ends one.
RELATION_RESOURCES = (
    "/api/memberships/",
    "/api/partnership-members/",
    "/api/participations/",
    "/api/relation-requests/",
    "/api/invitations/",
    "/api/join-requests/",
)
# Actions on a relation: answering a proposal (introductions, meeting requests, relation
# requests) and evaluator assignments.
RELATION_ACTIONS = (
    re.compile(r"/(introductions|requests)/\{[^}]+\}/\{action\}$"),
    re.compile(r"/assignments(/\{[^}]+\})?$"),
)


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _property_names(schema: dict, components: dict, seen: frozenset = frozenset()) -> set[str]:
    """Every property name of `schema`, nested objects and list items included."""
    ref = schema.get("$ref")
    if ref in seen:
        return set()
    seen = seen | {ref} if ref else seen
    schema = _resolve(schema, components)
    names = set(schema.get("properties", {}))
    children = list(schema.get("properties", {}).values())
    children += [schema["items"]] if isinstance(schema.get("items"), dict) else []
    for key in ("anyOf", "allOf", "oneOf"):
        children += schema.get(key, [])
    if isinstance(schema.get("additionalProperties"), dict):
        children.append(schema["additionalProperties"])
    for child in children:
        names |= _property_names(child, components, seen)
    return names


def relation_reason(path: str, operation: dict, components: dict) -> str | None:
    """Why the operation creates or changes a relation, or None when it does not."""
    if path.startswith(RELATION_RESOURCES):
        return "relation resource"
    for pattern in RELATION_ACTIONS:
        if pattern.search(path):
            return "action on a relation"
    parameters = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
    if parameters & ORGANISATION_PARAMETERS:
        return "acts on an organisation named in the path"
    body: set[str] = set()
    for content in operation.get("requestBody", {}).get("content", {}).values():
        body |= _property_names(content.get("schema", {}), components)
    fields = sorted(body & RELATION_FIELDS)
    if fields:
        return "names " + ", ".join(fields)
    return None


def relation_operations(schema: dict) -> set[str]:
    """The operation ids of every write of the schema that creates or changes a relation."""
    return set(relation_operations_with_reasons(schema))


def relation_operations_with_reasons(schema: dict) -> dict[str, str]:
    components = schema.get("components", {}).get("schemas", {})
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method.lower() not in WRITE_METHODS:
                continue
            reason = relation_reason(path, operation, components)
            if reason is not None:
                found[operation["operationId"]] = f"{method.upper()} {path}: {reason}"
    return found


def api_schema() -> dict:
    from clusterbroker.api.api import api

    return api.get_openapi_schema(path_prefix="/api/")


# ------------------------------------------------------------------ the victim


@dataclass
class Victim:
    """`organisation` ("Victim Robotics") and what an attacker would want of it: an own
    `editor` (who consents for it), a `contact` whose e-mail only its partners see, a
    brokering profile with a confidential `need`, a pending `introduction` to that need asked
    by `ally` (whose editor is `ally_user`), a `project` it coordinates with the participant
    `bystander`, and an `application` to `call`, an award call managed by `call_manager`
    alone. It has no relation with any organisation of the `world` fixture."""

    organisation: Organisation
    editor: object
    contact: Person
    profile: Profile
    need: Need
    ally: Organisation
    ally_user: object
    introduction: Introduction
    project: Project
    coordination: Participation
    bystander: Participation
    call: AwardCall
    call_manager: object
    application: Application


def build_victim() -> Victim:
    organisation = OrganisationFactory(
        name="Victim Robotics", slug="victim-robotics", country="IT", city="Torino"
    )
    editor = PersonFactory(first_name="Vera", last_name="Victim", email="vera@victim.example")
    PositionFactory(person=editor, organisation=organisation, role=Position.Role.EDITOR)
    contact = PersonFactory(
        first_name="Carl", last_name="Confidential", email="secret.contact@victim.example"
    )
    PositionFactory(person=contact, organisation=organisation, role=Position.Role.CONTACT)
    profile = ProfileFactory(organisation=organisation, sector="Robotics", summary="Victim profile")
    need = NeedFactory(
        profile=profile,
        description="Victim secret need about graphene grippers",
        confidential=True,
    )
    ally = OrganisationFactory(name="Ally Optics", slug="ally-optics", country="ES")
    ally_user = PositionFactory(organisation=ally, role=Position.Role.EDITOR).person.user
    introduction = Introduction.objects.create(
        need=need, requester=ally, message="Ally asks the victim"
    )
    project = ProjectFactory(
        acronym="VICTIMPROJ",
        title="Victim project",
        start=dt.date(2024, 1, 1),
        end=dt.date(2027, 12, 31),
    )
    coordination = ParticipationFactory(
        project=project, organisation=organisation, role=Participation.Role.COORDINATOR
    )
    bystander = ParticipationFactory(
        project=project,
        organisation=OrganisationFactory(name="Bystander Labs", slug="bystander-labs"),
        role=Participation.Role.PARTICIPANT,
    )
    call_manager = UserFactory(username="victim-call-manager")
    today = timezone.localdate()
    call = AwardCall.objects.create(
        slug="victim-award",
        name="Victim award",
        criteria_set=CriteriaSet.objects.create(slug="victim-criteria", name="Victim criteria"),
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
    )
    call.managers.add(call_manager)
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        submitted_by=editor.user,
        title="Victim application",
        summary="Our secret plan.",
    )
    return Victim(
        organisation=organisation,
        editor=editor.user,
        contact=contact,
        profile=profile,
        need=need,
        ally=ally,
        ally_user=ally_user,
        introduction=introduction,
        project=project,
        coordination=coordination,
        bystander=bystander,
        call=call,
        call_manager=call_manager,
        application=application,
    )


def victim_state(v: Victim) -> dict:
    """The victim's records an attacker could change or corrupt (proposals are left out:
    they are allowed, and grant nothing)."""
    org = Organisation.objects.get(pk=v.organisation.pk)
    fields = {
        f.attname: getattr(org, f.attname)
        for f in Organisation._meta.concrete_fields
        if f.name not in ("updated_at",)
    }

    def rows(qs, *names) -> list:
        return sorted(qs.values_list(*names), key=repr)

    return {
        "organisation": fields,
        "positions": rows(Position.objects.filter(organisation=org), "person_id", "role"),
        "memberships": rows(
            Membership.objects.filter(Q(organisation=org) | Q(cluster=org)),
            "organisation_id",
            "cluster_id",
            "role",
        ),
        "seats": rows(PartnershipMember.objects.filter(organisation=org), "partnership_id", "role"),
        "coordinates": rows(Partnership.objects.filter(coordinator=org), "pk"),
        "participations": rows(
            Participation.objects.filter(Q(organisation=org) | Q(project=v.project)),
            "project_id",
            "organisation_id",
            "role",
        ),
        "project": rows(
            Project.objects.filter(pk=v.project.pk), "acronym", "title", "start", "end"
        ),
        "competences": rows(Competence.objects.filter(organisation=org), "term_id", "level"),
        "profile": rows(Profile.objects.filter(organisation=org), "summary", "sector", "stage"),
        "needs": rows(
            Need.objects.filter(profile__organisation=org), "pk", "description", "confidential"
        ),
        "introductions": rows(
            Introduction.objects.filter(
                Q(need__profile__organisation=org) | Q(requester=org)
            ).exclude(status=Introduction.Status.PENDING),
            "pk",
            "need_id",
            "requester_id",
            "status",
        ),
        "pending introductions asked in its name": rows(
            Introduction.objects.filter(requester=org, status=Introduction.Status.PENDING), "pk"
        ),
        "applications": rows(Application.objects.filter(organisation=org), "pk", "state", "title"),
        "assignments": rows(
            Assignment.objects.filter(application__organisation=org),
            "application_id",
            "evaluator_id",
        ),
        "offers": rows(CommunityOffer.objects.filter(organisation=org), "pk"),
        "event registrations": rows(Participant.objects.filter(organisation=org), "pk"),
        "plan actions": rows(
            Action.objects.filter(
                Q(lead=org) | Q(contributors=org) | Q(projects=v.project)
            ).distinct(),
            "pk",
        ),
        "roadmap versions": rows(RoadmapVersion.objects.filter(cluster=org), "pk"),
    }


def row_counts() -> dict[str, int]:
    """How many rows every table holds."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


# ------------------------------------------------------------------ the attack harness


class Attack:
    """The victim and the means to act: `api` with the user's API token (the `client`
    fixture, no session), `page` with a client logged in as the user."""

    def __init__(self, world, client: Client):
        self.world = world
        self.client = client
        self.v = build_victim()
        self._tokens: dict[int, str] = {}
        self._pages: dict[int, Client] = {}

    def token(self, user) -> str:
        if user.pk not in self._tokens:
            self._tokens[user.pk] = ApiToken.issue(user, "escalation")[1]
        return self._tokens[user.pk]

    def api(self, user, method: str, url: str, body: dict | None = None):
        headers = {"Authorization": f"Bearer {self.token(user)}"}
        send = getattr(self.client, method)
        if body is None:
            return send(url, headers=headers)
        return send(url, json.dumps(body), content_type="application/json", headers=headers)

    def page(self, user, method: str, url: str, data: dict | None = None):
        if user.pk not in self._pages:
            client = Client()
            client.force_login(user)
            self._pages[user.pk] = client
        client = self._pages[user.pk]
        return client.get(url) if method == "get" else client.post(url, data or {})


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def expect(response, *codes: int, what: str):
    """Assert the status; return the JSON body when there is one."""
    assert response.status_code in codes, (
        f"{what}: expected {' or '.join(map(str, codes))}, got {response.status_code}: "
        f"{_text(response)[:500]}"
    )
    if response.content and response.get("Content-Type", "").startswith("application/json"):
        return response.json()
    return None


def detail(response) -> str:
    try:
        return str(response.json().get("detail", ""))
    except ValueError:
        return ""


def accept(att: Attack, request_id: int, user=None) -> dict:
    """The victim's own editor (or `user`) accepts a relation request."""
    return expect(
        att.api(user or att.v.editor, "post", f"/api/relation-requests/{request_id}/accept"),
        200,
        what="the awaited side accepts",
    )


# ------------------------------------------------------------------ rights over the victim


def edits_organisation(att: Attack, user, organisation: Organisation | None = None) -> bool:
    organisation = Organisation.objects.get(pk=(organisation or att.v.organisation).pk)
    response = att.api(
        user, "patch", f"/api/organisations/{organisation.slug}", {"city": organisation.city}
    )
    return response.status_code == 200


def reads_need(att: Attack, user, need: Need | None = None) -> bool:
    need = need or att.v.need
    response = att.api(user, "get", f"/api/brokering/needs/{need.pk}")
    return response.status_code == 200 and need.description in _text(response)


def sees_emails(att: Attack, user) -> bool:
    response = att.page(user, "get", f"/organisations/{att.v.organisation.slug}/")
    return response.status_code == 200 and att.v.contact.email in _text(response)


def sees_application(att: Attack, user) -> bool:
    response = att.api(user, "get", f"/api/evaluation/applications/{att.v.application.pk}")
    return response.status_code == 200


def edits_project(att: Attack, user) -> bool:
    project = att.v.project
    project.refresh_from_db()
    response = att.api(user, "patch", f"/api/projects/{project.pk}", {"title": project.title})
    return response.status_code == 200


def removes_participant(att: Attack, user) -> bool:
    """Tried for real: a success removes the bystander (and the scenario fails anyway)."""
    response = att.api(user, "delete", f"/api/participations/{att.v.bystander.pk}")
    return response.status_code == 204


def answers_introduction(att: Attack, user) -> bool:
    """Tried for real on the ally's introduction: 200 (answered) or 422 (allowed, but already
    answered) mean the user may answer it."""
    response = att.api(user, "post", f"/api/brokering/introductions/{att.v.introduction.pk}/accept")
    return response.status_code in (200, 422)


RIGHTS: dict[str, Callable[[Attack, object], bool]] = {
    "edit the organisation": edits_organisation,
    "read its confidential need": reads_need,
    "see its people's e-mail": sees_emails,
    "see its award applications": sees_application,
    "edit its project": edits_project,
    "remove its project's participants": removes_participant,
    "answer its introductions": answers_introduction,
}
EDIT, NEED, EMAIL, APPLICATIONS = (
    "edit the organisation",
    "read its confidential need",
    "see its people's e-mail",
    "see its award applications",
)
READ_ONLY_RIGHTS = (EDIT, NEED, EMAIL, APPLICATIONS, "edit its project")


def rights_of(att: Attack, user, names: Iterable[str] = tuple(RIGHTS)) -> list[str]:
    """The rights over the victim that `user` holds, of `names`."""
    return [name for name in names if RIGHTS[name](att, user)]


def assert_unchanged(att: Attack, before: dict, what: str) -> None:
    after = victim_state(att.v)
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert not changed, f"{what} changed the victim's records: {changed}"


def assert_gains_nothing(att: Attack, user, before: dict, what: str) -> None:
    """The victim's records are as they were, and `user` holds no right over the victim."""
    assert_unchanged(att, before, what)
    held = rights_of(att, user)
    assert not held, f"{what}: the attacker gained, over the victim: {', '.join(held)}"


# ------------------------------------------------------------------ more of the victim's world


@dataclass
class VictimCluster:
    """ "Victim Valley", a cluster with its own `manager`, of which the victim is an
    accepted member (the manager keeps it)."""

    cluster: Organisation
    manager: object
    membership: Membership


def victim_cluster(att: Attack) -> VictimCluster:
    cluster = ClusterFactory(name="Victim Valley", slug="victim-valley", country="IT")
    manager = PositionFactory(organisation=cluster, role=Position.Role.MANAGER).person.user
    membership = MembershipFactory(organisation=att.v.organisation, cluster=cluster)
    return VictimCluster(cluster, manager, membership)


@dataclass
class VictimAlliance:
    """ "Victim Alliance", a partnership with its own `manager`, in which the victim holds an
    accepted `seat`."""

    partnership: Partnership
    manager: object
    seat: PartnershipMember


def victim_alliance(att: Attack) -> VictimAlliance:
    partnership = PartnershipFactory(name="Victim Alliance", slug="victim-alliance")
    manager = PartnershipRoleFactory(partnership=partnership).person.user
    seat = PartnershipMemberFactory(partnership=partnership, organisation=att.v.organisation)
    return VictimAlliance(partnership, manager, seat)


@dataclass
class VictimEvent:
    """An event of the world's partnership (its manager organises it) where `a` is the
    company user's registration, `v` the victim's and `t` a third participant's, who asked
    the victim for a meeting with a confidential message."""

    event: object
    a: Participant
    v: Participant
    t: Participant
    secret: str


def victim_event(att: Attack) -> VictimEvent:
    world = att.world
    event = EventFactory(name="Trust Fair", slug="trust-fair", partnership=world.partnership)
    SessionFactory(event=event)
    a = ParticipantFactory(event=event, organisation=world.member_company, user=world.company_user)
    v = ParticipantFactory(event=event, organisation=att.v.organisation, user=att.v.editor)
    t = ParticipantFactory(event=event, organisation__name="Third Tools")
    secret = "Third asks the victim about its confidential prototype"
    MeetingRequestFactory(requester=t, requested=v, status="pending", message=secret)
    return VictimEvent(event, a, v, t, secret)


def opens_agenda(att: Attack, user, participant: Participant) -> bool:
    url = f"/events/{participant.event.slug}/agenda/?participant={participant.pk}"
    return att.page(user, "get", url).status_code == 200


def sees_requests_received(att: Attack, user, ev: VictimEvent) -> bool:
    response = att.api(user, "get", f"/api/events/{ev.event.slug}/requests")
    return ev.secret in _text(response)


def _term_key(term) -> str:
    return f"{term.taxonomy.code}:{term.code}"


# ------------------------------------------------------------------ scenarios: memberships


def membership_create(world, client) -> None:
    """Adding an organisation to a cluster is a proposal (202) until its own editor accepts; the
    cluster's managers then keep it, and lose it — with the introductions they accepted for it —
    once it leaves."""
    att, manager = Attack(world, client), world.cluster_manager
    v = att.v
    before = victim_state(v)
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/memberships/",
            {"organisation": v.organisation.slug, "cluster": world.cluster.slug},
        ),
        202,
        what="a cluster manager adds another's organisation",
    )
    assert proposal["awaiting"] == "organisation"
    assert_gains_nothing(att, manager, before, "a membership proposal")

    # The other direction: asking to join the victim's cluster grants nothing over it.
    vc = victim_cluster(att)
    asked = expect(
        att.api(
            world.company_user,
            "post",
            "/api/memberships/",
            {"organisation": world.member_company.slug, "cluster": vc.cluster.slug},
        ),
        202,
        what="a company asks to join a cluster",
    )
    assert asked["awaiting"] == "counterpart"
    assert not edits_organisation(att, world.company_user, vc.cluster)

    # Both ways: accepted, the membership makes the manager a keeper of the victim …
    accept(att, proposal["id"])
    assert rights_of(att, manager, (EDIT, NEED, APPLICATIONS)) == [EDIT, NEED, APPLICATIONS]
    expect(
        att.api(manager, "post", f"/api/brokering/introductions/{v.introduction.pk}/accept"),
        200,
        what="the keeping manager answers an introduction for the member",
    )
    assert reads_need(att, v.ally_user)
    # … until the member leaves: then the manager keeps nothing, and the introduction the
    # manager accepted for it is revoked.
    membership = Membership.objects.get(organisation=v.organisation, cluster=world.cluster)
    expect(
        att.api(v.editor, "delete", f"/api/memberships/{membership.pk}"),
        204,
        what="the member leaves",
    )
    assert rights_of(att, manager) == []
    assert not reads_need(att, v.ally_user), "an introduction outlived the membership"


def membership_update(world, client) -> None:
    """A membership's role is set by the cluster only (403 to the member and to anyone else), and a
    change never moves it to another organisation or cluster."""
    att, manager = Attack(world, client), world.cluster_manager
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)
    url = f"/api/memberships/{vc.membership.pk}"
    for user in (manager, world.partnership_manager, world.company_user, v.editor):
        expect(
            att.api(user, "patch", url, {"role": "board_member"}),
            403,
            what="someone other than the cluster sets a member's role",
        )
    own = Membership.objects.get(organisation=world.cluster_member, cluster=world.cluster)
    expect(
        att.api(
            manager,
            "patch",
            f"/api/memberships/{own.pk}",
            {
                "role": "board_member",
                "organisation": v.organisation.slug,
                "cluster": vc.cluster.slug,
            },
        ),
        200,
        what="the cluster sets its member's role",
    )
    own.refresh_from_db()
    assert (own.organisation_id, own.cluster_id, own.role) == (
        world.cluster_member.pk,
        world.cluster.pk,
        "board_member",
    )
    assert_gains_nothing(att, manager, before, "changing memberships")
    expect(
        att.api(vc.manager, "patch", url, {"role": "founding_member"}),
        200,
        what="the victim's own cluster sets its role",
    )


def membership_delete(world, client) -> None:
    """Either side ends a membership, nobody else (403); ending it ends what it granted."""
    att, manager = Attack(world, client), world.cluster_manager
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)
    url = f"/api/memberships/{vc.membership.pk}"
    for user in (manager, world.partnership_manager, world.company_user):
        expect(att.api(user, "delete", url), 403, what="a stranger ends a membership")
    assert_gains_nothing(att, manager, before, "ending others' memberships")
    assert rights_of(att, vc.manager, (EDIT, NEED)) == [EDIT, NEED]
    expect(att.api(v.editor, "delete", url), 204, what="the member leaves")
    assert rights_of(att, vc.manager, (EDIT, NEED)) == []


# ------------------------------------------------------------------ scenarios: partnerships


def project_create(world, client) -> None:
    """A project is created with its coordinator, an organisation its creator acts for (403 for
    anyone else's, 422 without one, nothing written): nobody creates a project in another
    organisation's name, and no project is left empty for whoever joins it first."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before, count = victim_state(v), Project.objects.count()
    expect(
        att.api(
            company,
            "post",
            "/api/projects/",
            {"acronym": "HIJACK", "coordinator": v.organisation.slug},
        ),
        403,
        what="a company creates a project coordinated by the victim",
    )
    expect(
        att.api(company, "post", "/api/projects/", {"acronym": "EMPTYP"}),
        422,
        what="a company creates a project without coordinator",
    )
    assert Project.objects.count() == count
    own = expect(
        att.api(
            company,
            "post",
            "/api/projects/",
            {"acronym": "OWNP", "coordinator": world.member_company.slug},
        ),
        201,
        what="a company creates its own project",
    )
    assert_gains_nothing(att, company, before, "creating projects")
    # The victim's editor cannot take the company's new project over by joining it.
    joined = expect(
        att.api(
            v.editor,
            "post",
            "/api/participations/",
            {"project": own["id"], "organisation": v.organisation.slug, "role": "coordinator"},
        ),
        202,
        what="the victim asks to join the company's new project",
    )
    assert joined["awaiting"] == "counterpart"
    expect(
        att.api(v.editor, "patch", f"/api/projects/{own['id']}", {"title": "Taken"}),
        403,
        what="the victim edits the company's project",
    )


def partnership_create(world, client) -> None:
    """Only platform admins create partnerships (403 to everyone else, nothing written); naming a
    coordinator grants nothing over it."""
    att = Attack(world, client)
    v = att.v
    before, count = victim_state(v), Partnership.objects.count()
    body = {"name": "Hijack Alliance", "kind": "alliance", "coordinator": v.organisation.slug}
    for user in (world.partnership_manager, world.cluster_manager, world.company_user):
        expect(
            att.api(user, "post", "/api/partnerships/", body),
            403,
            what="a non-admin creates a partnership",
        )
        assert_gains_nothing(att, user, before, "creating a partnership")
    assert Partnership.objects.count() == count
    expect(
        att.api(
            world.admin,
            "post",
            "/api/partnerships/",
            {"name": "Admin Alliance", "kind": "alliance"},
        ),
        201,
        what="an admin creates a partnership",
    )


def partnership_update(world, client) -> None:
    """A partnership's coordinator is one of its accepted members: naming any other organisation is
    refused (422 naming the coordinator) and grants nothing."""
    att, manager = Attack(world, client), world.partnership_manager
    v = att.v
    before = victim_state(v)
    url = f"/api/partnerships/{world.partnership.slug}"
    response = att.api(manager, "patch", url, {"coordinator": v.organisation.slug})
    expect(response, 422, what="a manager names a stranger coordinator of the partnership")
    assert "coordinator" in detail(response)
    assert_gains_nothing(att, manager, before, "naming a coordinator")
    expect(
        att.api(world.other_partnership_manager, "patch", url, {"coordinator": None}),
        403,
        what="another partnership's manager changes the partnership",
    )
    # A pending seat does not make it a member; an accepted one does.
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/partnership-members/",
            {"partnership": world.partnership.slug, "organisation": v.organisation.slug},
        ),
        202,
        what="the manager offers the victim a seat",
    )
    expect(
        att.api(manager, "patch", url, {"coordinator": v.organisation.slug}),
        422,
        what="a proposed member named coordinator",
    )
    accept(att, proposal["id"])
    expect(
        att.api(manager, "patch", url, {"coordinator": v.organisation.slug}),
        200,
        what="an accepted member named coordinator",
    )


def seat_create(world, client) -> None:
    """Giving an organisation a partnership seat is a proposal (202) until its own editor accepts;
    the partnership's managers then keep it and see its people's e-mail and its applications, and
    lose all of it once the seat ends."""
    att, manager = Attack(world, client), world.partnership_manager
    v = att.v
    before = victim_state(v)
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/partnership-members/",
            {"partnership": world.partnership.slug, "organisation": v.organisation.slug},
        ),
        202,
        what="a partnership manager adds another's organisation",
    )
    assert proposal["awaiting"] == "organisation"
    assert_gains_nothing(att, manager, before, "a seat proposal")
    accept(att, proposal["id"])
    assert rights_of(att, manager, (EDIT, EMAIL, APPLICATIONS)) == [EDIT, EMAIL, APPLICATIONS]
    # Keeping the records is not keeping the brokering profile.
    assert not reads_need(att, manager)
    seat = PartnershipMember.objects.get(partnership=world.partnership, organisation=v.organisation)
    expect(
        att.api(manager, "delete", f"/api/partnership-members/{seat.pk}"),
        204,
        what="the partnership removes the seat",
    )
    assert rights_of(att, manager) == []


def seat_update(world, client) -> None:
    """A seat's role is set by the partnership only (403 to the member and to anyone else), and a
    change never moves the seat to another organisation or partnership."""
    att, manager = Attack(world, client), world.partnership_manager
    v, va = att.v, victim_alliance(att)
    before = victim_state(v)
    url = f"/api/partnership-members/{va.seat.pk}"
    for user in (manager, world.other_partnership_manager, world.company_user, v.editor):
        expect(
            att.api(user, "patch", url, {"role": "coordinator"}),
            403,
            what="someone other than the partnership sets a seat's role",
        )
    own = PartnershipMember.objects.get(
        partnership=world.partnership, organisation=world.member_company
    )
    own_url = f"/api/partnership-members/{own.pk}"
    expect(
        att.api(world.company_user, "patch", own_url, {"role": "coordinator"}),
        403,
        what="a member promotes itself",
    )
    expect(
        att.api(
            manager,
            "patch",
            own_url,
            {
                "role": "associate",
                "organisation": v.organisation.slug,
                "partnership": va.partnership.slug,
            },
        ),
        200,
        what="the partnership sets its member's role",
    )
    own.refresh_from_db()
    assert (own.organisation_id, own.partnership_id, own.role) == (
        world.member_company.pk,
        world.partnership.pk,
        "associate",
    )
    assert_gains_nothing(att, manager, before, "changing seats")
    expect(
        att.api(va.manager, "patch", url, {"role": "coordinator"}),
        200,
        what="the victim's own partnership sets its role",
    )


def seat_delete(world, client) -> None:
    """Either side ends a seat, nobody else (403); ending it ends what it granted."""
    att, manager = Attack(world, client), world.partnership_manager
    v, va = att.v, victim_alliance(att)
    before = victim_state(v)
    url = f"/api/partnership-members/{va.seat.pk}"
    for user in (manager, world.other_partnership_manager, world.company_user):
        expect(att.api(user, "delete", url), 403, what="a stranger ends a seat")
    assert_gains_nothing(att, manager, before, "ending others' seats")
    assert rights_of(att, va.manager, (EDIT, EMAIL)) == [EDIT, EMAIL]
    expect(att.api(v.editor, "delete", url), 204, what="the member leaves")
    assert rights_of(att, va.manager, (EDIT, EMAIL)) == []


# ------------------------------------------------------------------ scenarios: competences


def competence_create(world, client) -> None:
    """A competence is added to an organisation only by those who act for it or keep it through a
    relation it accepted (403 otherwise)."""
    att = Attack(world, client)
    v = att.v
    before = victim_state(v)
    key = _term_key(TermFactory(code="ESC1", label="Escalation machining"))
    body = {"organisation": v.organisation.slug, "term": key, "evidence": "We say so"}
    for user in (world.company_user, world.cluster_manager, world.partnership_manager):
        expect(
            att.api(user, "post", "/api/competences/", body),
            403,
            what="a stranger adds a competence to the victim",
        )
        assert_gains_nothing(att, user, before, "adding a competence")
    expect(
        att.api(v.editor, "post", "/api/competences/", body),
        201,
        what="the victim's editor adds a competence",
    )


# ------------------------------------------------------------------ scenarios: participations


def participation_create(world, client) -> None:
    """Joining a project is a proposal to its coordinator, and adding an organisation to one's
    project a proposal to that organisation (202): nobody appears in the project, nor in the "worked
    with" network, until the other side accepts, and a participant never edits the project nor
    removes others."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before = victim_state(v)
    join = expect(
        att.api(
            company,
            "post",
            "/api/participations/",
            {"project": v.project.pk, "organisation": world.member_company.slug},
        ),
        202,
        what="a company asks to join the victim's project",
    )
    assert join["awaiting"] == "counterpart"
    own_project = ProjectFactory(acronym="OWNPROJ")
    ParticipationFactory(
        project=own_project,
        organisation=world.member_company,
        role=Participation.Role.COORDINATOR,
    )
    invite = expect(
        att.api(
            company,
            "post",
            "/api/participations/",
            {"project": own_project.pk, "organisation": v.organisation.slug},
        ),
        202,
        what="a company adds the victim to its project",
    )
    assert invite["awaiting"] == "organisation"
    expect(
        att.api(
            company,
            "post",
            "/api/participations/",
            {"project": ProjectFactory(acronym="EMPTY").pk, "organisation": v.organisation.slug},
        ),
        403,
        what="a company makes the victim the first participant (coordinator) of a project",
    )
    assert_gains_nothing(att, company, before, "participation proposals")

    # Both ways: accepted, the participations hold …
    accept(att, join["id"])
    accept(att, invite["id"])
    assert v.project.participations.filter(organisation=world.member_company).exists()
    assert own_project.participations.filter(organisation=v.organisation).exists()
    # … and still give the participant no right over the project.
    assert rights_of(att, company, ("edit its project", "remove its project's participants")) == []


def participation_update(world, client) -> None:
    """A participant's role is set by the project's coordinator only: nobody makes itself
    coordinator or demotes another (403), and a change never moves the participation."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    mine = ParticipationFactory(project=v.project, organisation=world.member_company)
    before = victim_state(v)
    for participation, role in (
        (mine, "coordinator"),
        (v.coordination, "participant"),
        (v.bystander, "third_party"),
    ):
        expect(
            att.api(company, "patch", f"/api/participations/{participation.pk}", {"role": role}),
            403,
            what=f"a participant sets the role {role}",
        )
    assert_gains_nothing(att, company, before, "changing participations")
    other = ProjectFactory(acronym="ELSEWHERE")
    expect(
        att.api(
            v.editor,
            "patch",
            f"/api/participations/{mine.pk}",
            {"role": "third_party", "organisation": world.other_company.slug, "project": other.pk},
        ),
        200,
        what="the coordinator sets a participant's role",
    )
    mine.refresh_from_db()
    assert (mine.project_id, mine.organisation_id, mine.role) == (
        v.project.pk,
        world.member_company.pk,
        "third_party",
    )


def participation_delete(world, client) -> None:
    """Either side ends a participation — the participant leaves, the coordinator removes it — and
    nobody else, a keeper of the participant included (403)."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    mine = ParticipationFactory(project=v.project, organisation=world.member_company)
    before = victim_state(v)
    for user, participation in (
        (company, v.bystander),
        (company, v.coordination),
        (world.partnership_manager, mine),
        (world.partnership_manager, v.bystander),
    ):
        expect(
            att.api(user, "delete", f"/api/participations/{participation.pk}"),
            403,
            what="a stranger ends a participation",
        )
    assert_gains_nothing(att, company, before, "ending others' participations")
    expect(
        att.api(company, "delete", f"/api/participations/{mine.pk}"),
        204,
        what="the participant leaves",
    )


def relation_request_answer(world, client) -> None:
    """Only the side a proposal awaits accepts or declines it (403 to the proposer, 404 to those who
    may not see it); consent is not delegated: the manager of a cluster the organisation belongs to
    does not accept for it."""
    att, proposer = Attack(world, client), world.other_partnership_manager
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)
    seat = {"partnership": world.other_partnership.slug, "organisation": v.organisation.slug}
    proposal = expect(
        att.api(proposer, "post", "/api/partnership-members/", seat),
        202,
        what="a partnership manager offers the victim a seat",
    )
    url = f"/api/relation-requests/{proposal['id']}"
    expect(att.api(proposer, "post", f"{url}/accept"), 403, what="the proposer accepts")
    expect(
        att.api(vc.manager, "post", f"{url}/accept"),
        403,
        404,
        what="the victim's cluster manager accepts for it",
    )
    expect(att.api(world.company_user, "post", f"{url}/accept"), 404, what="a stranger accepts")
    expect(att.api(world.company_user, "get", url), 404, what="a stranger reads the request")
    assert_gains_nothing(att, proposer, before, "an unanswered seat proposal")

    # Declined, it grants nothing and cannot be accepted any more.
    expect(att.api(v.editor, "post", f"{url}/decline"), 200, what="the victim declines")
    expect(att.api(v.editor, "post", f"{url}/accept"), 409, what="accepting a declined request")
    assert_gains_nothing(att, proposer, before, "a declined seat proposal")

    # Both ways: proposed again and accepted by the victim's own editor, the seat holds.
    again = expect(
        att.api(proposer, "post", "/api/partnership-members/", seat),
        202,
        what="the seat is offered again",
    )
    accept(att, again["id"])
    assert rights_of(att, proposer, (EDIT, EMAIL)) == [EDIT, EMAIL]
    expect(
        att.api(proposer, "post", f"/api/relation-requests/{again['id']}/withdraw"),
        409,
        what="withdrawing an accepted request",
    )


# ------------------------------------------------------------------ scenarios: events


def meeting_request_create(world, client) -> None:
    """A meeting request is a proposal to the other participant: the requester cannot accept it, and
    neither the request nor the accepted meeting opens the other participant's agenda or the
    requests it received."""
    att, company = Attack(world, client), world.company_user
    v, ev = att.v, victim_event(att)
    before = victim_state(v)
    base = f"/api/events/{ev.event.slug}/requests"
    sent = expect(
        att.api(company, "post", base, {"requested": ev.v.pk, "message": "A asks the victim"}),
        201,
        what="a participant asks the victim for a meeting",
    )
    assert sent["status"] == "pending"
    expect(
        att.api(company, "post", f"{base}/{sent['id']}/accept"),
        403,
        what="the requester accepts its own request",
    )
    assert not opens_agenda(att, company, ev.v)
    assert not sees_requests_received(att, company, ev)
    assert_gains_nothing(att, company, before, "a meeting request")
    expect(
        att.api(v.editor, "post", f"{base}/{sent['id']}/accept"),
        200,
        what="the victim accepts",
    )
    assert MeetingRequest.objects.get(pk=sent["id"]).status == MeetingRequest.Status.ACCEPTED
    assert not opens_agenda(att, company, ev.v)
    assert not sees_requests_received(att, company, ev)
    assert rights_of(att, company) == []


def meeting_request_action(world, client) -> None:
    """The requested participant accepts or declines a meeting request and either participant
    withdraws it; nobody else — not the requester (accept), not a third participant, not the event's
    organiser (403)."""
    att = Attack(world, client)
    v, ev = att.v, victim_event(att)
    request = MeetingRequestFactory(requester=ev.a, requested=ev.v, status="pending")
    url = f"/api/events/{ev.event.slug}/requests/{request.pk}"
    for user, action in (
        (world.company_user, "accept"),
        (ev.t.user, "accept"),
        (ev.t.user, "withdraw"),
        (world.partnership_manager, "accept"),
        (world.partnership_manager, "decline"),
    ):
        expect(att.api(user, "post", f"{url}/{action}"), 403, what=f"a stranger does “{action}”")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.PENDING
    assert not opens_agenda(att, world.company_user, ev.v)
    expect(att.api(v.editor, "post", f"{url}/decline"), 200, what="the requested side declines")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED


# ------------------------------------------------------------------ scenarios: brokering


def profile_save(world, client) -> None:
    """A brokering profile is filled only for an organisation one keeps (403 otherwise, its needs
    untouched; a proposed membership keeps nothing), and a keeper through a relation never makes
    a confidential need public nor removes it; a new organisation of the same name is another
    organisation, whose only editor is its creator."""
    att, company, manager = Attack(world, client), world.company_user, world.cluster_manager
    v = att.v
    before = victim_state(v)
    hijack = {"organisation": v.organisation.slug, "summary": "Taken over", "needs": []}
    for user in (company, manager, world.partnership_manager, v.ally_user):
        expect(
            att.api(user, "post", "/api/brokering/profiles", hijack),
            403,
            what="a stranger fills the victim's profile",
        )
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/memberships/",
            {"organisation": v.organisation.slug, "cluster": world.cluster.slug},
        ),
        202,
        what="the cluster manager proposes a membership",
    )
    expect(
        att.api(manager, "post", "/api/brokering/profiles", hijack),
        403,
        what="the manager of a proposed membership fills the profile",
    )
    assert_gains_nothing(att, manager, before, "filling another's profile")
    twin = expect(
        att.api(
            company,
            "post",
            "/api/brokering/profiles",
            {"new_name": v.organisation.name, "new_country": "IT", "summary": "A namesake"},
        ),
        200,
        what="a company creates an organisation of the victim's name",
    )
    assert twin["organisation"] != v.organisation.slug
    assert_gains_nothing(att, company, before, "creating a namesake")
    # Both ways: accepted, the membership makes the manager a keeper of the profile.
    accept(att, proposal["id"])
    kept = {
        "organisation": v.organisation.slug,
        "summary": "Kept by the cluster",
        "sector": "Robotics",
        "needs": [
            {
                "id": v.need.pk,
                "kind": v.need.kind,
                "description": v.need.description,
                "confidential": True,
            }
        ],
    }
    expect(
        att.api(manager, "post", "/api/brokering/profiles", kept),
        200,
        what="the keeping manager fills the member's profile",
    )


def introduction_create(world, client) -> None:
    """An introduction is asked only in the name of an organisation one acts for (403 otherwise),
    through the need's random ref (its id only for those who know its owner); it is a proposal
    that shows nothing of the need until the need's owner accepts it."""
    att, asker = Attack(world, client), world.other_company_user
    v = att.v
    before = victim_state(v)
    url = f"/api/brokering/needs/{v.need.ref}/introductions"
    company_need = NeedFactory(
        profile=ProfileFactory(organisation=world.member_company),
        description="Company confidential need",
        confidential=True,
    )
    for user, need, requester in (
        (asker, v.need, v.ally),  # an organisation it does not act for
        (world.cluster_manager, v.need, world.cluster_member),  # kept, not its own
        (asker, company_need, v.organisation),  # in the victim's name
    ):
        expect(
            att.api(
                user,
                "post",
                f"/api/brokering/needs/{need.ref}/introductions",
                {"requester": requester.slug},
            ),
            403,
            what=f"an introduction asked in the name of {requester.name}",
        )
    asked = expect(
        att.api(asker, "post", url, {"requester": world.other_company.slug}),
        201,
        what="an introduction asked for one's own organisation",
    )
    assert asked["status"] == "pending"
    assert_gains_nothing(att, asker, before, "asking an introduction")
    expect(
        att.api(v.editor, "post", f"/api/brokering/introductions/{asked['id']}/accept"),
        200,
        what="the need's owner accepts",
    )
    assert reads_need(att, asker)


def introduction_answer(world, client) -> None:
    """An introduction is answered only by a keeper of the need's profile who does not act for the
    requester (403 otherwise: not the requester, not a cluster whose membership is only proposed).
    """
    att, manager = Attack(world, client), world.cluster_manager
    v = att.v
    expect(
        att.api(
            manager,
            "post",
            "/api/memberships/",
            {"organisation": v.organisation.slug, "cluster": world.cluster.slug},
        ),
        202,
        what="the cluster manager proposes a membership",
    )
    before = victim_state(v)
    url = f"/api/brokering/introductions/{v.introduction.pk}"
    for user in (v.ally_user, manager, world.company_user, world.partnership_manager):
        for action in ("accept", "decline"):
            expect(
                att.api(user, "post", f"{url}/{action}"),
                403,
                what=f"someone other than the owner does “{action}”",
            )
    v.introduction.refresh_from_db()
    assert v.introduction.status == Introduction.Status.PENDING
    assert not reads_need(att, v.ally_user)
    assert_gains_nothing(att, manager, before, "answering another's introduction")
    expect(att.api(v.editor, "post", f"{url}/accept"), 200, what="the need's owner accepts")
    assert reads_need(att, v.ally_user)


def consortium(world, client) -> None:
    """The consortium builder only computes: it writes no record and grants nothing over the
    organisations it proposes, a fixed coordinator included."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    term = TermFactory(code="ESC2", label="Escalation robotics")
    CompetenceFactory(organisation=v.organisation, term=term)
    CompetenceFactory(organisation=v.ally, term=term)
    att.token(company)
    before, counts = victim_state(v), row_counts()
    proposals = expect(
        att.api(
            company,
            "post",
            "/api/brokering/consortium",
            {"competences": [_term_key(term)], "coordinator": v.organisation.slug},
        ),
        200,
        what="a consortium proposed around the victim",
    )
    assert proposals and any(
        member["organisation_id"] == v.organisation.pk for member in proposals[0]["members"]
    )
    written = {k: (counts[k], n) for k, n in row_counts().items() if counts.get(k) != n}
    assert not written, f"the consortium builder wrote records: {written}"
    assert_gains_nothing(att, company, before, "a consortium proposal")


# ------------------------------------------------------------------ scenarios: plans


def _action_rules(att: Attack, send: Callable[[dict], object]) -> None:
    """Shared by creating and changing an action: `send(body)` makes the request."""
    world, v, manager = att.world, att.v, att.world.partnership_manager
    before = victim_state(v)
    foreign_event = EventFactory(slug="foreign-fair", partnership=world.other_partnership)
    for field, value in (
        ("lead", v.organisation.slug),
        ("contributors", [v.organisation.slug]),
        ("events", [foreign_event.slug]),
        ("projects", [v.project.pk]),
    ):
        response = send({"title": f"Action naming the victim as {field}", field: value})
        expect(response, 422, what=f"an action naming a stranger's record in “{field}”")
        assert field in detail(response), f"the refusal does not name “{field}”"
    assert_gains_nothing(att, manager, before, "naming the victim in the action plan")
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/partnership-members/",
            {"partnership": world.partnership.slug, "organisation": v.organisation.slug},
        ),
        202,
        what="the manager offers the victim a seat",
    )
    expect(
        send({"title": "Led by a proposed member", "lead": v.organisation.slug}),
        422,
        what="a proposed member named lead",
    )
    accept(att, proposal["id"])
    expect(
        send(
            {
                "title": "Led by an accepted member",
                "lead": v.organisation.slug,
                "contributors": [v.organisation.slug],
                "projects": [v.project.pk],
            }
        ),
        200,
        201,
        what="an accepted member named lead and contributor, with its project",
    )


def action_create(world, client) -> None:
    """An action's lead and contributors are accepted members of the partnership, its events the
    partnership's own and its projects those of its members (422 naming the field otherwise); naming
    them grants nothing."""
    att = Attack(world, client)
    url = f"/api/plans/{world.partnership.slug}/actions"
    _action_rules(att, lambda body: att.api(world.partnership_manager, "post", url, body))


def action_update(world, client) -> None:
    """Changing an action follows the same rule: lead and contributors are accepted members, events
    the partnership's own, projects those of its members (422 otherwise)."""
    att = Attack(world, client)
    action = ActionFactory(partnership=world.partnership, title="Existing action")
    url = f"/api/plans/{world.partnership.slug}/actions/{action.pk}"
    _action_rules(att, lambda body: att.api(world.partnership_manager, "put", url, body))


def roadmap_answer(world, client) -> None:
    """A cluster's roadmap is answered only by those who act for the cluster or keep it through a
    relation it accepted (403 otherwise, no version written)."""
    att, manager = Attack(world, client), world.partnership_manager
    v, vc = att.v, victim_cluster(att)
    before = victim_state(v)
    url = f"/api/plans/roadmaps/{vc.cluster.slug}"
    body = {"answered_on": "2026-02-01", "answers": {"1": "Hijacked answer"}}
    for user in (manager, world.cluster_manager, world.company_user, v.editor):
        expect(att.api(user, "post", url, body), 403, what="a stranger answers the roadmap")
    proposal = expect(
        att.api(
            manager,
            "post",
            "/api/partnership-members/",
            {"partnership": world.partnership.slug, "organisation": vc.cluster.slug},
        ),
        202,
        what="the manager offers the cluster a seat",
    )
    expect(att.api(manager, "post", url, body), 403, what="the roadmap answered on a proposal")
    assert not RoadmapVersion.objects.filter(cluster=vc.cluster).exists()
    assert_gains_nothing(att, manager, before, "answering another's roadmap")
    accept(att, proposal["id"], user=vc.manager)
    expect(att.api(manager, "post", url, body), 201, what="the keeping manager answers")


# ------------------------------------------------------------------ scenarios: evaluation


def application_submit(world, client) -> None:
    """An organisation applies only through those who act for it or keep it (403 otherwise), naming
    only a project it accepted to take part in (422 naming the project otherwise)."""
    att, company = Attack(world, client), world.company_user
    v = att.v
    before = victim_state(v)
    url = "/api/evaluation/applications"
    base = {"call": v.call.slug, "title": "Hijacked application", "summary": "Not ours."}
    for user in (company, world.cluster_manager, world.partnership_manager, v.ally_user):
        expect(
            att.api(user, "post", url, base | {"organisation": v.organisation.slug}),
            403,
            what="a stranger applies in the victim's name",
        )
    join = expect(
        att.api(
            company,
            "post",
            "/api/participations/",
            {"project": v.project.pk, "organisation": world.member_company.slug},
        ),
        202,
        what="the company asks to join the victim's project",
    )
    on_project = base | {
        "organisation": world.member_company.slug,
        "project": v.project.pk,
        "title": "Our part of the victim's project",
    }
    response = att.api(company, "post", url, on_project)
    expect(response, 422, what="an application naming a project the applicant only asked to join")
    assert "project" in detail(response)
    assert_gains_nothing(att, company, before, "applying")
    accept(att, join["id"])
    expect(att.api(company, "post", url, on_project), 201, what="applying as an accepted partner")


def evaluator_assign(world, client) -> None:
    """A call's manager assigns only evaluators without a conflict of interest — the submitter is
    refused with a 409, the applicant's people and project partners too — and nothing is assigned;
    an assignment lets the evaluator read that application and nothing else of the applicant."""
    att = Attack(world, client)
    v, manager = att.v, att.v.call_manager
    url = f"/api/evaluation/applications/{v.application.pk}/assignments"
    response = att.api(manager, "post", url, {"evaluator": v.editor.username})
    expect(response, 409, what="the submitter assigned as evaluator")
    assert "evaluator" in detail(response)
    partner = PositionFactory(organisation=v.bystander.organisation).person.user
    for user in (v.contact.user, partner):
        expect(
            att.api(manager, "post", url, {"evaluator": user.username}),
            409,
            422,
            what="a person in conflict of interest assigned",
        )
    independent = UserFactory(username="independent-evaluator")
    expect(
        att.api(v.editor, "post", url, {"evaluator": independent.username}),
        403,
        what="the applicant picks its evaluator",
    )
    assert not v.application.assignments.exists()
    before = victim_state(v)
    expect(
        att.api(manager, "post", url, {"evaluator": independent.username}),
        201,
        what="an independent evaluator assigned",
    )
    assert sees_application(att, independent)
    assert rights_of(att, independent, [r for r in RIGHTS if r != APPLICATIONS]) == []
    assert victim_state(v)["assignments"] != before["assignments"]


def evaluator_remove(world, client) -> None:
    """Only the call's managers take an evaluator off an application (403 to the applicant and to
    the evaluator, 404 to whoever does not see the application)."""
    att = Attack(world, client)
    v = att.v
    evaluator = UserFactory(username="assigned-evaluator")
    assignment = Assignment.objects.create(application=v.application, evaluator=evaluator)
    Application.objects.filter(pk=v.application.pk).update(state=Application.State.IN_EVALUATION)
    before = victim_state(v)
    url = f"/api/evaluation/applications/{v.application.pk}/assignments/{assignment.pk}"
    expect(att.api(v.editor, "delete", url), 403, what="the applicant removes its evaluator")
    expect(att.api(evaluator, "delete", url), 403, what="the evaluator removes itself")
    for user in (world.partnership_manager, world.company_user):
        expect(att.api(user, "delete", url), 404, what="a stranger removes the evaluator")
    assert_unchanged(att, before, "removing another call's evaluator")
    expect(att.api(v.call_manager, "delete", url), 204, what="the call's manager removes it")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


# ------------------------------------------------------------------ scenarios: invitations


ACCEPT_LINK = re.compile(r"/invitations/accept/([A-Za-z0-9_-]+)/")


def invitation_token(address: str) -> str:
    """The token of the last invitation sent to `address`, as its e-mail (or the notice of the
    account with that address) carries it."""
    texts = list(
        OutgoingEmail.objects.filter(kind="invitation", to_address__iexact=address)
        .order_by("-pk")
        .values_list("body_text", flat=True)
    )
    texts += list(
        Notification.objects.filter(kind="invitation", recipient__email__iexact=address)
        .order_by("-pk")
        .values_list("url", flat=True)
    )
    for text in texts:
        if found := ACCEPT_LINK.search(text):
            return found.group(1)
    raise AssertionError(f"no invitation link was sent to {address}")


def assert_link_only_to(token: str, address: str) -> None:
    """The invitation link of `token` went to `address` (its e-mail, or the notices of the
    account with that address) and to nobody else."""
    elsewhere = [
        e.to_address
        for e in OutgoingEmail.objects.filter(
            Q(body_text__contains=token) | Q(body_html__contains=token)
        )
        if e.to_address.lower() != address.lower()
    ] + [
        n.recipient.get_username()
        for n in Notification.objects.filter(
            Q(url__contains=token) | Q(body__contains=token)
        ).select_related("recipient")
        if (n.recipient.email or "").lower() != address.lower()
    ]
    assert not elsewhere, f"the invitation link for {address} also went to {elsewhere}"


def invitee(name: str):
    """A person with an account, not yet in any organisation, reached at `name`@newcomer.example."""
    return UserFactory(username=name, email=f"{name}@newcomer.example")


def invite(att: Attack, user, organisation: Organisation, address: str, role: str = "editor"):
    body = {"email": address, "organisation": organisation.slug, "role": role}
    return att.api(user, "post", "/api/invitations/", body)


def accept_invitation(att: Attack, user, token: str):
    return att.api(user, "post", "/api/invitations/accept", {"token": token})


def member_without_editor(att: Attack, cluster: Organisation, slug: str) -> Organisation:
    """An accepted member of `cluster` with no editor of its own (its keepers invite its first)."""
    organisation = OrganisationFactory(name=slug.replace("-", " ").title(), slug=slug)
    MembershipFactory(organisation=organisation, cluster=cluster)
    return organisation


def invitation_create(world, client) -> None:
    """An invitation is made only to an organisation whose people the inviter takes in: its own
    editors (a cluster's: its managers), admins, or a keeper through an accepted membership or seat
    while it has no editor of its own (403 to anyone else, nothing sent); it grants nothing until
    the invited person accepts, and its link goes to the invited address only, never into the
    API."""
    att = Attack(world, client)
    v, vc, va = att.v, victim_cluster(att), victim_alliance(att)
    cluster_editor = PositionFactory(organisation=vc.cluster, role=Position.Role.EDITOR).person.user
    spy = "spy@attacker.example"
    before = victim_state(v)
    invitations, emails = Invitation.objects.count(), OutgoingEmail.objects.count()
    # Strangers, and the keepers of the victim (its cluster's and its partnership's managers):
    # the victim has an editor of its own, who alone takes people in.
    for user in (
        world.company_user,
        world.cluster_manager,
        world.partnership_manager,
        v.ally_user,
        vc.manager,
        va.manager,
    ):
        for role in ("editor", "manager"):
            expect(
                invite(att, user, v.organisation, spy, role),
                403,
                what=f"a stranger or keeper invites a {role} to the victim",
            )
    expect(
        invite(att, v.editor, v.organisation, spy, "manager"),
        403,
        what="a company's editor invites a manager",
    )
    for user in (v.editor, cluster_editor, world.cluster_manager):
        expect(
            invite(att, user, vc.cluster, spy),
            403,
            what="someone other than its managers invites to a cluster",
        )
    assert Invitation.objects.count() == invitations, "a refused invitation was recorded"
    assert OutgoingEmail.objects.count() == emails, "a refused invitation sent an e-mail"
    assert_gains_nothing(att, world.company_user, before, "inviting to the victim")
    assert_unchanged(att, before, "the keepers inviting to the victim")

    # Both ways: the victim's own editor invites; nothing is given until the person accepts.
    newcomer = invitee("newcomer")
    response = invite(att, v.editor, v.organisation, newcomer.email)
    sent = expect(response, 201, what="the victim's editor invites a colleague")
    assert sent["status"] == "pending"
    token = invitation_token(newcomer.email)
    listed = att.api(v.editor, "get", "/api/invitations/?status=all")
    for shown in (response, listed):
        assert token not in _text(shown), "the API showed an invitation's link"
    assert_link_only_to(token, newcomer.email)
    assert rights_of(att, newcomer) == []
    assert_unchanged(att, before, "an invitation not yet accepted")
    expect(accept_invitation(att, newcomer, token), 200, what="the invited person accepts")
    assert rights_of(att, newcomer, (EDIT, NEED)) == [EDIT, NEED]

    # A keeper invites the first editor of a member that has none, and no further one.
    spinoff = member_without_editor(att, vc.cluster, "victim-spinoff")
    first, second = invitee("first"), invitee("second")
    expect(
        invite(att, world.cluster_manager, spinoff, first.email),
        403,
        what="another cluster's manager invites to the member",
    )
    expect(
        invite(att, vc.manager, spinoff, first.email),
        201,
        what="the cluster's manager invites the first editor of its member",
    )
    expect(
        accept_invitation(att, first, invitation_token(first.email)),
        200,
        what="the member's first editor accepts",
    )
    assert edits_organisation(att, first, spinoff)
    expect(
        invite(att, vc.manager, spinoff, second.email),
        403,
        what="the cluster's manager invites to a member with an editor of its own",
    )
    expect(
        invite(att, first, spinoff, second.email),
        201,
        what="the member's own editor invites a colleague",
    )


def invitation_accept(world, client) -> None:
    """An invitation is accepted with its link by the person it reached, never by its sender (403);
    a used, revoked or expired one is refused (410), and it is checked again at acceptance: a
    keeper's invitation to a member grants nothing once the member has an editor of its own or has
    left."""
    att = Attack(world, client)
    v, vc = att.v, victim_cluster(att)
    newcomer = invitee("newcomer")
    sent = expect(
        invite(att, v.editor, v.organisation, newcomer.email),
        201,
        what="the victim's editor invites a colleague",
    )
    token = invitation_token(newcomer.email)
    before = victim_state(v)
    expect(accept_invitation(att, v.editor, token), 403, what="the sender accepts")
    for forged in (token[:-3], str(sent["id"]), ""):
        expect(
            accept_invitation(att, world.company_user, forged),
            422,
            what="an invitation accepted with a forged token",
        )
    assert Invitation.objects.get(pk=sent["id"]).status == Invitation.Status.PENDING
    assert_gains_nothing(att, world.company_user, before, "accepting without the link")
    expect(accept_invitation(att, newcomer, token), 200, what="the invited person accepts")
    assert rights_of(att, newcomer, (EDIT,)) == [EDIT]
    expect(accept_invitation(att, world.company_user, token), 410, what="a used link, again")
    assert not edits_organisation(att, world.company_user)

    # An expired invitation gives nothing.
    late = invitee("late")
    expect(invite(att, v.editor, v.organisation, late.email), 201, what="another invitation")
    late_token = invitation_token(late.email)
    Invitation.objects.filter(email=late.email).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expect(accept_invitation(att, late, late_token), 410, what="an expired invitation accepted")
    assert not edits_organisation(att, late)

    # A keeper's invitations hold only while it may still give the role.
    spinoff = member_without_editor(att, vc.cluster, "victim-spinoff")
    lab = member_without_editor(att, vc.cluster, "victim-lab")
    first, second, third = invitee("first"), invitee("second"), invitee("third")
    for person, organisation in ((first, spinoff), (second, spinoff), (third, lab)):
        expect(
            invite(att, vc.manager, organisation, person.email),
            201,
            what="the cluster's manager invites to a member without editor",
        )
    tokens = {p.pk: invitation_token(p.email) for p in (first, second, third)}
    expect(
        accept_invitation(att, vc.manager, tokens[first.pk]),
        403,
        what="the keeper accepts the invitation it sent (and makes itself the member's editor)",
    )
    assert not Position.objects.filter(organisation=spinoff).exists()
    expect(accept_invitation(att, first, tokens[first.pk]), 200, what="the first editor accepts")
    assert edits_organisation(att, first, spinoff)
    expect(
        accept_invitation(att, second, tokens[second.pk]),
        410,
        what="a keeper's invitation to a member that has an editor of its own now",
    )
    assert not edits_organisation(att, second, spinoff)
    membership = Membership.objects.get(organisation=lab, cluster=vc.cluster)
    expect(
        att.api(vc.manager, "delete", f"/api/memberships/{membership.pk}"),
        204,
        what="the cluster removes the member",
    )
    expect(
        accept_invitation(att, third, tokens[third.pk]),
        410,
        what="a keeper's invitation to an organisation that left the cluster",
    )
    assert not edits_organisation(att, third, lab)


def invitation_resend(world, client) -> None:
    """An invitation is sent again only by those who manage it — its sender, or whoever may invite
    to its organisation now (404 to anyone else, 403 to a sender who no longer may) — with a new
    link that goes to the invited address only, never into the API; the earlier link stops
    working."""
    att = Attack(world, client)
    v, vc, va = att.v, victim_cluster(att), victim_alliance(att)
    newcomer = invitee("newcomer")
    sent = expect(
        invite(att, v.editor, v.organisation, newcomer.email),
        201,
        what="the victim's editor invites a colleague",
    )
    old = invitation_token(newcomer.email)
    before = victim_state(v)
    url = f"/api/invitations/{sent['id']}/resend"
    for user in (world.company_user, world.cluster_manager, vc.manager, va.manager, newcomer):
        expect(att.api(user, "post", url), 404, what="a stranger resends the invitation")
    assert Invitation.objects.get(pk=sent["id"]).resend_count == 0
    assert invitation_token(newcomer.email) == old, "a refused resend sent a new link"
    assert_gains_nothing(att, world.company_user, before, "resending another's invitation")

    response = att.api(v.editor, "post", url)
    expect(response, 200, what="the sender resends")
    new = invitation_token(newcomer.email)
    assert new != old and new not in _text(response)
    assert_link_only_to(new, newcomer.email)
    expect(accept_invitation(att, newcomer, old), 422, what="the earlier link")
    assert rights_of(att, newcomer, (EDIT,)) == []
    expect(accept_invitation(att, newcomer, new), 200, what="the new link")
    assert rights_of(att, newcomer, (EDIT,)) == [EDIT]

    # A keeper that invited a member's first editor may not resend once the member has one.
    spinoff = member_without_editor(att, vc.cluster, "victim-spinoff")
    late = invitee("late")
    pending = expect(
        invite(att, vc.manager, spinoff, late.email),
        201,
        what="the cluster's manager invites to a member without editor",
    )
    PositionFactory(organisation=spinoff, role=Position.Role.EDITOR)
    expect(
        att.api(vc.manager, "post", f"/api/invitations/{pending['id']}/resend"),
        403,
        what="a keeper resends once the member has an editor of its own",
    )


def invitation_revoke(world, client) -> None:
    """An invitation is revoked only by those who manage it (404 to anyone else: the invited
    person, and the keepers of an organisation with an editor of its own, included); once revoked
    its link gives nothing (410)."""
    att = Attack(world, client)
    v, vc, va = att.v, victim_cluster(att), victim_alliance(att)
    newcomer = invitee("newcomer")
    sent = expect(
        invite(att, v.editor, v.organisation, newcomer.email),
        201,
        what="the victim's editor invites a colleague",
    )
    token = invitation_token(newcomer.email)
    before = victim_state(v)
    url = f"/api/invitations/{sent['id']}/revoke"
    for user in (world.company_user, world.cluster_manager, vc.manager, va.manager, newcomer):
        expect(att.api(user, "post", url), 404, what="a stranger revokes the invitation")
    assert Invitation.objects.get(pk=sent["id"]).status == Invitation.Status.PENDING
    assert_gains_nothing(att, world.company_user, before, "revoking another's invitation")
    revoked = expect(att.api(v.editor, "post", url), 200, what="the sender revokes")
    assert revoked["status"] == "revoked"
    expect(accept_invitation(att, newcomer, token), 410, what="a revoked invitation accepted")
    assert rights_of(att, newcomer) == []
    assert_unchanged(att, before, "a revoked invitation")


# ------------------------------------------------------------------ scenarios: join requests


def ask_to_join(att: Attack, user, organisation: Organisation) -> dict:
    return expect(
        att.api(
            user,
            "post",
            "/api/join-requests/",
            {"organisation": organisation.slug, "message": "Let me in"},
        ),
        201,
        what=f"asking to join {organisation.name}",
    )


def join_request_create(world, client) -> None:
    """Anyone may ask to become an editor of an organisation, and the request grants nothing until
    the organisation's own editors (a cluster's: its managers) or an admin accept it — not the
    requester, nor the managers of a cluster or partnership it belongs to, nor a cluster's editors
    or its members' editors."""
    att, company = Attack(world, client), world.company_user
    v, vc, va = att.v, victim_cluster(att), victim_alliance(att)
    cluster_editor = PositionFactory(organisation=vc.cluster, role=Position.Role.EDITOR).person.user
    before = victim_state(v)
    asked = ask_to_join(att, company, v.organisation)
    assert asked["status"] == "pending"
    assert_gains_nothing(att, company, before, "a join request")
    url = f"/api/join-requests/{asked['id']}/accept"
    expect(att.api(company, "post", url), 403, what="the requester accepts its own request")
    for user in (vc.manager, va.manager, world.cluster_manager, v.ally_user):
        expect(att.api(user, "post", url), 404, what="a keeper or a stranger accepts")
    assert JoinRequest.objects.get(pk=asked["id"]).status == JoinRequest.Status.PENDING
    assert_gains_nothing(att, company, before, "a join request accepted by others")

    # Asking to join a cluster: neither its editors nor its members' editors answer.
    to_cluster = ask_to_join(att, company, vc.cluster)
    cluster_url = f"/api/join-requests/{to_cluster['id']}/accept"
    for user in (v.editor, cluster_editor):
        expect(
            att.api(user, "post", cluster_url),
            403,
            404,
            what="someone other than its managers accepts for the cluster",
        )
    assert not edits_organisation(att, company, vc.cluster)

    # Both ways: accepted by the organisations' own people, the requester is an editor.
    expect(att.api(v.editor, "post", url), 200, what="the victim's own editor accepts")
    assert rights_of(att, company, (EDIT, NEED)) == [EDIT, NEED]
    expect(att.api(vc.manager, "post", cluster_url), 200, what="the cluster's manager accepts")
    assert edits_organisation(att, company, vc.cluster)


def join_request_answer(world, client) -> None:
    """A join request is answered only by the organisation's own editors (a cluster's: its
    managers) or an admin: the requester gets a 403, the managers of a cluster or partnership the
    organisation belongs to and everyone else a 404 — consent is not delegated, even for a member
    with no editor of its own; only the requester withdraws it, and a declined one grants
    nothing."""
    att = Attack(world, client)
    v, vc, va = att.v, victim_cluster(att), victim_alliance(att)
    requester = world.other_company_user
    asked = ask_to_join(att, requester, v.organisation)
    before = victim_state(v)
    url = f"/api/join-requests/{asked['id']}"
    for action in ("accept", "decline"):
        expect(att.api(requester, "post", f"{url}/{action}"), 403, what=f"the requester {action}s")
    for user in (vc.manager, va.manager, world.cluster_manager, world.company_user):
        for action in ("accept", "decline", "withdraw"):
            expect(
                att.api(user, "post", f"{url}/{action}"),
                404,
                what=f"a keeper or a stranger does “{action}”",
            )
    expect(att.api(v.editor, "post", f"{url}/withdraw"), 403, what="the editor withdraws it")
    assert JoinRequest.objects.get(pk=asked["id"]).status == JoinRequest.Status.PENDING
    assert_gains_nothing(att, requester, before, "answering another's join request")

    declined = expect(att.api(v.editor, "post", f"{url}/decline"), 200, what="the editor declines")
    assert declined["status"] == "declined"
    expect(att.api(v.editor, "post", f"{url}/accept"), 409, what="accepting a declined request")
    assert_gains_nothing(att, requester, before, "a declined join request")
    again = ask_to_join(att, requester, v.organisation)
    expect(
        att.api(v.editor, "post", f"/api/join-requests/{again['id']}/accept"),
        200,
        what="the victim's own editor accepts",
    )
    assert rights_of(att, requester, (EDIT,)) == [EDIT]

    # A member without editor: its keeper still does not answer for it; an admin does.
    spinoff = member_without_editor(att, vc.cluster, "victim-spinoff")
    newcomer = invitee("newcomer")
    to_member = ask_to_join(att, newcomer, spinoff)
    member_url = f"/api/join-requests/{to_member['id']}/accept"
    expect(att.api(vc.manager, "post", member_url), 404, what="the keeper accepts for its member")
    assert not edits_organisation(att, newcomer, spinoff)
    expect(att.api(world.admin, "post", member_url), 200, what="an admin accepts")
    assert edits_organisation(att, newcomer, spinoff)


RULES: dict[str, Callable] = {
    "create_memberships": membership_create,
    "update_memberships": membership_update,
    "delete_memberships": membership_delete,
    "create_partnerships": partnership_create,
    "create_projects": project_create,
    "update_partnerships": partnership_update,
    "create_partnership_members": seat_create,
    "update_partnership_members": seat_update,
    "delete_partnership_members": seat_delete,
    "create_competences": competence_create,
    "create_participations": participation_create,
    "update_participations": participation_update,
    "delete_participations": participation_delete,
    "answer_relation_request": relation_request_answer,
    "clusterbroker_api_events_create_request": meeting_request_create,
    "clusterbroker_api_events_act_on_request": meeting_request_action,
    "clusterbroker_api_brokering_save_profile": profile_save,
    "clusterbroker_api_brokering_introduce": introduction_create,
    "clusterbroker_api_brokering_answer": introduction_answer,
    "clusterbroker_api_brokering_consortium": consortium,
    "clusterbroker_api_plans_create_action": action_create,
    "clusterbroker_api_plans_update_action": action_update,
    "clusterbroker_api_plans_answer_roadmap": roadmap_answer,
    "submit_application": application_submit,
    "assign_evaluator": evaluator_assign,
    "remove_evaluator": evaluator_remove,
    "create_invitation": invitation_create,
    "accept_invitation": invitation_accept,
    "resend_invitation": invitation_resend,
    "revoke_invitation": invitation_revoke,
    "create_join_request": join_request_create,
    "answer_join_request": join_request_answer,
}


def rule_text(scenario: Callable) -> str:
    """The rule a scenario checks: the first paragraph of its docstring, on one line."""
    return " ".join((scenario.__doc__ or "").strip().split("\n\n")[0].split())


def doc_rows() -> str:
    """The rows of the relation-operations table of docs/permissions.md."""
    return "\n".join(f"| `{op}` | {rule_text(RULES[op])} |" for op in sorted(RULES))
