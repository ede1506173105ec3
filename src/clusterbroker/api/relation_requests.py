"""Proposals of relations (memberships, partnership seats, participations) that wait for the
other side's consent: list them, accept, decline or withdraw."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from clusterbroker.registry import relations
from clusterbroker.registry.models import RelationRequest

from .auth import WRITE_AUTH
from .crud import ErrorOut, Pages

router = Router(tags=["relation-requests"])


class RelationRequestOut(Schema):
    id: int
    kind: str
    organisation: str
    cluster: str | None = None
    partnership: str | None = None
    project: int | None = None
    role: str
    since: dt.date | None
    message: str
    awaiting: str
    status: str
    created_at: dt.datetime
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_organisation(obj: RelationRequest) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_cluster(obj: RelationRequest) -> str | None:
        return obj.cluster.slug if obj.cluster_id else None

    @staticmethod
    def resolve_partnership(obj: RelationRequest) -> str | None:
        return obj.partnership.slug if obj.partnership_id else None

    @staticmethod
    def resolve_project(obj: RelationRequest) -> int | None:
        return obj.project_id


class RelationRequestFilters(Schema):
    status: Literal["", "pending", "accepted", "declined", "withdrawn"] = ""
    awaiting_me: bool = False


def propose_through_api(user, relation: Model) -> Status:
    """A relation resource's create: 201 with the relation, or 202 with the proposal."""
    try:
        outcome = relations.propose(user, relation)
    except PermissionDenied as error:
        raise HttpError(403, "You act for neither side of this relation.") from error
    except relations.RelationConflict as error:
        raise HttpError(409, " ".join(error.messages)) from error
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"record": error.messages}
        raise HttpError(
            422, "; ".join(f"{name}: {' '.join(m)}" for name, m in fields.items())
        ) from error
    if outcome.pending:
        return Status(202, outcome.request)
    return Status(201, outcome.relation)


@router.get(
    "/",
    response=list[RelationRequestOut],
    auth=WRITE_AUTH,
    summary="Relation requests you may see",
    operation_id="list_relation_requests",
)
@paginate(Pages, page_size=50)
def list_requests(request, filters: RelationRequestFilters = Query(...)) -> QuerySet:  # noqa: B008
    """Requests awaiting a side you act for, and those your side proposed."""
    qs = relations.requests_for(request.user)
    if filters.awaiting_me:
        qs = relations.awaiting_user(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def _fetch(request, pk: int) -> RelationRequest:
    item = get_object_or_404(RelationRequest, pk=pk)
    if not relations.may_see(request.user, item):
        # Whether a request exists is not told to those who may not see it.
        raise HttpError(404, "Not Found")
    return item


@router.get(
    "/{pk}",
    response={200: RelationRequestOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="Read one relation request",
    operation_id="read_relation_request",
)
def read_request(request, pk: int):
    return _fetch(request, pk)


ACTIONS = {
    "accept": relations.accept,
    "decline": relations.decline,
    "withdraw": relations.withdraw,
}


@router.post(
    "/{pk}/{action}",
    response={200: RelationRequestOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE_AUTH,
    summary="Accept, decline or withdraw a relation request",
    operation_id="answer_relation_request",
)
def answer_request(request, pk: int, action: Literal["accept", "decline", "withdraw"]):
    """`accept` and `decline` are for the side the request awaits; `withdraw` for the side
    that proposed. Accepting creates the relation."""
    item = _fetch(request, pk)
    try:
        ACTIONS[action](request.user, item)
    except PermissionDenied as error:
        raise HttpError(403, " ".join(error.args) or "Not allowed.") from error
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    item.refresh_from_db()
    return Status(200, item)
