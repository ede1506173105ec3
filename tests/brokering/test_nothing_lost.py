"""Nothing lost: opening the questionnaire and saving it again unchanged keeps every offer and
need (confidential ones included), on the pages and through the API (GET then POST back)."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from clusterbroker.brokering import permissions, services
from clusterbroker.brokering.models import Need, Profile
from tests.factories import PositionFactory, RegionFactory

from .factories import save_profile, taxonomy_terms

pytestmark = pytest.mark.django_db
SECRET = "Collaborative robot for deburring, local integrator preferred"


class FormValues(HTMLParser):
    """The values a browser would post for the page's questionnaire form: text inputs, ticked
    checkboxes, selected options and textareas (the submit buttons are left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values.append((name, a.get("value") or "on"))
            else:
                self.values.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The browser drops the newline that follows <textarea>.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.values.append((self._textarea, text))
            self._textarea = None


def _form_values(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return data


def _save_unchanged_on_pages(client, organisation) -> list[int]:
    """Open the questionnaire for the organisation and post each step back as shown."""
    start = reverse("brokering:questionnaire") + f"?organisation={organisation.slug}"
    page = client.get(start)
    assert page.status_code == 200
    statuses = []
    for step in ("who", "offers", "needs", "preferences"):
        url = reverse("brokering:questionnaire-step", args=[step])
        if step != "who":
            page = client.get(url + "?continue=1")
        response = client.post(url, _form_values(page.content.decode()))
        statuses.append(response.status_code)
    return statuses


def _state(profile: Profile) -> dict:
    profile.refresh_from_db()
    organisation = profile.organisation
    organisation.refresh_from_db()
    return {
        "public_id": profile.public_id,
        "summary": profile.summary,
        "sector": profile.sector,
        "stage": profile.stage,
        "size": organisation.size_class,
        "countries": profile.countries_of_interest,
        "regions": sorted(profile.regions_of_interest.values_list("code", flat=True)),
        "cross_border": profile.cross_border,
        "offers": [
            (o.title, o.description, sorted(t.code for t in o.terms.all()))
            for o in profile.offers.order_by("pk")
        ],
        "needs": [
            (
                n.pk,
                n.ref,
                n.kind,
                n.description,
                n.confidential,
                n.local,
                n.window_start,
                n.window_end,
                sorted(t.code for t in n.terms.all()),
            )
            for n in profile.needs.order_by("pk")
        ],
    }


@pytest.fixture
def filled(world):
    """`member_company`'s profile with two offers, a confidential need (local help, a
    window, terms) and a public one, saved by its own editor."""
    taxonomy_terms()
    RegionFactory(code="ITC4", name="Lombardia", country="IT")
    return save_profile(
        world.company_user,
        world.member_company,
        summary="Machined parts for automotive\nand aerospace.",
        sector="Machining",
        stage="established",
        size_class="small",
        countries_of_interest=["DE", "FR"],
        regions_of_interest=["ITC4"],
        cross_border=False,
        offers=[
            services.OfferData("Five-axis machining", "Titanium and aluminium", ["effra:D1"]),
            services.OfferData("Metrology", "", []),
        ],
        needs=[
            services.NeedData(
                kind="technology",
                description=SECRET,
                terms=["effra:D3", "dia-ict:AI"],
                confidential=True,
                local=True,
                window_start=dt.date(2027, 1, 1),
                window_end=dt.date(2027, 6, 30),
            ),
            services.NeedData(kind="service", description="Cloud MES", terms=["dia-ict:CLOUD"]),
        ],
    )


def test_saving_the_questionnaire_unchanged_on_the_pages_keeps_everything(world, filled):
    before = _state(filled)
    assert len(before["needs"]) == 2 and before["needs"][0][4] is True
    statuses = _save_unchanged_on_pages(world.client(world.company_user), world.member_company)
    assert statuses == [302, 302, 302, 302]
    assert _state(filled) == before


def test_saving_unchanged_with_htmx_keeps_everything(world, filled):
    before = _state(filled)
    client = world.client(world.company_user)
    page = client.get(
        reverse("brokering:questionnaire") + f"?organisation={filled.organisation.slug}"
    )
    for step in ("who", "offers", "needs", "preferences"):
        url = reverse("brokering:questionnaire-step", args=[step])
        page = client.post(url, _form_values(page.content.decode()), HTTP_HX_REQUEST="true")
        assert page.status_code in (200, 204)
    assert page.status_code == 204
    assert _state(filled) == before


def test_removing_an_item_on_the_pages_removes_only_that_item(world, filled):
    before = _state(filled)
    client = world.client(world.company_user)
    client.get(reverse("brokering:questionnaire") + f"?organisation={filled.organisation.slug}")
    for step in ("who", "offers", "needs", "preferences"):
        url = reverse("brokering:questionnaire-step", args=[step])
        values = _form_values(client.get(url + "?continue=1").content.decode())
        if step == "offers":
            values["offers-1-title"] = [""]  # the user empties "Metrology"
        assert client.post(url, values).status_code == 302
    after = _state(filled)
    assert after["offers"] == before["offers"][:1]
    assert after["needs"] == before["needs"]


def test_the_api_round_trip_keeps_everything(world, filled):
    before = _state(filled)
    client = world.client(world.company_user)
    read = client.get(f"/api/brokering/profiles/{filled.public_id}")
    assert read.status_code == 200
    body = read.json()
    assert any(n["confidential"] for n in body["needs"])
    saved = client.post("/api/brokering/profiles", body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert _state(filled) == before
    assert saved.json() == body


def test_a_keeper_through_a_relation_saves_unchanged_without_losing_anything(world):
    """A cluster manager keeps its member's profile: saving it unchanged on the pages and
    through the API neither removes nor publishes the member's confidential need."""
    taxonomy_terms()
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        sector="Tanks",
        offers=[services.OfferData("Composite winding", "", ["effra:D1"])],
        needs=[
            services.NeedData(kind="technology", description=SECRET, confidential=True),
            services.NeedData(kind="service", description="Open need"),
        ],
    )
    before = _state(profile)
    client = world.client(world.cluster_manager)
    assert _save_unchanged_on_pages(client, world.cluster_member) == [302, 302, 302, 302]
    assert _state(profile) == before
    body = client.get(f"/api/brokering/profiles/{profile.public_id}").json()
    saved = client.post("/api/brokering/profiles", body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert _state(profile) == before


def test_a_save_leaves_the_needs_the_user_cannot_read_untouched(world, monkeypatch):
    """Whoever saves a profile without reading some of its confidential needs (they are not
    shown to them) leaves those needs as they are: not removed, not changed, not
    published, even when the payload names their id."""
    taxonomy_terms()
    owner = PositionFactory(organisation=world.cluster_member, role="editor").person.user
    profile = save_profile(
        owner,
        world.cluster_member,
        needs=[
            services.NeedData(kind="technology", description=SECRET, confidential=True),
            services.NeedData(kind="service", description="Open need"),
        ],
    )
    secret = profile.needs.get(confidential=True)
    # The keeping manager is not allowed to read this one.
    readable = permissions.visible_confidential_need_ids
    monkeypatch.setattr(
        permissions,
        "visible_confidential_need_ids",
        lambda user: (
            readable(user) - {secret.pk} if user == world.cluster_manager else readable(user)
        ),
    )
    client = world.client(world.cluster_manager)
    body = client.get(f"/api/brokering/profiles/{profile.public_id}").json()
    assert [n["description"] for n in body["needs"]] == ["Open need"]
    body["needs"].append(
        {"id": secret.pk, "kind": "funding", "description": "Overwritten", "confidential": False}
    )
    saved = client.post("/api/brokering/profiles", body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    secret.refresh_from_db()
    assert (secret.kind, secret.description, secret.confidential) == ("technology", SECRET, True)
    assert Need.objects.filter(profile=profile).count() == 3  # the unknown id made a new need
    client.get(reverse("brokering:questionnaire") + f"?organisation={world.cluster_member.slug}")
    page = client.get(reverse("brokering:questionnaire-step", args=["needs"]) + "?continue=1")
    assert "Open need" in page.content.decode() and SECRET not in page.content.decode()
    assert _save_unchanged_on_pages(client, world.cluster_member) == [302, 302, 302, 302]
    assert Need.objects.filter(pk=secret.pk, description=SECRET, confidential=True).exists()
