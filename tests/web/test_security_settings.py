"""Production settings pass Django's deployment checks; repeated failed logins lock out;
every page passes the Content-Security-Policy; cookies are Secure over HTTPS."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from ..accounts.factories import account

PRODUCTION = {
    "CLUSTERBROKER_DEBUG": "0",
    "CLUSTERBROKER_SECRET_KEY": "k" * 20 + "-9f8e7d6c5b4a3210-production-secret-for-the-check",
    "CLUSTERBROKER_ALLOWED_HOSTS": "broker.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERBROKER_")}
    full.update(env, DJANGO_SETTINGS_MODULE="clusterbroker.settings")
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    result = _check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "CLUSTERBROKER_SECRET_KEY"}
    result = _check(env)
    assert result.returncode != 0
    assert "CLUSTERBROKER_SECRET_KEY must be set" in result.stderr


def test_development_settings_fail_the_deployment_check():
    # The check is not a formality: DEBUG and the development key are flagged.
    result = _check({"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client):
    account("ana", "right-password-123")
    url = reverse("login")
    for _ in range(4):
        response = client.post(url, {"login": "ana", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    fifth = client.post(url, {"login": "ana", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post(url, {"login": "ana", "password": "right-password-123"})
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert "_auth_user_id" not in client.session
    # Another username from the same address is not affected.
    account("bo", "right-password-456")
    ok = client.post(url, {"login": "bo", "password": "right-password-456"})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/organisations/", "/partnerships/", "/projects/"])
def test_a_nul_character_in_a_page_query_is_a_clear_400(client, path):
    response = client.get(path, {"q": "robot\x00ics"})
    assert response.status_code == 400
    assert b"NUL character" in response.content
    assert client.get(path, {"q": "robotics"}).status_code == 200


# Content-Security-Policy, Permissions-Policy, Secure cookies ------------------------------

EXPECTED_DIRECTIVES = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _nonce(policy: dict[str, list[str]]) -> str | None:
    for value in policy.get("script-src", []) + policy.get("style-src", []):
        if value.startswith("'nonce-"):
            return value[len("'nonce-") : -1]
    return None


class PageMarkup(HTMLParser):
    """What in a page the Content-Security-Policy would refuse (besides the nonce)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.inline_elements: list[tuple[str, str | None]] = []  # (tag, nonce)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> (an inline event handler)")
            if name == "style":
                self.problems.append(f"<{tag} style=…> (an inline style attribute)")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script":
            src = attributes.get("src")
            if src is None and attributes.get("type") != "application/json":
                self.inline_elements.append(("script", attributes.get("nonce")))
            elif src is not None and not src.startswith("/"):
                self.problems.append(f"<script src={src}> from another site")
        if tag == "style":
            self.inline_elements.append(("style", attributes.get("nonce")))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def _check_page(url: str, response) -> list[str]:
    """The CSP problems of one HTML page, each naming the page."""
    policy = _policy(response)
    problems = [
        f"{url}: {name} is {policy.get(name)}"
        for name, values in EXPECTED_DIRECTIVES.items()
        if policy.get(name) != values
    ]
    markup = PageMarkup()
    markup.feed(response.content.decode())
    problems += [f"{url}: {problem}" for problem in markup.problems]
    nonce = _nonce(policy)
    for tag, element_nonce in markup.inline_elements:
        if nonce is None or element_nonce != nonce:
            problems.append(f"{url}: an inline <{tag}> without this response's nonce")
    return problems


def _crawl(client, start: list[str], limit: int = 150) -> dict[str, list[str]]:
    """Follow the site's own links from `start` (one visit per path); the CSP problems found
    on each HTML page."""
    queue, seen, found = list(start), set(), {}
    while queue and len(found) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
            continue  # mailto: links and other sites
        if parts.path in seen:
            continue
        seen.add(parts.path)
        response = client.get(url)
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        assert response.status_code < 500, url
        found[url] = _check_page(url, response) if response.status_code == 200 else []
        markup = PageMarkup()
        markup.feed(response.content.decode())
        for link in markup.links:
            target = urljoin(url, link)
            path = urlsplit(target).path
            if not path.startswith(("/admin/", "/api/", "/accounts/logout")):
                queue.append(target)
    return found


@pytest.fixture
def scene(world):
    """The world, plus an action plan with dates and a KPI with a target (pages whose
    positions are computed), an event with a session, community items and a brokering
    profile with a need."""
    from ..brokering.factories import NeedFactory, ProfileFactory
    from ..community.factories import OfferFactory, OpenCallFactory, StoryFactory
    from ..events.factories import EventFactory, SessionFactory
    from ..plans.factories import ActionFactory, ManualKpiFactory

    ActionFactory(partnership=world.partnership, title="Matchmaking tour")
    ActionFactory(partnership=world.partnership, status="done", start=None, end=None)
    ManualKpiFactory(partnership=world.partnership, name="Companies reached", target=40)
    SessionFactory(event=EventFactory(name="Lyon brokerage", slug="lyon-brokerage"))
    OpenCallFactory(title="Digital twins call")
    OfferFactory(organisation=world.member_company, title="Machining service")
    StoryFactory(title="A success")
    NeedFactory(profile=ProfileFactory(organisation=world.member_company))
    return world


@pytest.mark.django_db
def test_every_page_of_a_crawl_passes_the_content_security_policy(scene):
    admin = scene.client(scene.admin)
    start = [
        reverse("home"),
        reverse("plans:action-plan", args=[scene.partnership.slug]),
        reverse("plans:dashboard", args=[scene.partnership.slug]),
        reverse("importers:organisations"),
        reverse("admin:index"),
        reverse("api-1.0.0:openapi-view"),
    ]
    found = _crawl(admin, start)
    found.update(_crawl(scene.client(), [reverse("home"), reverse("login")], limit=30))
    problems = [problem for page_problems in found.values() for problem in page_problems]
    assert problems == []
    # The crawl reached the pages of every part, including those with computed positions.
    paths = {urlsplit(url).path for url in found}
    for part in ("/organisations/", "/partnerships/", "/events/", "/community/", "/plans/"):
        assert any(path.startswith(part) and path != part for path in paths), part
    assert len(found) > 40


@pytest.mark.django_db
def test_computed_positions_come_in_a_style_element_with_the_nonce(scene):
    client = scene.client(scene.admin)
    for name in ("plans:action-plan", "plans:dashboard"):
        response = client.get(reverse(name, args=[scene.partnership.slug]))
        nonce = _nonce(_policy(response))
        assert nonce and len(nonce) >= 16
        assert f'<style nonce="{nonce}">' in response.content.decode()
        assert "%;" in response.content.decode().split(f'<style nonce="{nonce}">')[1]
    # A new nonce for every response.
    again = client.get(reverse("plans:dashboard", args=[scene.partnership.slug]))
    assert _nonce(_policy(again)) != nonce


@pytest.mark.django_db
def test_a_page_without_inline_elements_gets_no_nonce(client):
    policy = _policy(client.get(reverse("login")))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_permissions_policy_refuses_the_devices(client):
    header = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


@pytest.mark.django_db
def test_cookies_set_over_https_are_secure(client):
    account("ana", "right-password-123")
    form = client.get(reverse("login"), secure=True)
    assert form.cookies["csrftoken"]["secure"] is True
    login = client.post(
        reverse("login"),
        {"login": "ana", "password": "right-password-123"},
        secure=True,
    )
    assert login.status_code == 302
    assert login.cookies["sessionid"]["secure"] is True
    assert login.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_cookies_set_over_http_in_development_are_not_secure(client):
    account("ana", "right-password-123")
    form = client.get(reverse("login"))
    assert not form.cookies["csrftoken"]["secure"]
    login = client.post(reverse("login"), {"login": "ana", "password": "right-password-123"})
    assert login.status_code == 302
    assert not login.cookies["sessionid"]["secure"]
