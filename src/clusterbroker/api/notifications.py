"""My notifications: list them (all or unread), mark one or all as read, and read or change
how I get e-mail for each kind. Only ever the caller's own notices."""

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict, create_model

from clusterbroker.notifications import kinds, service
from clusterbroker.notifications.models import Notification

from .auth import WRITE_AUTH
from .crud import ErrorOut, Pages

router = Router(tags=["notifications"])

Delivery = Literal["immediately", "daily", "never"]


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    read: bool

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only the notices not read yet.")


class ReadAllOut(Schema):
    marked: int = Field(description="How many notices were marked as read.")


# One field per kind, so the schema documents every kind and its choices.
NotificationSettingsOut = create_model(
    "NotificationSettingsOut",
    __base__=Schema,
    **{
        kind.id: (Delivery, Field(..., description=str(kind.description)))
        for kind in kinds.KINDS.values()
    },
)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown kind is a 422, not ignored


NotificationSettingsIn = create_model(
    "NotificationSettingsIn",
    __base__=_Strict,
    **{
        kind.id: (Delivery | None, Field(None, description=str(kind.description)))
        for kind in kinds.KINDS.values()
    },
)


@router.get(
    "/",
    response=list[NotificationOut],
    auth=WRITE_AUTH,
    summary="My notifications, newest first",
    operation_id="list_my_notifications",
)
@paginate(Pages, page_size=50)
def list_notifications(request, filters: NotificationFilters = Query(...)) -> QuerySet:  # noqa: B008
    qs = Notification.objects.filter(recipient=request.user)
    if filters.unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


@router.post(
    "/read-all",
    response=ReadAllOut,
    auth=WRITE_AUTH,
    summary="Mark all my notifications as read",
    operation_id="read_all_my_notifications",
)
def read_all(request):
    return {"marked": service.mark_all_read(request.user)}


@router.get(
    "/settings",
    response=NotificationSettingsOut,
    auth=WRITE_AUTH,
    summary="How I get e-mail for each kind of notice",
    operation_id="read_my_notification_settings",
)
def read_settings(request):
    return service.preferences_for(request.user)


@router.put(
    "/settings",
    response={200: NotificationSettingsOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="Change how I get e-mail for some kinds of notice",
    operation_id="update_my_notification_settings",
)
def update_settings(request, payload: NotificationSettingsIn):
    """Each kind given is set to `immediately`, `daily` (one digest e-mail a day) or `never`
    (the notice still appears in the application); kinds left out keep their setting."""
    choices = {k: v for k, v in payload.model_dump().items() if v is not None}
    service.set_preferences(request.user, choices)
    return service.preferences_for(request.user)


@router.post(
    "/{pk}/read",
    response={200: NotificationOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="Mark one of my notifications as read",
    operation_id="read_my_notification",
)
def read_one(request, pk: int):
    notice = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if notice is None:
        # Another person's notice is not found, whether it exists or not.
        raise HttpError(404, "Not Found")
    service.mark_read(request.user, notice)
    return notice
