"""Invitations (list those you manage, invite, resend, revoke, accept with a token) and join
requests (ask, list, accept, decline, withdraw). The rules are in `invitations/rules.py`."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from clusterbroker.invitations import rules, services
from clusterbroker.invitations.models import Invitation, JoinRequest, Role
from clusterbroker.registry.models import Organisation

from .auth import WRITE_AUTH
from .crud import ErrorOut, Pages

router = Router()
invitations = Router(tags=["invitations"])
join_requests = Router(tags=["join-requests"])


def _refused(error: Exception) -> HttpError:
    if isinstance(error, rules.Refused):
        return HttpError(403, error.reason)
    return HttpError(403, _("You may not do this."))


def _unknown(slug: str) -> str:
    return _("organisation: no organisation has the identifier “%(slug)s”.") % {"slug": slug}


def _invalid(error: ValidationError, status: int = 422) -> HttpError:
    if hasattr(error, "error_dict"):
        detail = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    else:
        detail = " ".join(error.messages)
    return HttpError(status, detail)


# Invitations --------------------------------------------------------------------------------


class InvitationOut(Schema):
    id: int
    email: str
    name: str
    organisation: str
    role: str
    status: str = Field(description="pending, accepted, revoked or expired")
    invited_by: str | None
    created_at: dt.datetime
    sent_at: dt.datetime
    expires_at: dt.datetime
    resend_count: int
    accepted_at: dt.datetime | None

    @staticmethod
    def resolve_organisation(obj: Invitation) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_status(obj: Invitation) -> str:
        return obj.state

    @staticmethod
    def resolve_invited_by(obj: Invitation) -> str | None:
        return obj.invited_by.get_username() if obj.invited_by_id else None


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    name: str = Field("", max_length=200)
    organisation: str = Field(max_length=120, description="the organisation's identifier (slug)")
    role: Literal["editor", "manager"] = Role.EDITOR


class InvitationFilters(Schema):
    status: Literal["", "pending", "accepted", "revoked", "expired"] = ""
    q: str = Field("", max_length=200)


class TokenIn(Schema):
    token: str = Field(max_length=200)


class AcceptedOut(Schema):
    organisation: str
    role: str
    invitation: int


@invitations.get(
    "/",
    response=list[InvitationOut],
    auth=WRITE_AUTH,
    summary="Invitations you may manage",
    operation_id="list_invitations",
)
@paginate(Pages, page_size=50)
def list_invitations(request, filters: InvitationFilters = Query(...)) -> QuerySet:  # noqa: B008
    """Those you sent and those to organisations you may invite to (all for admins)."""
    qs = rules.manageable_invitations(request.user)
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(
            Q(email__icontains=text)
            | Q(name__icontains=text)
            | Q(organisation__name__icontains=text)
        )
    now = timezone.now()
    if filters.status == "pending":
        qs = qs.filter(status=Invitation.Status.PENDING, expires_at__gt=now)
    elif filters.status == "expired":
        qs = qs.filter(status=Invitation.Status.PENDING, expires_at__lte=now)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-sent_at", "-pk")


@invitations.post(
    "/",
    response={201: InvitationOut, 200: InvitationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Invite a person by e-mail",
    operation_id="create_invitation",
)
def create_invitation(request, payload: InvitationIn):
    """E-mails a link that works once for 14 days; the link is never returned here. Inviting
    an address with a pending invitation to the same organisation sends it again (200)."""
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise HttpError(422, _unknown(payload.organisation))
    try:
        sent = services.invite(
            request.user,
            payload.email,
            payload.name,
            organisation,
            payload.role,
            base_url=request.build_absolute_uri("/"),
        )
    except rules.Refused as error:
        raise _refused(error) from error
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(200 if sent.resent else 201, sent.invitation)


def _managed(request, pk: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    if not rules.may_manage(request.user, invitation):
        raise HttpError(404, "Not Found")
    return invitation


@invitations.post(
    "/accept",
    response={200: AcceptedOut, 403: ErrorOut, 409: ErrorOut, 410: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Accept an invitation with its token",
    operation_id="accept_invitation",
)
def accept_invitation(request, payload: TokenIn):
    """The logged-in caller takes the role (whatever address the invitation was sent to).
    An invalid token is a 422; an expired, revoked or used invitation a 410, saying which."""
    try:
        result = services.accept(payload.token, user=request.user)
    except rules.Refused as error:
        raise _refused(error) from error
    except services.InvitationUnusable as error:
        raise _invalid(error, 422 if error.state == "invalid" else 410) from error
    except ValidationError as error:
        raise _invalid(error, 409) from error
    return Status(
        200,
        {
            "organisation": result.invitation.organisation.slug,
            "role": result.position.role,
            "invitation": result.invitation.pk,
        },
    )


@invitations.post(
    "/{pk}/resend",
    response={200: InvitationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE_AUTH,
    summary="Send an invitation again, with a new link",
    operation_id="resend_invitation",
)
def resend_invitation(request, pk: int):
    invitation = _managed(request, pk)
    try:
        sent = services.resend(request.user, invitation, base_url=request.build_absolute_uri("/"))
    except rules.Refused as error:
        raise _refused(error) from error
    except ValidationError as error:
        raise _invalid(error, 409) from error
    return Status(200, sent.invitation)


@invitations.post(
    "/{pk}/revoke",
    response={200: InvitationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE_AUTH,
    summary="Revoke an invitation (its link stops working)",
    operation_id="revoke_invitation",
)
def revoke_invitation(request, pk: int):
    invitation = _managed(request, pk)
    try:
        revoked = services.revoke(request.user, invitation)
    except rules.Refused as error:
        raise _refused(error) from error
    except ValidationError as error:
        raise _invalid(error, 409) from error
    return Status(200, revoked)


# Join requests ------------------------------------------------------------------------------


class JoinRequestOut(Schema):
    id: int
    user: str
    organisation: str
    role: str
    message: str
    status: str
    created_at: dt.datetime
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_user(obj: JoinRequest) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_organisation(obj: JoinRequest) -> str:
        return obj.organisation.slug


class JoinRequestIn(Schema):
    organisation: str = Field(max_length=120, description="the organisation's identifier (slug)")
    message: str = Field("", max_length=2000)


class JoinRequestFilters(Schema):
    status: Literal["", "pending", "accepted", "declined", "withdrawn"] = ""
    awaiting_me: bool = False


@join_requests.get(
    "/",
    response=list[JoinRequestOut],
    auth=WRITE_AUTH,
    summary="Your join requests and those awaiting your answer",
    operation_id="list_join_requests",
)
@paginate(Pages, page_size=50)
def list_join_requests(request, filters: JoinRequestFilters = Query(...)) -> QuerySet:  # noqa: B008
    qs = (
        rules.join_requests_awaiting(request.user)
        if filters.awaiting_me
        else rules.visible_join_requests(request.user)
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-created_at", "-pk")


@join_requests.post(
    "/",
    response={201: JoinRequestOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Ask to become an editor of an organisation",
    operation_id="create_join_request",
)
def create_join_request(request, payload: JoinRequestIn):
    """A request grants nothing until one of the organisation's own editors accepts it."""
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise HttpError(422, _unknown(payload.organisation))
    try:
        created = services.ask_to_join(request.user, organisation, payload.message)
    except rules.Refused as error:
        raise _refused(error) from error
    except services.JoinConflict as error:
        raise _invalid(error, 409) from error
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(201, created)


@join_requests.post(
    "/{pk}/{action}",
    response={200: JoinRequestOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE_AUTH,
    summary="Accept, decline or withdraw a join request",
    operation_id="answer_join_request",
)
def answer_join_request(request, pk: int, action: Literal["accept", "decline", "withdraw"]):
    """`accept` and `decline` are for the organisation's own editors (never the requester,
    never the managers of a cluster it belongs to); `withdraw` for the requester. Accepting
    makes the requester an editor."""
    item = get_object_or_404(JoinRequest.objects.select_related("user", "organisation"), pk=pk)
    if not rules.may_see_join(request.user, item):
        raise HttpError(404, "Not Found")
    try:
        services.JOIN_ACTIONS[action](request.user, item)
    except rules.Refused as error:
        raise _refused(error) from error
    except ValidationError as error:
        raise _invalid(error, 409) from error
    item.refresh_from_db()
    return Status(200, item)


router.add_router("/invitations/", invitations)
router.add_router("/join-requests/", join_requests)
