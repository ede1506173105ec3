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
from clusterbroker.events.models import MeetingRequest
from clusterbroker.plans.models import RoadmapVersion
from clusterbroker.registry.models import Organisation, RelationRequest

from ..community.factories import OfferFactory
from ..events.factories import EventFactory, MeetingRequestFactory, SessionFactory
from ..factories import ClusterFactory, TermFactory, UserFactory
from ..plans.factories import ActionFactory

# The scenarios' asserts are in a helper module: have pytest explain them as in a test.
pytest.register_assert_rewrite("tests.security.escalation")

from .escalation import (  # noqa: E402
    RULES,
    Attack,
    api_schema,
    assert_gains_nothing,
    assert_unchanged,
    edits_organisation,
    expect,
    opens_agenda,
    relation_operations,
    relation_operations_with_reasons,
    rule_text,
    sees_requests_received,
    victim_cluster,
    victim_event,
    victim_state,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """Profiles are saved with the model-free encoder and the brokering index is rebuilt in
    the request, as in the brokering tests; files go to a temporary data directory."""
    settings.DATA_DIR = tmp_path
    settings.BROKERING_BACKGROUND_REBUILD = False
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
    """Assigning on the application's page follows the conflict rule: the submitter is refused (409)
    and nothing is assigned; only the call's managers assign."""
    att = Attack(world, client)
    v = att.v
    url = f"/community/applications/{v.application.pk}/"
    response = att.page(
        v.call_manager, "post", url, {"action": "assign", "username": v.editor.username}
    )
    expect(response, 409, what="the submitter assigned on the page")
    independent = UserFactory(username="page-evaluator")
    response = att.page(
        v.editor, "post", url, {"action": "assign", "username": independent.username}
    )
    assert response.status_code in (403, 404), "the applicant picked its evaluator"
    assert not v.application.assignments.exists()
    expect(
        att.page(
            v.call_manager, "post", url, {"action": "assign", "username": independent.username}
        ),
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
    row, and the organisation stays as it was."""
    att, manager = Attack(world, client), world.cluster_manager
    v = att.v
    before = victim_state(v)
    for content in (
        "name,country,city,type\nVictim Robotics,IT,Taken,other\n",
        "slug,name,country\nvictim-robotics,Renamed Robotics,IT\n",
    ):
        upload = SimpleUploadedFile("organisations.csv", content.encode(), "text/csv")
        response = att.page(manager, "post", "/import/organisations/", {"file": upload})
        expect(response, 400, what="an import row matching the victim")
    assert_gains_nothing(att, manager, before, "importing over the victim")


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
    "plans:action-create": page_action_create,
    "plans:action-edit": page_action_edit,
    "plans:roadmap": page_roadmap,
    "importers:organisations": page_import,
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
        ],
        "signs in or out": ["login", "logout"],
        "the steps of brokering:questionnaire, checked with its rule": [
            "brokering:questionnaire-step"
        ],
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
