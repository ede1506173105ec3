"""Taxonomy names and term labels in every language: the model's fallbacks, the pages and
the API in the reader's language, and sample taxonomies translated into every language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from clusterbroker.brokering.forms import term_choices
from clusterbroker.registry.matrix import MatrixColumn
from clusterbroker.registry.models import Taxonomy, Term
from clusterbroker.registry.sample_data import (
    SAMPLE_DATA_DIR,
    SampleDataError,
    load_sample_data,
    read_sample_data,
)

from ..factories import (
    CompetenceFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
    TaxonomyFactory,
    TermFactory,
)

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Words that are the same in a language as in English (checked, not forgotten).
SAME_AS_ENGLISH = {("fr", "SIMULATION"), ("de", "SIMULATION")}


@pytest.fixture
def effra():
    taxonomy = TaxonomyFactory(
        code="effra",
        name="EFFRA domains",
        names={"fr": "Domaines de l'EFFRA", "pt": "Domínios da EFFRA"},
    )
    d1 = TermFactory(
        taxonomy=taxonomy,
        code="D1",
        label="Advanced manufacturing processes",
        labels={"fr": "Procédés de fabrication avancés", "pt": "Processos de fabrico avançados"},
        description="Innovative processing",
        descriptions={"fr": "Procédés innovants"},
    )
    return taxonomy, d1


# ------------------------------------------------------------------ the model


@pytest.mark.django_db
def test_label_in_uses_the_active_language_then_its_base_then_english(effra):
    taxonomy, d1 = effra
    assert d1.label_in("fr") == "Procédés de fabrication avancés"
    assert d1.label_in("pt-br") == "Processos de fabrico avançados"  # base language
    assert d1.label_in("pt_BR") == "Processos de fabrico avançados"
    assert d1.label_in("de") == "Advanced manufacturing processes"  # no German: English
    assert d1.label_in("en") == "Advanced manufacturing processes"
    with translation.override("fr"):
        assert d1.label_in() == "Procédés de fabrication avancés"
        assert str(d1) == "D1 Procédés de fabrication avancés"
        assert taxonomy.name_in() == str(taxonomy) == "Domaines de l'EFFRA"
        assert d1.description_in() == "Procédés innovants"
    with translation.override("pt-br"):
        assert taxonomy.name_in() == "Domínios da EFFRA"
    with translation.override("de"):
        assert d1.label_in() == "Advanced manufacturing processes"
        assert taxonomy.name_in() == "EFFRA domains"
        assert d1.description_in() == "Innovative processing"
    with translation.override("en"):
        assert str(d1) == "D1 Advanced manufacturing processes"


@pytest.mark.django_db
def test_an_empty_or_blank_translation_falls_back_to_english():
    term = TermFactory(label="Robotics", labels={"fr": "", "it": "  ", "de": None})
    assert term.label_in("fr") == term.label_in("it") == term.label_in("de") == "Robotics"
    assert TermFactory(label="Cloud").labels == {}  # the default
    with translation.override(None):  # no active language at all
        assert term.label_in() == "Robotics"


@pytest.mark.django_db
def test_the_template_filters_speak_the_active_language(effra):
    taxonomy, d1 = effra
    template = Template(
        "{% load taxonomy_labels %}{{ t|taxonomy_name }}|{{ term|term_label }}|"
        "{{ term|term_description }}|{{ column|term_label }}"
    )
    column = MatrixColumn("D1", "Colonne", "")
    context = Context({"t": taxonomy, "term": d1, "column": column})
    with translation.override("fr"):
        assert template.render(context) == (
            "Domaines de l&#x27;EFFRA|Procédés de fabrication avancés|Procédés innovants|Colonne"
        )
    with translation.override("en"):
        assert template.render(context) == (
            "EFFRA domains|Advanced manufacturing processes|Innovative processing|Colonne"
        )


# ------------------------------------------------------------------ pages


@pytest.fixture
def partnership(effra):
    taxonomy, d1 = effra
    partnership = PartnershipFactory(slug="four-motors")
    organisation = OrganisationFactory(slug="cec")
    PartnershipMemberFactory(partnership=partnership, organisation=organisation)
    CompetenceFactory(organisation=organisation, term=d1, level="leading")
    return partnership, organisation


@pytest.mark.django_db
def test_the_partnership_matrix_shows_the_labels_in_the_chosen_language(partnership):
    url = f"/partnerships/{partnership[0].slug}/"
    french = Client().get(f"{url}?lang=fr").content.decode()
    assert "Procédés de fabrication avancés" in french
    assert "Domaines de l&#x27;EFFRA" in french  # the taxonomy chooser
    assert "Advanced manufacturing processes" not in french
    english = Client().get(url).content.decode()
    assert "Advanced manufacturing processes" in english
    assert "Procédés de fabrication avancés" not in english


@pytest.mark.django_db
def test_the_organisation_page_shows_its_competences_in_the_chosen_language(partnership):
    url = f"/organisations/{partnership[1].slug}/"
    french = Client().get(f"{url}?lang=fr").content.decode()
    assert re.search(r"<strong>D1</strong>\s*Procédés de fabrication avancés", french)
    assert "Domaines de l&#x27;EFFRA" in french
    assert "Advanced manufacturing processes" not in french
    english = Client().get(url).content.decode()
    assert re.search(r"<strong>D1</strong>\s*Advanced manufacturing processes", english)
    assert "Procédés de fabrication avancés" not in english


@pytest.mark.django_db
def test_the_organisation_list_filter_offers_the_terms_in_the_chosen_language(partnership):
    french = Client().get("/organisations/?lang=fr").content.decode()
    assert 'value="effra:D1"' in french
    assert "D1 Procédés de fabrication avancés" in french
    assert "D1 Advanced manufacturing processes" in Client().get("/organisations/").content.decode()


@pytest.mark.django_db
def test_the_brokering_term_picker_speaks_the_active_language(effra):
    with translation.override("fr"):
        groups = dict(term_choices())
    assert groups["Domaines de l'EFFRA"] == [("effra:D1", "D1 Procédés de fabrication avancés")]


# ------------------------------------------------------------------ API


@pytest.mark.django_db
def test_the_api_gives_every_label_and_one_in_the_requests_language(partnership):
    client = Client()
    english = client.get("/api/taxonomies/effra").json()
    assert english["name"] == "EFFRA domains"
    assert english["names"] == {
        "en": "EFFRA domains",
        "fr": "Domaines de l'EFFRA",
        "pt": "Domínios da EFFRA",
    }
    (term,) = english["terms"]
    assert term["key"] == "effra:D1" and term["label"] == "Advanced manufacturing processes"
    assert term["labels"]["en"] == "Advanced manufacturing processes"
    assert term["labels"]["fr"] == "Procédés de fabrication avancés"
    french = client.get("/api/taxonomies/effra?lang=fr").json()
    assert french["terms"][0]["label"] == "Procédés de fabrication avancés"
    assert french["terms"][0]["description"] == "Procédés innovants"
    by_header = Client(headers={"accept-language": "pt-BR,pt;q=0.9"}).get("/api/taxonomies/effra")
    assert by_header.json()["terms"][0]["label"] == "Processos de fabrico avançados"
    listing = client.get("/api/taxonomies/?lang=fr").json()
    assert [(t["code"], t["name"], t["terms"]) for t in listing] == [
        ("effra", "Domaines de l'EFFRA", 1)
    ]
    assert client.get("/api/taxonomies/nothing").status_code == 404
    matrix = Client().get("/api/partnerships/four-motors/matrix?lang=fr").json()
    assert matrix["columns"][0]["label"] == "Procédés de fabrication avancés"
    assert matrix["columns"][0]["labels"]["en"] == "Advanced manufacturing processes"
    matrix = Client().get("/api/partnerships/four-motors/matrix").json()
    assert matrix["columns"][0]["label"] == "Advanced manufacturing processes"


# ------------------------------------------------------------------ sample data


def _terms(items):
    for item in items:
        yield item
        yield from _terms(item.get("children", []))


def _is_code(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9 &/().-]*", text))


def test_every_sample_taxonomy_and_term_has_a_label_in_every_language():
    data = read_sample_data()
    assert {t["code"] for t in data.taxonomies} >= {"effra", "i4ms", "dia-ict", "dia-industrial"}
    assert len(OTHER_LANGUAGES) == 10
    problems = []
    for taxonomy in data.taxonomies:
        for language in OTHER_LANGUAGES:
            name = (taxonomy.get("names") or {}).get(language, "")
            if not name.strip():
                problems.append(f"{taxonomy['code']}: no name in {language}")
            elif name.casefold() == taxonomy["name"].casefold():
                problems.append(f"{taxonomy['code']}: name in {language} is the English")
        for term in _terms(taxonomy.get("terms", [])):
            where = f"{taxonomy['code']}:{term['code']}"
            for language in OTHER_LANGUAGES:
                label = (term.get("labels") or {}).get(language, "")
                if not label.strip():
                    problems.append(f"{where}: no label in {language}")
                elif (
                    label.casefold() == term["label"].casefold()
                    and not _is_code(label)
                    and (language, term["code"]) not in SAME_AS_ENGLISH
                ):
                    problems.append(f"{where}: label in {language} is the English “{label}”")
            if term.get("description"):
                missing = set(OTHER_LANGUAGES) - set(term.get("descriptions") or {})
                if missing:
                    problems.append(f"{where}: no description in {sorted(missing)}")
            unknown = set(term.get("labels") or {}) - set(OTHER_LANGUAGES)
            if unknown:
                problems.append(f"{where}: labels in languages the site does not speak {unknown}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_loading_the_sample_data_stores_the_translations_and_stays_idempotent():
    load_sample_data()
    d1 = Term.objects.get(taxonomy__code="effra", code="D1")
    assert d1.label == "Advanced manufacturing processes"
    assert d1.label_in("fr") == "Procédés de fabrication avancés"
    assert d1.label_in("de") == "Fortgeschrittene Fertigungsverfahren"
    assert d1.description_in("it").startswith("Processi innovativi")
    assert Taxonomy.objects.get(code="i4ms").name_in("it").startswith("Aree tecnologiche")
    counts = Term.objects.count(), Taxonomy.objects.count()
    load_sample_data()
    assert (Term.objects.count(), Taxonomy.objects.count()) == counts
    d1.refresh_from_db()
    assert set(d1.labels) == set(OTHER_LANGUAGES)
    untranslated = [
        t.key
        for t in Term.objects.select_related("taxonomy")
        if set(t.labels) != set(OTHER_LANGUAGES)
    ]
    assert untranslated == []


def _sample_dir(tmp_path: Path, translations: str) -> Path:
    (tmp_path / "10_one.yaml").write_text(
        (SAMPLE_DATA_DIR / "10_four_motors.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "translations").mkdir()
    (tmp_path / "translations" / "effra.yaml").write_text(translations, encoding="utf-8")
    return tmp_path


def test_a_translation_of_an_unknown_term_or_taxonomy_is_refused(tmp_path):
    folder = _sample_dir(tmp_path, "taxonomy: effra\nlabels:\n  D9:\n    fr: Inconnu\n")
    with pytest.raises(SampleDataError, match="unknown term 'effra:D9'"):
        read_sample_data(folder)
    (folder / "translations" / "effra.yaml").write_text("taxonomy: nothing\n")
    with pytest.raises(SampleDataError, match="unknown taxonomy 'nothing'"):
        read_sample_data(folder)
    (folder / "translations" / "effra.yaml").write_text(
        "taxonomy: effra\nnames: {fr: Domaines}\nlabels:\n  D1: {fr: Procédés}\n"
    )
    effra = read_sample_data(folder).taxonomies[0]
    assert effra["names"] == {"fr": "Domaines"}
    assert effra["terms"][0]["labels"] == {"fr": "Procédés"}
