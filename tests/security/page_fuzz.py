"""Page fuzzing: every GET route of the URL resolver, with odd values in every parameter.

`page_routes()` walks the project's URL patterns (includes too; the API under `/api/`
is left to the schema-based fuzzer, `api_fuzz.py`), and finds for each route the query
parameters its view reads (`request.GET.get("x")`, `request.GET["x"]`, `"x" in
request.GET`, the fields of a form built from `request.GET`, and the same in the helpers
the view hands the request or its query to), plus `EXTRA_PARAMETERS` where that reading
cannot see them and `COMMON_PARAMETERS`, which every route gets. `fuzz_route()` sends:

- the route with the real values of its path parameters (from the scene: `REAL_PATH`; a
  route without a rule gets "1" / "x", and is fuzzed all the same);
- each path parameter with every odd value, the other parameters real;
- each query parameter the view reads with every odd value (and a few near-real ones);
- the common parameters together, each odd value in turn (rotated across them; a value
  with a NUL character alone, the site refuses it whole), every other time with htmx
  headers;

each request as every identity (anonymous, an ordinary company user, a platform admin)
but those the real request sends to log in. A route that answers 405 to every identity
it does not send to log in is not a GET route (a POST-only view): not fuzzed further.
`page_fuzz_run.py` sends the requests; the suite's test and `bench/fuzz.py` share both.
"""

from __future__ import annotations

import inspect
import random
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# At least 20 odd values: numbers beyond every integer type, digits `int()` refuses,
# non-finite floats, control and bidirectional characters, paths, markup, injections.
ODD_VALUES: tuple[str, ...] = (
    "",
    " ",
    "0",
    "-1",
    "+1",
    "1.5",
    str(10**25),
    str(2**63),
    "-" + str(2**63 + 1),
    "9" * 5000,  # more digits than int() converts
    "1e400",
    "Infinity",
    "NaN",
    "abc",
    "²",
    "%C2%B2",  # sent as is: the view sees the percent signs
    "٣",
    "\x00",
    "a\x00b",
    "../",
    "../../etc/passwd",
    "x" * 60_000,  # longer than the LIKE pattern SQLite accepts
    "\u202eevil\u202c",
    "😀",
    "' OR 1=1--",
    "<script>alert(1)</script>",
    "<b",
    "{{7*7}}",
    "null",
    "[]",
    "a,b",
    "\r\nSet-Cookie: x=1",
    "//evil.example/",
    "ZZ",
    "%",
)

# The suite's share (at least 20, one of each kind); `bench/fuzz.py` sends all and more.
SUITE_VALUES: tuple[str, ...] = tuple(
    value
    for value in ODD_VALUES
    if value
    not in {" ", "+1", "-" + str(2**63 + 1), "Infinity", "%C2%B2", "a\x00b", "../../etc/passwd",
            "😀", "{{7*7}}", "null", "[]", "a,b", "\r\nSet-Cookie: x=1", "ZZ", "%"}
)  # fmt: skip

# Values a parameter of that name really takes: with them the fuzzer gets past the first
# check (an export format, a print view, an htmx part) to the code behind it.
NEAR_REAL: dict[str, tuple[str, ...]] = {
    "format": ("csv", "xlsx", "json", "pdf", "ics"),
    "print": ("1",),
    "part": ("run",),
    "page": ("2", "last"),
    "state": ("open", "closed", "all"),
    "taxonomy": ("effra",),
    "continue": ("1",),
    "o": ("1", "-1.2"),
    "all": ("",),
}

# Read by many pages; sent to every page (not the admin's), together.
COMMON_PARAMETERS: tuple[str, ...] = (
    "page", "q", "sort", "term", "year", "country", "kind", "need", "participant", "format",
    "taxonomy", "status", "state", "next", "organisation", "partnership", "programme",
    "eligible_for", "print", "part",
)  # fmt: skip

# Parameters read where the discovery does not look (deeper helpers, templates, the
# admin's change lists), by route name.
EXTRA_PARAMETERS: dict[str, tuple[str, ...]] = {
    "events:catalogue": ("q", "country", "kind", "term", "page"),
    "events:agenda": ("participant", "print"),
    "events:agenda-ics": ("participant",),
    "events:schedule": ("format", "part"),
    "community:search": ("q", "page", "kind", "term", "sector", "country", "year", "status"),
    "brokering:matches": ("need",),
}
# What each kind of admin view reads (an add view also takes initial values: its model's
# relations, by field name).
ADMIN_PARAMETERS: dict[str, tuple[str, ...]] = {
    "changelist": ("q", "o", "p", "all", "_popup", "_to_field", "e", "_changelist_filters"),
    "add": ("_popup", "_to_field", "_changelist_filters"),
    "change": ("_popup", "_to_field", "_changelist_filters"),
    "delete": ("_popup", "_to_field"),
}
# Parameters whose odd values stop a view before it reads the others (the admin refuses an
# unknown `_to_field`, shows its error page for `e`, goes back to page 1 for a wrong `p`):
# always sent one at a time.
STOPPERS: tuple[str, ...] = ("_to_field", "e", "p")

# The real value of each path parameter, by route name: a key of the scene, then the
# attributes to read from it ("event.slug"), or a literal after "=".
REAL_PATH: dict[str, dict[str, str]] = {
    "registry:organisation": {"slug": "member_company.slug"},
    "registry:organisation-edit": {"slug": "member_company.slug"},
    "registry:organisation-history": {"slug": "member_company.slug"},
    "registry:organisation-delete": {"slug": "member_company.slug"},
    "registry:competence-add": {"slug": "member_company.slug"},
    "registry:competence-remove": {"slug": "member_company.slug", "pk": "competence.pk"},
    "registry:relation-propose": {"slug": "member_company.slug"},
    "registry:relation-request-answer": {"pk": "membership.pk", "action": "=accept"},
    "registry:partnership": {"slug": "partnership.slug"},
    "registry:partnership-edit": {"slug": "partnership.slug"},
    "registry:partnership-history": {"slug": "partnership.slug"},
    "registry:project": {"pk": "project.pk"},
    "events:participant": {"slug": "event.slug", "pk": "participant_b.pk"},
    "events:request-action": {"slug": "event.slug", "pk": "request_ab.pk", "action": "=accept"},
    "events:outcome": {"slug": "event.slug", "pk": "meeting_ba.pk"},
    "brokering:questionnaire-step": {"step": "=offers"},
    "brokering:need": {"pk": "company_need.pk"},
    "brokering:introduce": {"pk": "company_need.pk"},
    "brokering:introduction-answer": {"pk": "introduction.pk", "action": "=accept"},
    "brokering:profile": {"public_id": "company_profile.public_id"},
    "brokering:matches": {"public_id": "company_profile.public_id"},
    "community:saved-search-delete": {"pk": "saved_search.pk"},
    "community:award-call": {"slug": "award_call.slug"},
    "community:award-call-history": {"slug": "award_call.slug"},
    "community:application": {"pk": "application.pk"},
    "community:attachment": {"pk": "application.pk", "attachment_pk": "attachment.pk"},
    "community:certificate": {"pk": "decided_application.pk"},
    "community:certificate-verify": {"code": "certificate.code"},
    "community:call": {"pk": "published_offer.pk"},
    "community:offer": {"pk": "published_offer.pk"},
    "community:story": {"pk": "published_offer.pk"},
    "community:item-create": {"collection": "=offers"},
    "community:item-edit": {"collection": "=offers", "pk": "draft_offer.pk"},
    "community:item-action": {"collection": "=offers", "pk": "draft_offer.pk", "action": "=submit"},
    "plans:roadmap": {"org_slug": "cluster.slug"},
    "plans:roadmap-version": {"org_slug": "cluster.slug", "version": "=1"},
    "plans:action-edit": {"slug": "partnership.slug", "pk": "plan_action.pk"},
    "plans:action-delete": {"slug": "partnership.slug", "pk": "plan_action.pk"},
    "plans:kpi-edit": {"slug": "partnership.slug", "pk": "kpi.pk"},
    "plans:kpi-delete": {"slug": "partnership.slug", "pk": "kpi.pk"},
    "plans:kpi-value-add": {"slug": "partnership.slug", "pk": "kpi.pk"},
    "plans:evidence": {"slug": "partnership.slug", "pk": "kpi_value.pk"},
    "plans:swot-delete": {"slug": "partnership.slug", "pk": "swot_item.pk"},
    "plans:market-delete": {"slug": "partnership.slug", "pk": "market.pk"},
}
# The rest by (namespace, parameter): e.g. every `<slug>` of the events app is the event's.
REAL_BY_NAMESPACE: dict[tuple[str, str], str] = {
    ("events", "slug"): "event.slug",
    ("plans", "slug"): "partnership.slug",
}
PATH_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")
UNNAMED_GROUP = re.compile(r"\((?!\?)(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: `template` is its path with `{name}` for each path parameter."""

    name: str
    template: str
    converters: dict[str, str]
    query: tuple[str, ...]
    admin: bool
    model: type | None = None  # an admin route's model


# ---------------------------------------------------------------- routes


def page_routes(include_admin: bool = True) -> list[Route]:
    """Every URL pattern of the project but the API's, in the resolver's order."""
    found = []
    for prefix, pattern, names in _walk(get_resolver().url_patterns, "/", ()):
        if prefix.startswith("/api/"):
            continue
        admin = prefix.startswith("/admin/")
        if admin and not include_admin:
            continue
        template, converters = _template(prefix, pattern)
        name = ":".join([*names, pattern.name]) if pattern.name else template
        model_admin = getattr(pattern.callback, "model_admin", None)
        model = model_admin.model if model_admin is not None else None
        if admin:
            query = _admin_parameters(name, model)
        else:
            query = discover_query_parameters(pattern.callback)
        query = tuple(dict.fromkeys([*query, *EXTRA_PARAMETERS.get(name, ())]))
        found.append(Route(name, template, converters, query, admin, model))
    return found


def _admin_parameters(name: str, model: type | None) -> tuple[str, ...]:
    view = name.rsplit("_", 1)[-1]
    parameters = ADMIN_PARAMETERS.get(view, ())
    if view == "add" and model is not None:
        relations = [
            f.name
            for f in model._meta.get_fields()
            if f.concrete and (f.many_to_one or f.many_to_many or f.one_to_one)
        ]
        parameters = (*parameters, *relations)
    return parameters


def _walk(patterns, prefix: str, names: tuple[str, ...]) -> Iterable:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = (*names, entry.namespace) if entry.namespace else names
            yield from _walk(entry.url_patterns, prefix + _text(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            yield prefix, entry, names


def _text(pattern) -> str:
    """A pattern as route text; a regex's groups become `<regex=REAL:name>` (`argN` for an
    unnamed one), REAL being the group's first choice if it lists them."""
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    text = pattern._regex if isinstance(pattern, RegexPattern) else str(pattern)
    text = REGEX_GROUP.sub(lambda m: f"<regex={_first_choice(m['body'])}:{m['name']}>", text)
    counter = iter(range(100))
    text = UNNAMED_GROUP.sub(lambda m: f"<regex=:arg{next(counter)}>", text)
    return text.lstrip("^").rstrip("$").replace("\\", "")


def _first_choice(body: str) -> str:
    """A real value for a regex group that lists its choices (`auth|registry`), else ''."""
    first = body.split("|")[0]
    return first if re.fullmatch(r"[\w-]+", first) else ""


def _template(prefix: str, pattern: URLPattern) -> tuple[str, dict[str, str]]:
    text = prefix + _text(pattern.pattern)
    converters = {m["name"]: m["converter"] or "str" for m in PATH_PARAMETER.finditer(text)}
    return PATH_PARAMETER.sub(lambda m: "{" + m["name"] + "}", text), converters


# ---------------------------------------------------------------- query parameters

_GET_READS = re.compile(
    r"""GET\.(?:get|getlist)\(\s*["'](\w+)["']"""
    r"""|GET\[\s*["'](\w+)["']\s*\]"""
    r"""|["'](\w+)["']\s+(?:not\s+)?in\s+(?:request\.)?GET\b"""
)
_QUERY_READS = re.compile(
    r"""\.(?:get|getlist)\(\s*["'](\w+)["']"""
    r"""|\w\[\s*["'](\w+)["']\s*\]"""
    r"""|["'](\w+)["']\s+(?:not\s+)?in\s+\w+"""
)
_HANDED_ON = re.compile(r"([A-Za-z_][\w.]*)\(\s*(request\.GET|request)\b")


def discover_query_parameters(callback: Callable) -> tuple[str, ...]:
    """The query parameters a view reads, from its source and the helpers it hands the
    request or its query to, one level deep: reads of `request.GET` in the view and in
    helpers given the request; any `.get("x")` in helpers given the query; the fields of a
    form built from the query."""
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    source = _source(view)
    found = _names(_GET_READS, source)
    scope = getattr(view, "__globals__", {})
    for name, argument in _HANDED_ON.findall(source):
        target = _resolve(name, scope)
        if target is None:
            continue
        fields = getattr(target, "base_fields", None)
        if fields is not None:
            found.extend(fields if argument == "request.GET" else ())
        elif inspect.isfunction(target) or inspect.ismethod(target):
            reads = _QUERY_READS if argument == "request.GET" else _GET_READS
            found.extend(_names(reads, _source(target)))
    return tuple(dict.fromkeys(found))


def _names(pattern: re.Pattern, source: str) -> list[str]:
    return [name for groups in pattern.findall(source) for name in groups if name]


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _resolve(dotted: str, scope: dict):
    head, *rest = dotted.split(".")
    target = scope.get(head)
    for attribute in rest:
        target = getattr(target, attribute, None)
    return target if callable(target) else None


# ---------------------------------------------------------------- values


def odd_values(extra: int = 0, seed: int = 1) -> list[str]:
    """`ODD_VALUES`, then `extra` generated ones (the same for a seed): random text of
    every kind of character, numbers around the integer limits, long repetitions."""
    rng = random.Random(seed)
    alphabet = string.printable + "éß€²٣\u202e\u200b\x00\x7f𝔘😀"
    values = list(ODD_VALUES)
    while len(values) < len(ODD_VALUES) + extra:
        kind = rng.randrange(4)
        if kind == 0:
            values.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))))
        elif kind == 1:
            values.append(
                str(rng.choice((-1, 1)) * (2 ** rng.randint(15, 80) + rng.randint(-2, 2)))
            )
        elif kind == 2:
            values.append(
                rng.choice(["1e", "-1e", "0x", "1_0", "٣", "²"]) + str(rng.randint(0, 999))
            )
        else:
            values.append(rng.choice(ODD_VALUES[10:]) * rng.randint(2, 50))
    return values


def real_path(route: Route, scene: dict) -> dict[str, str]:
    """The route's path parameters filled with records of the scene (or "1" / "x")."""
    namespace = route.name.split(":")[0]
    values = {}
    for name, converter in route.converters.items():
        rule = REAL_PATH.get(route.name, {}).get(name) or REAL_BY_NAMESPACE.get((namespace, name))
        if rule is None and route.model is not None and name in ("object_id", "arg0", "arg1"):
            values[name] = _admin_record(route.model, history=name == "arg1")
            continue
        if rule is None and converter.startswith("regex="):
            rule = "=" + converter.removeprefix("regex=")
        fallback = "1" if converter == "int" else "x"
        values[name] = _lookup(rule, scene, fallback) if rule else fallback
    return values


def _admin_record(model: type, history: bool) -> str:
    """The id of the model's first record (or of its first history entry)."""
    first = model._default_manager.order_by("pk").first()
    if first is None:
        return "1"
    if history and hasattr(first, "history"):
        entry = first.history.order_by("history_id").first()
        return str(entry.history_id) if entry else "1"
    return str(first.pk)


def _lookup(rule: str, scene: dict, fallback: str) -> str:
    """The value a rule names; `fallback` if the scene has no such record (any more)."""
    if rule.startswith("="):
        return rule[1:]
    key, *attributes = rule.split(".")
    value = scene.get(key)
    for attribute in attributes:
        value = getattr(value, attribute, None)
    return fallback if value is None else str(value)


def url(route: Route, path_values: dict[str, str]) -> str:
    return route.template.format(**{k: quote(v, safe="") for k, v in path_values.items()})
