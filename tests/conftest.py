import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from clusterbroker.registry.models import Organisation, Partnership, Position

from .factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    PartnershipRoleFactory,
    PersonFactory,
    PositionFactory,
    UserFactory,
)


@dataclass
class World:
    """A small registry with one user per role.

    `partnership` has members `cluster` and `member_company`; `cluster` (a cluster
    organisation) has the member `cluster_member`; `other_company` belongs to
    nothing. Users: `admin`, `partnership_manager` (of `partnership`),
    `cluster_manager` (of `cluster`), `company_user` (editor of `member_company`),
    `other_company_user` (editor of `other_company`), `outsider` (no role).
    """

    partnership: Partnership
    other_partnership: Partnership
    cluster: Organisation
    cluster_member: Organisation
    member_company: Organisation
    other_company: Organisation
    admin: object
    partnership_manager: object
    other_partnership_manager: object
    cluster_manager: object
    company_user: object
    other_company_user: object
    outsider: object

    def client(self, user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def brokering_index(settings, tmp_path_factory):
    """Each test has its own directory for the matching engine's persisted index and no
    index left in memory by another test."""
    from clusterbroker.brokering import engine

    settings.BROKERING_INDEX_DIR = str(tmp_path_factory.mktemp("brokering-index"))
    engine._cache.clear()
    yield
    engine._cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a fast hasher keeps them quick (login is still real)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    partnership = PartnershipFactory(name="Alpine Motors", slug="alpine-motors")
    other_partnership = PartnershipFactory(name="Baltic Link", slug="baltic-link")
    cluster = ClusterFactory(name="Mecha Cluster", slug="mecha-cluster")
    member_company = OrganisationFactory(name="Precision Parts", slug="precision-parts")
    cluster_member = OrganisationFactory(name="Cluster Member Ltd", slug="cluster-member-ltd")
    other_company = OrganisationFactory(name="Far Away GmbH", slug="far-away", country="DE")
    PartnershipMemberFactory(partnership=partnership, organisation=cluster)
    PartnershipMemberFactory(partnership=partnership, organisation=member_company)
    PartnershipMemberFactory(partnership=other_partnership, organisation=other_company)
    MembershipFactory(organisation=cluster_member, cluster=cluster)

    def person_with(**role) -> object:
        person = PersonFactory()
        if "partnership" in role:
            PartnershipRoleFactory(person=person, partnership=role["partnership"])
        if "organisation" in role:
            PositionFactory(person=person, organisation=role["organisation"], role=role["as_"])
        return person.user

    return World(
        partnership=partnership,
        other_partnership=other_partnership,
        cluster=cluster,
        cluster_member=cluster_member,
        member_company=member_company,
        other_company=other_company,
        admin=UserFactory(username="root", is_superuser=True, is_staff=True),
        partnership_manager=person_with(partnership=partnership),
        other_partnership_manager=person_with(partnership=other_partnership),
        cluster_manager=person_with(organisation=cluster, as_=Position.Role.MANAGER),
        company_user=person_with(organisation=member_company, as_=Position.Role.EDITOR),
        other_company_user=person_with(organisation=other_company, as_=Position.Role.EDITOR),
        outsider=UserFactory(username="outsider"),
    )


CHROMIUM = Path("/usr/bin/chromium")


def launch_browser(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )


class PolicyWatchingBrowser:
    """The browser, keeping every console message in which Chromium reports that the
    Content-Security-Policy or the Permissions-Policy refused something (or is wrong)."""

    WATCHED = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")

    def __init__(self, browser) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def _keep(self, message) -> None:
        if any(words in message.text for words in self.WATCHED):
            self.violations.append(f"{message.location.get('url', '')}: {message.text}")

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.on("console", self._keep)
        return context

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.on("console", self._keep)
        return page

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # happen outside of it, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = PolicyWatchingBrowser(launch_browser(playwright))
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Every page a browser test visits passes the security policies.
    assert browser.violations == []


def log_in(browser, live_server, user, password: str = "browser-pass"):
    """A new browser context (its own cookies) with `user` logged in."""
    from .accounts.factories import verify_address

    user.set_password(password)
    user.save()
    verify_address(user)  # log-in needs a verified e-mail address
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def without_csrf_tokens(content: bytes) -> bytes:
    """A page with its CSRF tokens blanked: Django masks the token anew in every response,
    so two renderings of the same page differ there and nowhere else."""
    import re

    content = re.sub(rb'("X-CSRFToken": ")[A-Za-z0-9]+(")', rb"\1\2", content)
    return re.sub(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")', rb"\1\2", content)


@pytest.fixture(autouse=True)
def fresh_fragments():
    """No page fragment kept rendered by another test (a rolled-back test's rows may come
    back with the same ids)."""
    from django.core.cache import caches

    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def fresh_map_shapes():
    """The maps read the regions of this test's database, not shapes kept by another test."""
    from clusterbroker.registry import map_data

    map_data._cache.clear()
    yield
    map_data._cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a page asked in French by one test (the
    locale middleware activates the language for the thread) must not leave it active."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
