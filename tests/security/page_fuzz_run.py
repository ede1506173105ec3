"""Running the page fuzzer (`page_fuzz.py` makes the requests' values and finds the routes).

`fuzz_route()` sends one route its real request and then the odd values, as every identity,
each request in a transaction that is rolled back (so all see the same records), and
counts calls and server errors in a `Tally`; `identities()` logs in the three clients
(anonymous, an ordinary company user, a platform admin). A 5xx response, or an exception
out of the view, is a server error.
"""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from .page_fuzz import COMMON_PARAMETERS, NEAR_REAL, STOPPERS, Route, real_path, url


def identities(company_user, platform_admin) -> dict[str, Client]:
    """The clients the pages are fuzzed as, logged in."""
    clients = {"anonymous": Client()}
    for name, user in (("company user", company_user), ("platform admin", platform_admin)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


@dataclass
class Tally:
    calls: int = 0
    server_errors: int = 0
    routes: set[str] = field(default_factory=set)  # fuzzed (GET-able)
    post_only: set[str] = field(default_factory=set)  # 405 to GET: not fuzzed further
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    parameters: Counter = field(default_factory=Counter)  # (route, parameter) → values sent

    def record_failure(self, key: str, example: str) -> None:
        self.server_errors += 1
        self.failures[key] += 1
        self.examples.setdefault(key, example)


def _send(client: Client, path: str, query: dict[str, str], headers: dict) -> tuple[int, str]:
    """GET `path`; (status, what went wrong or where it redirects). Whatever the view
    wrote is rolled back."""
    try:
        with transaction.atomic():
            response = client.get(path, query, headers=headers)
            if getattr(response, "streaming", False):
                # Read to the end: the test client then closes it, as a server would. (A
                # second close would fire `request_finished` and close the database
                # connection in the middle of the test's transaction.)
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - every exception out of a view is a 5xx
        frame = _project_frame(error)
        return 500, f"{type(error).__name__}: {str(error)[:200]} at {frame}"
    if response.status_code >= 500:
        return response.status_code, response.content[:200].decode("utf-8", "replace")
    return response.status_code, response.get("Location", "")


def _project_frame(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if "/clusterbroker/" in f.filename] or frames
    return f"{own[-1].filename.rsplit('/src/', 1)[-1]}:{own[-1].lineno}" if own else "?"


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "…")


def _sent_to_log_in(status: int, location: str) -> bool:
    path = urlsplit(location).path
    return status == 302 and (path == resolve_url(settings.LOGIN_URL) or path == "/admin/login/")


def fuzz_route(
    route: Route,
    scene: dict,
    clients: dict[str, Client],
    values: list[str],
    tally: Tally,
    *,
    combine_query: bool = False,
    rotate: bool = False,
    path_only: bool = False,
) -> None:
    """Send the route its real request, then every odd value in every parameter, as every
    identity; count the calls and the server errors (see the module's docstring).

    An identity that the real request sends to log in (or answers 405) is not sent the odd
    values: the view does not run for it. A route left with no identity is POST-only. With
    `combine_query`, the route's query parameters are sent together (each value in turn,
    rotated across them) instead of one at a time, but for the `STOPPERS`. With `rotate`,
    each odd value goes to one identity, in turn, instead of to all. With `path_only`, the
    query parameters are left out."""
    real = real_path(route, scene)

    def send(parameter: str, who: dict, path_values: dict, query: dict, headers=None) -> dict:
        answers = {}
        for identity, client in who.items():
            status, detail = _send(client, url(route, path_values), query, headers or {})
            tally.calls += 1
            tally.statuses[status] += 1
            answers[identity] = (status, detail)
            if status >= 500:
                sent = {k: _short(v) for k, v in query.items()} or {
                    k: _short(v) for k, v in path_values.items() if v != real.get(k)
                }
                tally.record_failure(
                    f"{route.name} · {parameter} [{identity}]",
                    f"GET {route.template} {sent} → {status} {detail}",
                )
        return answers

    answers = send("(real values)", clients, real, {})
    who = {
        identity: client
        for identity, client in clients.items()
        if answers[identity][0] != 405 and not _sent_to_log_in(*answers[identity])
    }
    if not who:  # a POST-only view (405 once logged in)
        tally.post_only.add(route.name)
        return
    tally.routes.add(route.name)
    identities = list(who.items())

    def one(i: int) -> dict[str, Client]:
        """The identity for the i-th value, in turn (each gets a share of every parameter)."""
        return dict([identities[i % len(identities)]]) if rotate else who

    for name in route.converters:
        for i, value in enumerate(values):
            send(name, one(i), real | {name: value}, {})
        tally.parameters[route.name, name] += len(values)
    if path_only:
        return
    stoppers = [name for name in route.query if name in STOPPERS]
    alone = stoppers if combine_query else list(route.query)
    groups = [[name for name in route.query if name not in alone]]
    if not route.admin:  # the admin's views read no other parameter
        groups.append([name for name in COMMON_PARAMETERS if name not in route.query])
    for name in alone:
        for i, value in enumerate((*NEAR_REAL.get(name, ()), *values)):
            send(name, one(i), real, {name: value})
        tally.parameters[route.name, name] += len(values)
    for names in (group for group in groups if group):
        for i, query in enumerate(_together(names, values)):
            headers = {"HX-Request": "true", "HX-Target": "results"} if i % 2 else {}
            send("(parameters together)", one(i), real, query, headers)
        for name in names:
            tally.parameters[route.name, name] += len(values)


def _together(names: list[str], values: list[str]) -> list[dict[str, str]]:
    """Queries giving every parameter every value: the values rotated across the parameters,
    but a value with a NUL character alone (it makes the whole request a 400)."""
    plain = [value for value in values if "\x00" not in value]
    queries = [
        {name: plain[(i + j) % len(plain)] for j, name in enumerate(names)}
        for i in range(len(plain))
    ]
    return queries + [dict.fromkeys(names, value) for value in values if "\x00" in value]
