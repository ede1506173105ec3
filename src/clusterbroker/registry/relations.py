"""Relations between an organisation and a cluster, a partnership or a project, with consent.

A relation has two sides: the organisation that joins, and the counterpart (the cluster, the
partnership or the project). Whoever acts for both sides creates the relation at once;
whoever acts for one side only makes a proposal (`RelationRequest`) that the other side
accepts or declines, and the proposal grants nothing until then. Two proposals of the same
relation from both sides meet: the second one accepts the first.

Who acts for a side, when consenting (see docs/permissions.md):
- the organisation: its own editors and managers (a position in it), and platform admins;
- a cluster: its own managers and editors;
- a partnership: its managers;
- a project: the own editors of its coordinator (a project is created with its coordinator;
  one that has none is answered for by platform admins only).
Consent is never delegated: a cluster manager keeps their members' records but does not
accept relations on their behalf.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbroker.notifications import kinds as notice_kinds
from clusterbroker.notifications.service import notify

from . import permissions
from .models import (
    Membership,
    Organisation,
    Participation,
    PartnershipMember,
    PartnershipRole,
    Position,
    RelationRequest,
)

Kind = RelationRequest.Kind
Side = RelationRequest.Side
Status = RelationRequest.Status

RELATION_MODELS: dict[str, type[Model]] = {
    Kind.MEMBERSHIP: Membership,
    Kind.PARTNERSHIP_MEMBER: PartnershipMember,
    Kind.PARTICIPATION: Participation,
}


class RelationConflict(ValidationError):
    """The relation exists already, or the request was answered already (an HTTP 409)."""


@dataclass(frozen=True)
class Outcome:
    """What a proposal led to: the relation itself, or a request waiting for the other side."""

    relation: Model | None = None
    request: RelationRequest | None = None

    @property
    def pending(self) -> bool:
        return self.relation is None


def kind_of(relation: Model) -> str:
    for kind, model in RELATION_MODELS.items():
        if isinstance(relation, model):
            return kind
    raise TypeError(f"not a relation: {relation!r}")


def counterpart_field(kind: str) -> str:
    return {
        Kind.MEMBERSHIP: "cluster",
        Kind.PARTNERSHIP_MEMBER: "partnership",
        Kind.PARTICIPATION: "project",
    }[kind]


def _counterpart(relation: Model):
    return getattr(relation, counterpart_field(kind_of(relation)))


def acts_for_organisation(user, organisation: Organisation) -> bool:
    """May consent for the organisation: its own editors and managers, and admins."""
    return permissions.is_platform_admin(user) or (
        organisation.pk in permissions.own_organisation_ids(user)
    )


def coordinator_ids(project) -> set[int]:
    return set(
        project.participations.filter(role=Participation.Role.COORDINATOR).values_list(
            "organisation_id", flat=True
        )
    )


def acts_for_counterpart(user, kind: str, counterpart) -> bool:
    """May consent for the cluster, the partnership or the project."""
    if permissions.is_platform_admin(user):
        return True
    if kind == Kind.MEMBERSHIP:
        return counterpart.pk in permissions.own_organisation_ids(user)
    if kind == Kind.PARTNERSHIP_MEMBER:
        return counterpart.pk in permissions.managed_partnership_ids(user)
    return bool(coordinator_ids(counterpart) & permissions.own_organisation_ids(user))


def may_propose(user, relation: Model) -> bool:
    kind = kind_of(relation)
    return acts_for_organisation(user, relation.organisation) or acts_for_counterpart(
        user, kind, _counterpart(relation)
    )


def may_change_role(user, relation: Model) -> bool:
    """A relation's role (board member, coordinator …) is set by the counterpart only: an
    organisation cannot promote itself (a participant making itself coordinator would take
    the project over)."""
    return acts_for_counterpart(user, kind_of(relation), _counterpart(relation))


def may_remove(user, relation: Model) -> bool:
    """Either side may end a relation: the organisation leaves, or the counterpart removes it."""
    return may_propose(user, relation)


def _existing(relation: Model) -> bool:
    kind = kind_of(relation)
    field = counterpart_field(kind)
    return (
        type(relation)
        .objects.filter(
            organisation_id=relation.organisation_id, **{f"{field}_id": _counterpart(relation).pk}
        )
        .exists()
    )


def _pending(kind: str, organisation: Organisation, counterpart) -> QuerySet[RelationRequest]:
    return RelationRequest.objects.filter(
        kind=kind,
        organisation=organisation,
        status=Status.PENDING,
        **{counterpart_field(kind): counterpart},
    )


def _save_relation(relation: Model) -> Model:
    relation.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            relation.save()
    except IntegrityError as error:
        raise RelationConflict(_("This relation exists already.")) from error
    return relation


@transaction.atomic
def propose(user, relation: Model, message: str = "") -> Outcome:
    """Create `relation` (an unsaved Membership, PartnershipMember or Participation) if the
    user acts for both sides, or a proposal to the side they do not act for."""
    kind = kind_of(relation)
    counterpart = _counterpart(relation)
    for_organisation = acts_for_organisation(user, relation.organisation)
    for_counterpart = acts_for_counterpart(user, kind, counterpart)
    if not (for_organisation or for_counterpart):
        raise PermissionDenied(_("You act for neither side of this relation."))
    if _existing(relation):
        raise RelationConflict(_("This relation exists already."))
    relation.full_clean(validate_unique=False)
    if for_organisation and for_counterpart:
        met = list(_pending(kind, relation.organisation, counterpart))
        _pending(kind, relation.organisation, counterpart).update(
            status=Status.ACCEPTED, answered_by=user, answered_at=timezone.now()
        )
        saved = _save_relation(relation)
        for request in met:
            request.status = Status.ACCEPTED
            notify_answer(request, user)
        return Outcome(relation=saved)
    awaiting = Side.COUNTERPART if for_organisation else Side.ORGANISATION
    pending = _pending(kind, relation.organisation, counterpart)
    opposite = pending.exclude(awaiting=awaiting).first()
    if opposite is not None:
        # The other side proposed the same relation: this proposal is its acceptance.
        return Outcome(relation=_accept(user, opposite))
    if pending.exists():
        raise RelationConflict(_("This relation has been proposed already and awaits an answer."))
    request = RelationRequest.objects.create(
        kind=kind,
        organisation=relation.organisation,
        role=relation.role,
        since=getattr(relation, "since", None),
        message=message.strip()[:2000],
        awaiting=awaiting,
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
        **{counterpart_field(kind): counterpart},
    )
    notify_request(request, user)
    return Outcome(request=request)


def may_answer(user, request: RelationRequest) -> bool:
    if request.awaiting == Side.ORGANISATION:
        return acts_for_organisation(user, request.organisation)
    return acts_for_counterpart(user, request.kind, request.counterpart)


def may_withdraw(user, request: RelationRequest) -> bool:
    """The proposer's side withdraws."""
    if request.awaiting == Side.ORGANISATION:
        return acts_for_counterpart(user, request.kind, request.counterpart)
    return acts_for_organisation(user, request.organisation)


def may_see(user, request: RelationRequest) -> bool:
    return may_answer(user, request) or may_withdraw(user, request)


def _still_pending(request: RelationRequest) -> None:
    if request.status != Status.PENDING:
        raise RelationConflict(
            _("This request was %(status)s already.") % {"status": request.get_status_display()}
        )


def _accept(user, request: RelationRequest) -> Model:
    model = RELATION_MODELS[request.kind]
    relation = model(organisation=request.organisation, role=request.role)
    setattr(relation, counterpart_field(request.kind), request.counterpart)
    if request.kind == Kind.MEMBERSHIP:
        relation.since = request.since
    if _existing(relation):
        raise RelationConflict(_("This relation exists already."))
    _save_relation(relation)
    request.status = Status.ACCEPTED
    request.answered_by = user
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    notify_answer(request, user)
    return relation


@transaction.atomic
def accept(user, request: RelationRequest) -> Model:
    """The awaited side accepts: the relation is created."""
    request = RelationRequest.objects.select_for_update().get(pk=request.pk)
    if not may_answer(user, request):
        raise PermissionDenied(_("Only the side that was asked may answer this request."))
    _still_pending(request)
    return _accept(user, request)


@transaction.atomic
def decline(user, request: RelationRequest) -> RelationRequest:
    request = RelationRequest.objects.select_for_update().get(pk=request.pk)
    if not may_answer(user, request):
        raise PermissionDenied(_("Only the side that was asked may answer this request."))
    _still_pending(request)
    request.status = Status.DECLINED
    request.answered_by, request.answered_at = user, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    notify_answer(request, user)
    return request


@transaction.atomic
def withdraw(user, request: RelationRequest) -> RelationRequest:
    request = RelationRequest.objects.select_for_update().get(pk=request.pk)
    if not may_withdraw(user, request):
        raise PermissionDenied(_("Only the side that proposed may withdraw this request."))
    _still_pending(request)
    request.status = Status.WITHDRAWN
    request.answered_by, request.answered_at = user, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    notify_answer(request, user)
    return request


# --- notices --------------------------------------------------------------------------------
#
# A proposal is told to those who may answer it (`may_answer`: the awaited side's own editors
# and managers, the partnership's managers, the project coordinator's own editors; platform
# admins only when nobody else may answer, as for a project without coordinator). Its answer
# (accepted, declined, or withdrawn by someone else of the proposing side) is told to the
# person who proposed it, while they still act for their side (`may_withdraw`). Nobody else
# learns of a proposal, and the one who acted is never told.


def _own_people(organisation_ids) -> list:
    ids = Position.objects.filter(
        organisation_id__in=list(organisation_ids),
        role__in=[Position.Role.EDITOR, Position.Role.MANAGER],
    ).values_list("person__user_id", flat=True)
    return _active_users(ids)


def _active_users(ids) -> list:
    ids = set(ids) - {None}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _side_people(request: RelationRequest, side: str) -> list:
    """The people who act for one side of the request in their own right."""
    if side == Side.ORGANISATION:
        return _own_people([request.organisation_id])
    if request.kind == Kind.MEMBERSHIP:
        return _own_people([request.cluster_id])
    if request.kind == Kind.PARTNERSHIP_MEMBER:
        return _active_users(
            PartnershipRole.objects.filter(
                partnership_id=request.partnership_id, role=PartnershipRole.Role.MANAGER
            ).values_list("person__user_id", flat=True)
        )
    return _own_people(coordinator_ids(request.project))


def answerers(request: RelationRequest) -> list:
    """Who is told of a proposal: those who may answer it (admins only if nobody else may)."""
    people = [u for u in _side_people(request, request.awaiting) if may_answer(u, request)]
    if people:
        return people
    return list(get_user_model().objects.filter(is_superuser=True, is_active=True))


def _names(request: RelationRequest) -> dict[str, str]:
    return {
        "organisation": request.organisation.name,
        "counterpart": str(request.counterpart),
        "kind": str(request.get_kind_display()),
        "role": request.role_label,
    }


def _proposal_title(request: RelationRequest) -> str:
    names = _names(request)
    by_organisation = request.awaiting == Side.COUNTERPART
    if request.kind == Kind.MEMBERSHIP:
        if by_organisation:
            return _("%(organisation)s asks to become a member of %(counterpart)s") % names
        return _("%(counterpart)s proposes that %(organisation)s become a member") % names
    if request.kind == Kind.PARTNERSHIP_MEMBER:
        if by_organisation:
            return _("%(organisation)s asks for a seat in the partnership %(counterpart)s") % names
        return _("The partnership %(counterpart)s offers %(organisation)s a seat") % names
    if by_organisation:
        return _("%(organisation)s asks to take part in the project %(counterpart)s") % names
    return _("The project %(counterpart)s proposes that %(organisation)s take part") % names


def _proposer_name(request: RelationRequest) -> str:
    user = request.proposed_by
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return str(person) if person is not None else (user.get_full_name() or user.get_username())


def notify_request(request: RelationRequest, actor) -> int:
    def compose() -> tuple[str, str]:
        names = _names(request)
        lines = [
            _proposal_title(request) + ".",
            _("Relation: %(kind)s, as %(role)s.") % names,
        ]
        if proposer := _proposer_name(request):
            lines.append(_("Proposed by %(name)s.") % {"name": proposer})
        if request.message:
            lines += ["", _("Their message:"), request.message]
        lines += [
            "",
            _(
                "Nothing is granted until your side accepts. Accept or decline on the requests "
                "page."
            ),
        ]
        return _proposal_title(request), "\n".join(lines)

    return notify(
        answerers(request),
        notice_kinds.RELATION_REQUEST,
        compose=compose,
        url=reverse("registry:relation-requests"),
        actor=actor,
    )


def notify_answer(request: RelationRequest, actor) -> int:
    """Tell the proposer how their proposal was answered."""
    proposer = request.proposed_by
    if proposer is None or not proposer.is_active or not may_withdraw(proposer, request):
        return 0

    def compose() -> tuple[str, str]:
        names = _names(request)
        relation = _("%(kind)s of %(organisation)s in %(counterpart)s") % names
        answered_by = (
            request.organisation.name
            if request.awaiting == Side.ORGANISATION
            else str(request.counterpart)
        )
        words = {"relation": relation, "side": answered_by}
        if request.status == Status.ACCEPTED:
            title = _("%(side)s accepted: %(relation)s") % words
            body = (
                _("%(side)s accepted your proposal; the relation now holds: %(relation)s.") % words
            )
        elif request.status == Status.DECLINED:
            title = _("%(side)s declined: %(relation)s") % words
            body = _("%(side)s declined your proposal: %(relation)s.") % words
        else:
            title = _("Proposal withdrawn: %(relation)s") % words
            body = _("Your side withdrew the proposal: %(relation)s.") % words
        return title, body

    return notify(
        [proposer],
        notice_kinds.RELATION_REQUEST_ANSWER,
        compose=compose,
        url=reverse("registry:relation-requests"),
        actor=actor,
    )


def remove(user, relation: Model) -> None:
    if not may_remove(user, relation):
        raise PermissionDenied(_("You act for neither side of this relation."))
    relation.delete()


def requests_for(user) -> QuerySet[RelationRequest]:
    """Requests the user may see: those awaiting a side they act for, and those their side
    proposed."""
    qs = RelationRequest.objects.select_related(
        "organisation", "cluster", "partnership", "project", "proposed_by"
    )
    if permissions.is_platform_admin(user):
        return qs
    own = permissions.own_organisation_ids(user)
    managed = permissions.managed_partnership_ids(user)
    coordinated = Participation.objects.filter(
        organisation_id__in=own, role=Participation.Role.COORDINATOR
    ).values_list("project_id", flat=True)
    return qs.filter(
        Q(organisation_id__in=own)
        | Q(kind=Kind.MEMBERSHIP, cluster_id__in=own)
        | Q(kind=Kind.PARTNERSHIP_MEMBER, partnership_id__in=managed)
        | Q(kind=Kind.PARTICIPATION, project_id__in=list(coordinated))
    )


def awaiting_user(user) -> QuerySet[RelationRequest]:
    """Pending requests the user may answer."""
    pending = requests_for(user).filter(status=Status.PENDING)
    ids = [r.pk for r in pending if may_answer(user, r)]
    return pending.filter(pk__in=ids)


@dataclass(frozen=True)
class ProposalOption:
    """A relation the user may propose from an organisation's page."""

    kind: str
    organisation: Organisation
    counterpart: object

    @property
    def counterpart_key(self) -> str:
        return self.counterpart.slug


def proposal_options(user, organisation: Organisation) -> list[ProposalOption]:
    """Memberships and partnership seats the user may propose for `organisation`: to their own
    clusters and managed partnerships, or, on a cluster's page, for their own organisations."""
    if not getattr(user, "is_authenticated", False):
        return []
    own = permissions.own_organisation_ids(user)
    options: list[ProposalOption] = []
    joined = set(organisation.memberships.values_list("cluster_id", flat=True))
    pending = RelationRequest.objects.filter(status=Status.PENDING)
    asked = set(
        pending.filter(kind=Kind.MEMBERSHIP, organisation=organisation).values_list(
            "cluster_id", flat=True
        )
    )
    for cluster in Organisation.objects.filter(pk__in=own, kind="cluster").exclude(
        pk__in=joined | asked | {organisation.pk}
    ):
        options.append(ProposalOption(Kind.MEMBERSHIP, organisation, cluster))
    if organisation.kind == "cluster":
        members = set(organisation.cluster_members.values_list("organisation_id", flat=True))
        waiting = set(
            pending.filter(kind=Kind.MEMBERSHIP, cluster=organisation).values_list(
                "organisation_id", flat=True
            )
        )
        for own_org in Organisation.objects.filter(pk__in=own).exclude(
            pk__in=members | waiting | {organisation.pk}
        ):
            options.append(ProposalOption(Kind.MEMBERSHIP, own_org, organisation))
    seats = set(organisation.partnership_memberships.values_list("partnership_id", flat=True))
    seats |= set(
        pending.filter(kind=Kind.PARTNERSHIP_MEMBER, organisation=organisation).values_list(
            "partnership_id", flat=True
        )
    )
    from .models import Partnership

    for partnership in Partnership.objects.filter(
        pk__in=permissions.managed_partnership_ids(user)
    ).exclude(pk__in=seats):
        options.append(ProposalOption(Kind.PARTNERSHIP_MEMBER, organisation, partnership))
    return options
