"""Fuzz the whole API: at least 10,000 generated calls, and a naive fuzzer as the baseline.

    .venv/bin/python bench/fuzz.py                  # 10,000 calls at least
    .venv/bin/python bench/fuzz.py --calls 50000

    scripts/with-postgres.sh .venv/bin/python bench/fuzz.py   # on a throw-away PostgreSQL

A fresh SQLite database in a temporary directory (or the empty PostgreSQL database that
DATABASE_URL names) gets the sample data (registry and events) and a platform admin with an
API token. Every operation of the OpenAPI schema served at /api/openapi.json is then called
through the WSGI application with requests that schemathesis generates from the schema
(valid ones, and invalid ones the API must refuse with a 4xx), each sent anonymously and
with the admin's token, in rounds of fixed seeds until the number of calls is reached. Each
response is checked: no 5xx; status code, content type and body as the schema describes.

The baseline is a schema-unaware fuzzer: random path segments, random query strings and
random JSON bodies (same seed, same identities, same checks), as many calls as one
schemathesis round. Both print calls made, 5xx responses, schema violations and how many
distinct (operation, status) pairs they reached.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import string
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SEED = 1


def setup_django(directory: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "clusterbroker.settings"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/fuzz.sqlite3"
    os.environ["CLUSTERBROKER_DATA_DIR"] = directory
    import django

    django.setup()
    import logging

    logging.disable(logging.ERROR)  # 4xx and odd headers are logged; the figures say enough


def seed_database() -> str:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from clusterbroker.events.sample_data import load_sample_events
    from clusterbroker.registry.models import ApiToken
    from clusterbroker.registry.sample_data import load_sample_data

    call_command("migrate", verbosity=0)
    load_sample_data()
    load_sample_events()
    admin = get_user_model().objects.create_superuser("fuzz-admin", "fuzz@example.org", "x")
    return ApiToken.issue(admin, "fuzzing")[1]


def _junk(rng: random.Random) -> str:
    alphabet = string.printable + "éß€𝔘\x00"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def _segment(rng: random.Random) -> str:
    """A random path segment; not "/", "." or "..", which would make the URL another one."""
    segment = _junk(rng).replace("/", "")
    return segment if segment.strip(".") else "x"


def _junk_json(rng: random.Random, depth: int = 0):
    pick = rng.randint(0, 6 if depth < 2 else 4)
    if pick == 0:
        return rng.randint(-(2**70), 2**70)
    if pick == 1:
        return _junk(rng)
    if pick == 2:
        return rng.choice([None, True, False, 0.5])
    if pick in (3, 4):
        return _junk(rng)
    if pick == 5:
        return [_junk_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {_junk(rng): _junk_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def baseline(schema, identities: dict, calls: int, tally) -> None:
    """Schema-unaware requests: random strings where the path has parameters, random query
    parameters and random JSON bodies."""
    from schemathesis.core.failures import Failure, FailureGroup

    from tests.security.api_fuzz import CHECKS, operations

    rng = random.Random(SEED)
    ops = operations(schema)
    while tally.calls < calls:
        operation = rng.choice(ops)
        path_parameters = {p.name: quote(_segment(rng), safe="") for p in operation.path_parameters}
        body = _junk_json(rng) if operation.body else None
        case = operation.Case(
            path_parameters=path_parameters,
            query={_junk(rng) or "q": _junk(rng) for _ in range(rng.randint(0, 2))},
            **({"body": body, "media_type": "application/json"} if operation.body else {}),
        )
        for identity, headers in identities.items():
            response = case.call(headers=headers)
            tally.calls += 1
            tally.reached.add((operation.label, response.status_code))
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    tally.record(operation.label, identity, failure, case)
            except Failure as failure:
                tally.record(operation.label, identity, failure, case)


def report(name: str, tally, seconds: float) -> None:
    print(
        f"{name:<22} calls {tally.calls:>7,}   5xx {tally.server_errors:>4}   "
        f"schema violations {tally.violations:>4}   (operation, status) reached "
        f"{len(tally.reached):>4}   {seconds:6.1f} s   {tally.calls / seconds:6.0f} calls/s"
    )
    for key, count in sorted(tally.by_operation.items()):
        print(f"    {count:>5} × {key}: {tally.examples[key]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=10_000, help="at least this many calls")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        token = seed_database()
        import schemathesis
        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        from tests.security.api_fuzz import Tally, fuzz, load_schema, operations

        schema = load_schema(get_wsgi_application())
        identities = {"anonymous": {}, "platform admin": {"Authorization": f"Bearer {token}"}}
        count = len(operations(schema))
        print(
            f"ClusterBroker API fuzzing · {count} operations · 2 identities · "
            f"Python {platform.python_version()} · {platform.machine()} · "
            f"{os.cpu_count()} CPUs · seed {SEED} · {connection.vendor}"
        )
        tally, started, round_calls, seed = Tally(), time.perf_counter(), None, SEED
        while tally.calls < args.calls:
            before = tally.calls
            for mode, examples in (
                (schemathesis.GenerationMode.POSITIVE, 40),
                (schemathesis.GenerationMode.NEGATIVE, 20),
            ):
                fuzz(
                    schema,
                    examples=examples,
                    identities=identities,
                    mode=mode,
                    seed=seed,
                    tally=tally,
                )
            round_calls = round_calls or tally.calls - before
            seed += 1
        schemathesis_seconds = time.perf_counter() - started
        rounds = seed - SEED

        naive, started = Tally(), time.perf_counter()
        baseline(schema, identities, round_calls, naive)
        naive_seconds = time.perf_counter() - started

        print(f"schemathesis: {rounds} rounds (seeds {SEED}–{seed - 1})")
        report("schemathesis", tally, schemathesis_seconds)
        report("naive random baseline", naive, naive_seconds)
        print(
            json.dumps(
                {
                    "calls": tally.calls,
                    "server_errors": tally.server_errors,
                    "schema_violations": tally.violations,
                    "baseline_calls": naive.calls,
                    "baseline_server_errors": naive.server_errors,
                    "baseline_schema_violations": naive.violations,
                }
            )
        )


if __name__ == "__main__":
    main()
