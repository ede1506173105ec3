"""The API's OpenAPI schema documents the error responses every operation can give.

Every error of the API has the same body, `{"detail": …}`: a 400 when a request body is not
JSON, a 401 when an operation that needs a login or token gets neither, a 403 when the user
may not do it (or the session's CSRF token is missing), a 404 when a record named in the
path does not exist, a 422 when a parameter or the body is invalid. Rather than repeat these
on every route, the schema adds them to each operation they apply to (an operation's own
description of a status wins).
"""

from typing import Any

from ninja import NinjaAPI

from .guards import reject_nul_characters

ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"title": "Detail"}},
    "required": ["detail"],
    "title": "Error",
}
DESCRIPTIONS = {
    "400": "The request body cannot be parsed (not JSON).",
    "401": "Not logged in: a session or an API token is needed.",
    "403": "Not allowed for this user (or the session's CSRF token is missing).",
    "404": "No record matches the path.",
    "422": "A parameter or the request body is invalid; `detail` says which and why.",
}


def error_statuses(operation: dict[str, Any]) -> list[str]:
    """The error statuses `operation` (an OpenAPI operation object) can answer with."""
    parameters = operation.get("parameters", [])
    statuses = ["400"] if operation.get("requestBody") else []
    if operation.get("security"):
        statuses += ["401", "403"]
    if any(p.get("in") == "path" for p in parameters):
        statuses.append("404")
    # Any request can be refused as invalid: a NUL character anywhere is (see guards.py).
    statuses.append("422")
    return statuses


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in error_statuses(operation):
                if int(status) in operation["responses"]:
                    continue  # declared by the operation (ninja's keys are numbers)
                operation["responses"].setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ERROR_BODY}},
                    },
                )
    return schema


class ClusterBrokerAPI(NinjaAPI):
    """A NinjaAPI whose schema lists the error responses of each operation, and which
    refuses NUL characters in any request (422) before they reach a database query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_decorator(reject_nul_characters, mode="view")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        add_error_responses(schema)
        return schema
