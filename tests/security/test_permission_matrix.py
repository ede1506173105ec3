"""Walks the whole permission matrix (tests/security/permission_matrix.py) through the pages
and the API: one test per row and channel (page or API), checking every role; each role's
request runs in a savepoint that is rolled back, so all roles see the same records."""

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from clusterbroker.brokering import embeddings
from clusterbroker.registry.models import ApiToken

from .permission_matrix import MATRIX, ROLES, Row
from .scene import build_scene

pytestmark = pytest.mark.django_db

# The scene's user for each role (None: not logged in); the scene holds the `world`
# fixture's users and those its builders add.
ROLE_USERS = {
    "anonymous": None,
    "company_user": "company_user",
    "other_company_user": "other_company_user",
    "cluster_manager": "cluster_manager",
    "partnership_manager": "partnership_manager",
    "other_partnership_manager": "other_partnership_manager",
    "platform_admin": "admin",
    "evaluator": "evaluator",
}


def _cases():
    for row in MATRIX:
        for channel in ("page", "api"):
            if getattr(row, channel):
                yield pytest.param(row, channel, id=f"{row.kind}-{row.action}-{channel}")


def test_the_matrix_is_well_formed():
    assert set(ROLE_USERS) == set(ROLES)
    seen = set()
    for row in MATRIX:
        name = f"{row.kind} / {row.action}"
        assert len(row.marks) == len(ROLES), f"{name}: one mark per role"
        assert set(row.marks) <= {"Y", "N", "-"}, f"{name}: marks are Y, N or -"
        assert row.page or row.api, f"{name}: a page or an API endpoint"
        assert "-" not in row.marks or row.shows, f"{name}: “-” needs `shows`"
        assert name not in seen, f"{name}: twice"
        seen.add(name)


def _fill(value, scene: dict):
    if isinstance(value, str):
        return value.format(**scene)
    if isinstance(value, dict):
        return {_fill(k, scene): _fill(v, scene) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(item, scene) for item in value]
    return value


def _json_value(text):
    """Payload values that name a number become numbers (ids in the API's JSON)."""
    return int(text) if isinstance(text, str) and text.isdigit() else text


def _call(client: Client, row: Row, channel: str, scene: dict, token: str | None):
    method, path = _fill(getattr(row, channel), scene).split(" ", 1)
    send = getattr(client, method.lower())
    if channel == "page":
        return send(path, _fill(row.data, scene)) if method == "POST" else send(path)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if row.body is None:
        return send(path, headers=headers)
    body = {k: _json_value(v) for k, v in _fill(row.body, scene).items()}
    return send(path, json.dumps(body), content_type="application/json", headers=headers)


def _to_login(response) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response["Location"]).path
    return target in (resolve_url(settings.LOGIN_URL), "/admin/login/")


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _check(row: Row, channel: str, user, mark: str, response, marker: str | None) -> str | None:
    """What is wrong with `response` for this mark, or None."""
    status, body = response.status_code, _content(response)
    if mark == "N":
        refusals = {403, 404} | ({401} if user is None and channel == "api" else set())
        # Anonymous users are sent to log in; the Django admin sends non-staff users there too.
        sent_to_login = _to_login(response) and (user is None or "/admin/" in (row.page or ""))
        if status not in refusals and not sent_to_login:
            return f"expected a refusal, got {status}"
    elif status >= 400 or _to_login(response):
        return f"expected success, got {status}"
    if marker and mark == "Y" and marker not in body:
        return f"“{marker}” missing from the response"
    if marker and mark != "Y" and marker in body:
        return f"“{marker}” leaked into the response"
    return None


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """Files the scene stores (application attachments) go to a temporary data directory.
    Brokering rows rank matches and save profiles: with the model-free encoder, as in the
    brokering tests."""
    settings.DATA_DIR = tmp_path
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    yield
    embeddings.use_encoder(previous)


@pytest.mark.parametrize(("row", "channel"), list(_cases()))
def test_permission_matrix(world, row: Row, channel: str):
    scene = build_scene(world)
    marker = _fill(row.shows, scene) if row.shows else None
    problems = []
    for role, mark in zip(ROLES, row.marks, strict=True):
        user = scene[ROLE_USERS[role]] if ROLE_USERS[role] else None
        with transaction.atomic():
            client, token = Client(), None
            if user is not None:
                token = ApiToken.issue(user, "permission matrix")[1]
                if channel == "page":
                    client.force_login(user)  # the API is called with the token alone
            response = _call(client, row, channel, scene, token)
            problem = _check(row, channel, user, mark, response, marker)
            if problem:
                problems.append(f"{role} (mark {mark}): {problem}")
            transaction.set_rollback(True)
    assert not problems, f"{row.kind} / {row.action} ({channel}):\n" + "\n".join(problems)
