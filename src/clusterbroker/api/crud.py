"""One router factory for the registry's list / detail / create / update / delete endpoints.

Each resource says what it needs (model, schemas, lookup, filters, permissions);
the factory writes the five endpoints the same way for all of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from .auth import WRITE_AUTH


class ErrorOut(Schema):
    detail: Any


MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    """Page numbering with a bound: a page past any real list is a 422, not a database error
    (an offset beyond 64 bits overflows the database's integers)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


@dataclass
class Resource:
    name: str  # URL segment and tag, e.g. "organisations"
    model: type[Model]
    out_schema: type[Schema]
    create_schema: type[Schema]
    update_schema: type[Schema]
    filter_schema: type[Schema]
    queryset: Callable[[Schema], QuerySet]  # the filtered list
    build: Callable[[HttpRequest, dict, Model | None], Model]  # payload → unsaved instance
    may_create: Callable[[Any, Model], bool]  # (user, unsaved instance)
    may_change: Callable[[Any, Model], bool]
    may_delete: Callable[[Any, Model], bool]
    lookup: str = "id"
    lookup_type: type = int
    # For relations between records of different owners: (user, unsaved instance) → the
    # created relation, or the proposal that waits for the other side's consent (a 202).
    propose: Callable[[Any, Model], Any] | None = None
    pending_schema: type[Schema] | None = None
    # Run in the same transaction as a created record's save: (user, saved instance).
    after_create: Callable[[Any, Model], None] | None = None


def _unprocessable(error: ValidationError) -> HttpError:
    """A 422 whose detail names each field and what is wrong with it."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"record": error.messages}
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return HttpError(422, detail)


def _save(instance: Model, then: Callable[[Model], None] | None = None) -> Model:
    """Validate, then write `instance` (and run `then` on it) in one transaction; the write
    lock is taken only after validation."""
    try:
        instance.full_clean()
        with transaction.atomic():
            instance.save()
            if then is not None:
                then(instance)
    except ValidationError as error:
        raise _unprocessable(error) from error
    except IntegrityError as error:
        # Another request saved a clashing record between validation and the write: say which
        # fields clash, in the words of validation, never in the database's own text.
        try:
            instance.validate_unique()
            instance.validate_constraints()
        except ValidationError as clash:
            raise HttpError(409, _unprocessable(clash).message) from error
        raise HttpError(
            409, gettext("This record conflicts with another one; reload it and try again.")
        ) from error
    return instance


def crud_router(resource: Resource) -> Router:
    router = Router(tags=[resource.name])
    lookup, lookup_type = resource.lookup, resource.lookup_type
    Out, Create, Update, Filters = (
        resource.out_schema,
        resource.create_schema,
        resource.update_schema,
        resource.filter_schema,
    )

    ident = resource.name.replace("-", "_")

    def fetch(key) -> Model:
        return get_object_or_404(resource.model, **{lookup: key})

    @router.get(
        "/", response=list[Out], summary=f"List {resource.name}", operation_id=f"list_{ident}"
    )
    @paginate(Pages, page_size=50)
    def list_items(request, filters: Filters = Query(...)):  # noqa: B008
        return resource.queryset(filters)

    @router.get(
        "/{key}",
        response=Out,
        summary=f"Read one of the {resource.name}",
        operation_id=f"read_{ident}",
    )
    def read_item(request, key: lookup_type):
        return fetch(key)

    create_responses = {201: Out, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}
    if resource.pending_schema is not None:
        create_responses[202] = resource.pending_schema

    @router.post(
        "/",
        response=create_responses,
        auth=WRITE_AUTH,
        summary=f"Create one of the {resource.name}",
        description=(
            "Created at once (201) when you act for both sides of the relation; otherwise a "
            "proposal is made (202) that the other side accepts or declines under "
            "/api/relation-requests/, and that grants nothing until then."
            if resource.propose is not None
            else ""
        ),
        operation_id=f"create_{ident}",
    )
    def create_item(request, payload: Create):
        instance = resource.build(request, payload.dict(), None)
        if resource.propose is not None:
            return resource.propose(request.user, instance)
        if not resource.may_create(request.user, instance):
            raise HttpError(403, "You may not create this record.")
        after = resource.after_create
        return Status(
            201, _save(instance, (lambda saved: after(request.user, saved)) if after else None)
        )

    @router.patch(
        "/{key}",
        response={200: Out, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
        auth=WRITE_AUTH,
        summary=f"Change one of the {resource.name}",
        operation_id=f"update_{ident}",
    )
    def update_item(request, key: lookup_type, payload: Update):
        instance = fetch(key)
        if not resource.may_change(request.user, instance):
            raise HttpError(403, "You may not change this record.")
        changed = resource.build(request, payload.dict(exclude_unset=True), instance)
        if not resource.may_change(request.user, changed):
            raise HttpError(403, "You may not move this record where you cannot change it.")
        return Status(200, _save(changed))

    @router.delete(
        "/{key}",
        response={204: None, 403: ErrorOut},
        auth=WRITE_AUTH,
        summary=f"Delete one of the {resource.name}",
        operation_id=f"delete_{ident}",
    )
    def delete_item(request, key: lookup_type):
        instance = fetch(key)
        if not resource.may_delete(request.user, instance):
            raise HttpError(403, "You may not delete this record.")
        instance.delete()
        return Status(204, None)

    return router
