"""Fuzz the whole API (at least 10,000 generated calls, and a naive fuzzer as the baseline)
and every page (every GET route, every parameter, many odd values).

    .venv/bin/python bench/fuzz.py                  # 10,000 API calls at least, then the pages
    .venv/bin/python bench/fuzz.py --calls 50000 --page-values 120
    .venv/bin/python bench/fuzz.py --pages-only

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

The page fuzzer (tests/security/page_fuzz.py) then adds the test suite's records (the
`world` fixture and the security scene) and sends every GET route of the URL resolver its
real request and, as an anonymous visitor, an ordinary company user and a platform admin,
`--page-values` odd values (the fixed ones first, then values generated with the seed) in
every path parameter and, one at a time, in every query parameter the view reads, plus the
common parameters together. The admin's routes (Django's generic views, slow to render on
the sample data) get the suite's 20 values, the query parameters of each kind of view
together (those that stop the view early, one at a time), for every model. It prints the
calls, the 5xx responses (with the request and where the exception came from) and the
routes covered.
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


def fuzz_pages(page_values: int, admin: bool = True) -> dict:
    """Run the page fuzzer over every route: the site's pages with `page_values` odd values
    per parameter, each parameter on its own; the admin's (Django's generic views, heavy
    on the sample data) with the suite's 20, the query parameters together but those that
    stop the view. Per part: (tally, routes, values per parameter, seconds)."""
    import inspect

    from django.conf import settings
    from django.test.utils import setup_test_environment

    from clusterbroker.brokering import embeddings
    from tests import conftest
    from tests.security.page_fuzz import ODD_VALUES, SUITE_VALUES, odd_values, page_routes
    from tests.security.page_fuzz_run import Tally, fuzz_route, identities
    from tests.security.scene import build_scene

    setup_test_environment()  # the test client's host name; e-mail kept in memory
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BROKERING_BACKGROUND_REBUILD = False
    embeddings.use_encoder(embeddings.HashingEncoder())
    world = inspect.unwrap(conftest.world)(None)
    scene = build_scene(world)
    clients = identities(world.company_user, world.admin)
    values = odd_values(max(0, page_values - len(ODD_VALUES)), seed=SEED)[:page_values]
    parts = {"pages": values}
    if admin:
        parts["admin pages"] = list(SUITE_VALUES)
    figures = {}
    for part, values in parts.items():
        routes = [r for r in page_routes() if r.admin == (part == "admin pages")]
        tally, started = Tally(), time.perf_counter()
        for route in routes:
            fuzz_route(route, scene, clients, values, tally, combine_query=route.admin)
        figures[part] = (tally, routes, len(values), time.perf_counter() - started)
    return figures


def report_pages(part: str, tally, routes, values: int, seconds: float) -> None:
    parameters = len(tally.parameters)
    print(
        f"{part:<22} calls {tally.calls:>7,}   5xx {tally.server_errors:>4}   "
        f"routes fuzzed {len(tally.routes):>3} of {len(routes)} "
        f"({len(tally.post_only)} POST-only)   (route, parameter) {parameters:>5} × "
        f"{values} values   {seconds:6.1f} s   {tally.calls / seconds:6.0f} calls/s"
    )
    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(tally.statuses.items()))
    print(f"    statuses: {statuses}")
    for key, count in sorted(tally.failures.items()):
        print(f"    {count:>5} × {key}: {tally.examples[key]}")


def _page_figures(figures: dict) -> dict:
    result = {}
    for part, (tally, routes, values, _seconds) in figures.items():
        prefix = part.replace(" ", "_")
        result |= {
            f"{prefix}_calls": tally.calls,
            f"{prefix}_server_errors": tally.server_errors,
            f"{prefix}_routes": len(routes),
            f"{prefix}_routes_fuzzed": len(tally.routes),
            f"{prefix}_routes_post_only": len(tally.post_only),
            f"{prefix}_values_per_parameter": values,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=10_000, help="at least this many calls")
    parser.add_argument(
        "--page-values",
        type=int,
        default=60,
        help="odd values per parameter of a page (20 at least)",
    )
    parser.add_argument("--pages-only", action="store_true", help="fuzz the pages, not the API")
    parser.add_argument("--no-admin", action="store_true", help="leave the admin's pages out")
    args = parser.parse_args()
    if args.page_values < 20:
        parser.error("--page-values: 20 at least")

    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        token = seed_database()
        if args.pages_only:
            from django.db import connection

            print(
                f"ClusterBroker page fuzzing · 3 identities · Python {platform.python_version()}"
                f" · {platform.machine()} · {os.cpu_count()} CPUs · seed {SEED} · "
                f"{connection.vendor}"
            )
            pages = fuzz_pages(args.page_values, admin=not args.no_admin)
            for part, figures in pages.items():
                report_pages(part, *figures)
            print(json.dumps(_page_figures(pages)))
            return
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

        pages = fuzz_pages(args.page_values, admin=not args.no_admin)

        print(f"schemathesis: {rounds} rounds (seeds {SEED}–{seed - 1})")
        report("schemathesis", tally, schemathesis_seconds)
        report("naive random baseline", naive, naive_seconds)
        for part, figures in pages.items():
            report_pages(part, *figures)
        print(
            json.dumps(
                {
                    "calls": tally.calls,
                    "server_errors": tally.server_errors,
                    "schema_violations": tally.violations,
                    "baseline_calls": naive.calls,
                    "baseline_server_errors": naive.server_errors,
                    "baseline_schema_violations": naive.violations,
                    **_page_figures(pages),
                }
            )
        )


if __name__ == "__main__":
    main()
