"""A bounded schemathesis run over every operation of the API's OpenAPI schema.

For each operation: a fixed number of generated requests (valid ones, and invalid ones that
the API must refuse with a 4xx), derandomised so that every run sends the same ones, each
sent anonymously and with a platform admin's API token. Any 5xx response, or a response
whose status, content type or body the schema does not describe, fails the operation's test.
The operations are read from the schema itself, so routers added later are covered too.
`bench/fuzz.py` runs the same with many more calls.
"""

import warnings

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application

from clusterbroker.api.api import api
from clusterbroker.registry.models import ApiToken

from ..factories import UserFactory
from .api_fuzz import Tally, fuzz_operation, load_schema

pytestmark = pytest.mark.django_db

POSITIVE_EXAMPLES = 3
NEGATIVE_EXAMPLES = 2

# Failures already reported to the app that owns the operation, by (operation, kind of
# failure); a 5xx is never listed here. Remove a line when the app is fixed.
KNOWN_ISSUES: dict[tuple[str, str], str] = {}


def _operations() -> list[str]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():  # serving the schema may open a session
        return load_schema(get_wsgi_application())


def test_the_schema_is_served_and_lists_every_operation(schema, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    served = {op.label for op in (r.ok() for r in schema.get_all_operations())}
    assert served == set(_operations())
    assert len(served) > 40


@pytest.mark.parametrize("label", _operations())
def test_operation_survives_fuzzing(schema, label: str):
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    admin = UserFactory(username="fuzz-admin", is_superuser=True, is_staff=True)
    token = ApiToken.issue(admin, "fuzzing")[1]
    identities = {"anonymous": {}, "platform admin": {"Authorization": f"Bearer {token}"}}
    tally = Tally()
    for mode, examples in (
        (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
        (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
    ):
        fuzz_operation(operation, examples=examples, identities=identities, tally=tally, mode=mode)
    assert tally.calls >= 2
    problems = []
    for key, count in tally.by_operation.items():
        kind = key.rsplit(" ", 1)[1]
        if (label, kind) in KNOWN_ISSUES and kind != "5xx":
            warnings.warn(f"{key}: {KNOWN_ISSUES[(label, kind)]} (known)", stacklevel=1)
            continue
        problems.append(f"{key} ×{count}: {tally.examples[key]}")
    assert not problems, "\n".join(problems)
