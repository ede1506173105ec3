"""Every GET route of the site with odd values in every parameter: no server error.

The routes come from the URL resolver itself (`page_fuzz.page_routes`), so a page added
later is fuzzed too, with or without a rule for its parameters. One test per part of the
site (an app, or the admin of an app), as an anonymous visitor, an ordinary company user
and a platform admin (those the route's real request sends to log in are left out, the
view does not run for them). Each parameter gets the 20 `SUITE_VALUES`. To stay within
about a minute and a half on two cores, each value goes to one of those identities, in
turn, and the admin (Django's generic views, slow to render) gets odd values in the path
of every route but in the query only for the admin of one model per app, its parameters
together (those that stop the view, one at a time). Any 5xx fails the test and lists the
requests. `bench/fuzz.py` sends every value to every identity, and every query parameter
of the admin of every model, with many more values for the pages.
"""

import logging

import pytest

from clusterbroker.brokering import embeddings

from .page_fuzz import ODD_VALUES, SUITE_VALUES, page_routes, real_path
from .page_fuzz_run import Tally, fuzz_route, identities
from .scene import build_scene

pytestmark = pytest.mark.django_db


def _part(route) -> str:
    """The part of the site a route belongs to: its app, or its first path segment."""
    if route.admin:
        return "admin-" + route.template.split("/")[2] if route.template.count("/") > 3 else "admin"
    return route.name.split(":")[0] if ":" in route.name else "site"


ROUTES = page_routes()
PARTS = sorted({_part(route) for route in ROUTES})
# The admin is Django's generic views, slow to render: the suite sends odd query values to
# the admin of one model per app (the first), odd path values to every admin route.
SAMPLED_ADMIN_MODELS = {
    next(r.model for r in ROUTES if r.model and _part(r) == part)
    for part in PARTS
    if part.startswith("admin") and any(r.model and _part(r) == part for r in ROUTES)
}


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """As in the permission matrix: files in a temporary directory, the model-free encoder.
    The thousands of 4xx are not logged (the tally says what matters)."""
    settings.DATA_DIR = tmp_path
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)
    embeddings.use_encoder(previous)


def test_the_routes_are_read_from_the_resolver():
    names = {route.name for route in ROUTES}
    assert {"events:catalogue", "events:agenda", "brokering:matches", "community:search"} <= names
    assert not any(route.template.startswith("/api/") for route in ROUTES)
    catalogue = next(route for route in ROUTES if route.name == "events:catalogue")
    assert {"q", "country", "kind", "term", "page"} <= set(catalogue.query)
    organisations = next(route for route in ROUTES if route.name == "registry:organisations")
    assert {"q", "kind", "country", "term", "format", "page"} <= set(organisations.query)
    assert len(SUITE_VALUES) >= 20 and set(SUITE_VALUES) <= set(ODD_VALUES)


def test_a_route_without_a_rule_is_filled_and_fuzzed(world):
    scene = build_scene(world)
    route = next(r for r in ROUTES if r.name == "events:participant")
    assert real_path(route, scene) == {"slug": "matrix-fair", "pk": str(scene["participant_b"].pk)}
    unknown = route.__class__("x:y", "/x/{pk}/{slug}/", {"pk": "int", "slug": "slug"}, (), False)
    assert real_path(unknown, scene) == {"pk": "1", "slug": "x"}


@pytest.mark.parametrize("part", PARTS)
def test_pages_survive_fuzzing(world, part: str):
    scene = build_scene(world)
    clients = identities(world.company_user, world.admin)
    tally = Tally()
    for route in (r for r in ROUTES if _part(r) == part):
        fuzz_route(
            route,
            scene,
            clients,
            list(SUITE_VALUES),
            tally,
            combine_query=route.admin,
            rotate=True,
            path_only=route.admin and route.model not in SAMPLED_ADMIN_MODELS,
        )
    assert tally.routes or tally.post_only
    for (route, parameter), count in tally.parameters.items():
        assert count >= 20, f"{route} · {parameter}: {count} values"
    problems = [f"{key} ×{n}: {tally.examples[key]}" for key, n in tally.failures.items()]
    assert not problems, f"{tally.server_errors} server errors:\n" + "\n".join(problems)


# ---------------------------------------------------------------- what the fuzzing found


@pytest.mark.parametrize("object_id", ["abc", "1.5", "9" * 5000, "²", str(10**25)])
def test_admin_history_of_an_odd_id_is_404(world, object_id):
    client = world.client(world.admin)
    assert client.get(f"/admin/events/event/{object_id}/history/").status_code == 404
    organisation = world.member_company.pk
    response = client.get(f"/admin/registry/organisation/{organisation}/history/abc/")
    assert response.status_code == 404
    response = client.get(f"/admin/registry/organisation/{object_id}/history/1/")
    assert response.status_code == 404


def test_admin_empty_field_to_link_to_is_400(world):
    client = world.client(world.admin)
    pk = world.member_company.pk
    for view in ("change", "delete"):
        response = client.get(f"/admin/registry/organisation/{pk}/{view}/?_to_field=")
        assert response.status_code == 400


def test_admin_add_form_leaves_out_initial_values_that_name_no_record(world):
    client = world.client(world.admin)
    response = client.get("/admin/events/participant/add/?organisation=//x&event=abc&user=1.5")
    assert response.status_code == 200
    page = client.get(f"/admin/events/participant/add/?organisation={world.member_company.pk}")
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["organisation"] == str(world.member_company.pk)
