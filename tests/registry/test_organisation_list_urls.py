"""The organisation list's addresses carry the current filters once, and it sorts names as
people read them."""

import re
from html import unescape

import pytest

from clusterbroker.registry.models import Organisation, OrganisationKind
from clusterbroker.registry.ordering import name_key
from clusterbroker.registry.services import OrganisationFilter, filter_organisations

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _links(page: str, fmt: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(\?[^"]*format=' + fmt + ')"', page)]


def test_a_search_repeated_in_the_address_counts_once_and_export_links_carry_the_last(client):
    OrganisationFactory(name="Lombard Robotics", country="IT")
    OrganisationFactory(name="Robot Works", country="IT")
    response = client.get("/organisations/?q=robot&kind=&country=IT&q=Lombard&page=1&format=")
    assert [o.name for o in response.context["page"]] == ["Lombard Robotics"]
    page = response.content.decode()
    assert _links(page, "csv") == ["?q=Lombard&country=IT&format=csv"]
    assert _links(page, "json") == ["?q=Lombard&country=IT&format=json"]


def test_export_links_carry_no_paging_and_no_empty_filter(client):
    OrganisationFactory.create_batch(30, country="AT", kind=OrganisationKind.COMPANY)
    response = client.get("/organisations/?country=AT&kind=company&term=&page=2")
    page = response.content.decode()
    assert _links(page, "xlsx") == ["?kind=company&country=AT&format=xlsx"]
    assert 'href="?kind=company&amp;country=AT&amp;page=1"' in page  # the previous page


def test_the_export_follows_the_filters_of_the_links(client):
    OrganisationFactory(name="Lombard Robotics", country="IT")
    OrganisationFactory(name="Robot Works", country="FR")
    export = client.get("/organisations/?q=robot&country=IT&format=csv")
    assert "Lombard Robotics" in export.content.decode()
    assert "Robot Works" not in export.content.decode()


def test_the_search_form_sends_its_fields_to_the_address_without_query(client):
    """htmx sends a GET form to hx-get with the form's fields added: an empty hx-get would
    mean the current address, query included, and every search would append to it."""
    page = client.get("/organisations/?q=robot&partnership=alpine").content.decode()
    form = re.search(r'<form class="filters"[^>]*>', page).group(0)
    assert 'action="/organisations/"' in form and 'hx-get="/organisations/"' in form
    assert '<input type="hidden" name="partnership" value="alpine">' in page


def test_cleaned_criteria_make_the_query_string():
    criteria = OrganisationFilter.from_query({"q": "  cobots ", "kind": "", "country": "FR"})
    assert criteria == OrganisationFilter(text="cobots", country="FR")
    assert criteria.query_string() == "q=cobots&country=FR"
    assert OrganisationFilter().query_string() == ""


def test_names_sort_without_regard_to_case_and_accents():
    for name in ("AUDROS", "Zeta Systems", "École Centrale", "Association", "Ébène", "emc2"):
        OrganisationFactory(name=name)
    names = [o.name for o in filter_organisations(OrganisationFilter())]
    assert names == [
        "Association",
        "AUDROS",
        "Ébène",
        "École Centrale",
        "emc2",
        "Zeta Systems",
    ]


def test_the_page_lists_names_in_that_order(client):
    for name in ("AUDROS", "Association", "Bâtiment Lab", "beta works"):
        OrganisationFactory(name=name)
    response = client.get("/organisations/")
    assert [o.name for o in response.context["page"]] == [
        "Association",
        "AUDROS",
        "Bâtiment Lab",
        "beta works",
    ]


def test_filters_through_related_rows_keep_the_order(world):
    names = [o.name for o in filter_organisations(OrganisationFilter(partnership="alpine-motors"))]
    assert names == ["Mecha Cluster", "Precision Parts"]
    assert Organisation.objects.count() == 4


def test_name_key_ignores_case_and_accents():
    assert name_key("Ébène") == name_key("EBENE") == "ebene"
    assert name_key("Association") < name_key("AUDROS")
    assert name_key(None) == ""
