"""Posting, moderating and listing collection items; eligibility of open calls."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clusterbroker.registry.models import Organisation

from . import permissions
from .models import CLOSING_SOON_DAYS, CallState, Offer, OpenCall, Status, Story
from .search.index import index_object

COLLECTION_MODELS = {"calls": OpenCall, "offers": Offer, "stories": Story}


@transaction.atomic
def save_item(item: Model, user, m2m: dict | None = None) -> Model:
    """Create or change an item for `user`; a new item is a draft of its author.

    A published item changed by anyone but a community manager goes back to moderation
    (it is not shown until a moderator publishes it again); the organisation an item is
    posted for (an offer's provider) must be one the user may act for.
    """
    stored = None
    if item.pk is None:
        if not permissions.can_post(user):
            raise PermissionDenied
        item.author = user
        item.status = Status.DRAFT
    else:
        if not permissions.can_edit(user, item):
            raise PermissionDenied
        stored = type(item).objects.filter(pk=item.pk).values("status", "organisation_id").get()
    check_posted_for(item, user, stored["organisation_id"] if stored else None)
    if stored and stored["status"] == Status.PUBLISHED and not permissions.can_publish(user):
        item.status = Status.PENDING
    item.full_clean()
    item.save()
    for name, values in (m2m or {}).items():
        getattr(item, name).set(values)
    index_object(item)
    return item


def check_posted_for(item: Model, user, stored_organisation_id: int | None = None) -> None:
    """Refuse an organisation that `user` may not act for as the one an item is posted for
    (kept as it was, it stays: a moderator may correct an item without that right)."""
    if item.organisation_id is None or item.organisation_id == stored_organisation_id:
        return
    if not permissions.can_post_for(user, item.organisation):
        raise ValidationError(
            {
                "organisation": _(
                    "You do not act for “%(name)s”: name an organisation whose record you may edit."
                )
                % {"name": item.organisation.name}
            }
        )


@transaction.atomic
def change_status(item: Model, user, action: str) -> Model:
    """`submit` (author), `publish` / `unpublish` / `reject` (community managers)."""
    if action == "submit":
        if not permissions.can_edit(user, item):
            raise PermissionDenied
        if item.status not in (Status.DRAFT, Status.UNPUBLISHED):
            raise ValidationError(_("Only a draft can be submitted."))
        item.status = Status.PUBLISHED if permissions.can_publish(user) else Status.PENDING
    elif action in ("publish", "unpublish", "reject"):
        if not permissions.can_moderate(user, item):
            raise PermissionDenied
        item.status = {
            "publish": Status.PUBLISHED,
            "unpublish": Status.UNPUBLISHED,
            "reject": Status.DRAFT,
        }[action]
    else:
        raise ValidationError(_("Unknown action “%(action)s”.") % {"action": action})
    if item.status == Status.PUBLISHED and item.published_at is None:
        item.published_at = timezone.now()
    item.save()
    document = index_object(item)
    if item.status == Status.PUBLISHED:
        from .alerts import alert_for_document

        alert_for_document(document)
    return item


def visible(model: type[Model], user) -> QuerySet:
    return model.objects.filter(permissions.visible_q(user))


def awaiting_moderation() -> dict[str, QuerySet]:
    """Items waiting for a community manager, by collection (its name as people read it:
    "Open calls", not "calls")."""
    return {
        capfirst(model._meta.verbose_name_plural): model.objects.filter(status=Status.PENDING)
        for model in COLLECTION_MODELS.values()
    }


def is_eligible(call: OpenCall, organisation: Organisation) -> bool:
    """An organisation may apply when its country and type are among the call's (empty = all)."""
    countries = call.eligible_countries or []
    kinds = call.eligible_kinds or []
    return (not countries or organisation.country in countries) and (
        not kinds or organisation.kind in kinds
    )


CALL_STATES = ("current", "open", "forthcoming", "closed", "all")


def _state_filter(state: str, today: dt.date) -> Q:
    """The calls in `state` on `today` (as `OpenCall.state` decides, in the database)."""
    closed = Q(deadline__lt=today)
    forthcoming = ~closed & (
        Q(opens_on__gt=today) | Q(opens_on__isnull=True, source_status=CallState.FORTHCOMING)
    )
    return {
        "closed": closed,
        "forthcoming": forthcoming,
        "open": ~closed & ~forthcoming,
        "current": ~closed,
    }.get(state, Q())


def call_list(
    user,
    text: str = "",
    state: str = "current",
    programme: str = "",
    eligible_for: Organisation | None = None,
    today: dt.date | None = None,
) -> list[OpenCall]:
    """Calls `user` may see, filtered by `state` (one of `CALL_STATES`: "current" is open
    and forthcoming); by deadline, closed ones most recent first."""
    today = today or timezone.localdate()
    calls = visible(OpenCall, user)
    if text:
        calls = calls.filter(
            Q(title__icontains=text) | Q(reference__icontains=text) | Q(keywords__icontains=text)
        )
    if programme:
        calls = calls.filter(programme__startswith=programme)
    calls = calls.filter(_state_filter(state, today))
    if state == "closed":
        calls = calls.order_by("-deadline", "title")
    else:
        calls = calls.order_by(F("deadline").asc(nulls_last=True), "title")
    result = list(calls)
    if eligible_for is not None:
        result = [call for call in result if is_eligible(call, eligible_for)]
    return result


def closing_soon(user, today: dt.date | None = None, limit: int = 5) -> list[OpenCall]:
    today = today or timezone.localdate()
    return list(
        visible(OpenCall, user)
        .filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=CLOSING_SOON_DAYS))
        .order_by("deadline", "title")[:limit]
    )


def programmes() -> list[str]:
    names = OpenCall.objects.filter(status=Status.PUBLISHED).values_list("programme", flat=True)
    return sorted({name.split(" · ")[0] for name in names if name})
