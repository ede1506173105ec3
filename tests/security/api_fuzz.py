"""Property-based calls to every operation of the API's OpenAPI schema (schemathesis).

`fuzz(schema, examples=…, identities=…)` draws `examples` generated requests per operation
(derandomised: the same requests on every run), sends each one once per identity (e.g.
anonymous and a platform admin's API token) through the WSGI application, and counts
calls, 5xx responses and responses that do not match the schema (status code, content
type, body). The suite's test and `bench/fuzz.py` share it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class Tally:
    calls: int = 0
    server_errors: int = 0
    violations: int = 0
    by_operation: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # one failure message per kind
    reached: set[tuple[str, int]] = field(default_factory=set)  # (operation, status) seen

    def record(self, label: str, identity: str, failure: Failure, case=None, response=None) -> None:
        kind = "5xx" if isinstance(failure, ServerError) else type(failure).__name__
        if kind == "5xx":
            self.server_errors += 1
        else:
            self.violations += 1
        key = f"{label} [{identity}] {kind}"
        self.by_operation[key] += 1
        request = f" ({case.method} {case.formatted_path} {case.query or ''})" if case else ""
        if response is not None and response.status_code != 200:
            request += f" → {response.status_code} {response.content[:120]!r}"
        self.examples.setdefault(key, f"{failure.title}: {failure.message}"[:400] + request)

    @property
    def failures(self) -> int:
        return self.server_errors + self.violations


def load_schema(app) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _call(case, headers: dict):
    """Send the request; inside a test's transaction, in a savepoint of its own, so that a
    database error in one call (a 5xx, counted) cannot abort the calls after it."""
    if not connection.in_atomic_block:
        return case.call(headers=headers)
    # Like Django's test client: the end of a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    savepoint = transaction.savepoint()
    try:
        response = case.call(headers=headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response


def fuzz_operation(
    operation,
    *,
    examples: int,
    identities: dict[str, dict],
    tally: Tally,
    mode=None,
    seed: int | None = None,
) -> None:
    """Send `examples` generated requests to `operation` as every identity.

    Without `seed` the requests are derandomised (the same on every run); with one, they
    are the ones that seed draws (also the same on every run with that seed)."""
    mode = mode or schemathesis.GenerationMode.POSITIVE

    @settings(
        max_examples=examples,
        derandomize=seed is None,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: count, do not minimise
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def run(case):
        for identity, headers in identities.items():
            response = _call(case, headers)
            tally.calls += 1
            tally.reached.add((operation.label, response.status_code))
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    tally.record(operation.label, identity, failure, case, response)
            except Failure as failure:
                tally.record(operation.label, identity, failure, case, response)

    if seed is not None:
        run = hypothesis_seed(seed)(run)
    try:
        run()
    except Unsatisfiable:
        # No request of this mode exists (e.g. an invalid request to an operation without
        # parameters): nothing to send.
        if mode == schemathesis.GenerationMode.POSITIVE:
            raise


def fuzz(
    schema, *, examples: int, identities: dict[str, dict], mode=None, seed=None, tally=None
) -> Tally:
    tally = tally or Tally()
    for operation in operations(schema):
        fuzz_operation(
            operation, examples=examples, identities=identities, tally=tally, mode=mode, seed=seed
        )
    return tally
