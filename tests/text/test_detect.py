"""The language of a text, among the platform's languages, or "" when it cannot be told."""

import pytest
from django.conf import settings

from clusterbroker.text.detect import detect_language, detector

SENTENCES = {
    "en": "Our cluster helps small manufacturers adopt collaborative robots and share "
    "testing facilities across the region.",
    "fr": "Notre pôle accompagne les petites entreprises industrielles de la région dans "
    "l'adoption de la robotique collaborative.",
    "de": "Wir suchen einen Partner für die Digitalisierung unserer Fertigung und die "
    "Vernetzung der Maschinen im Werk.",
    "it": "La nostra azienda sviluppa soluzioni di manifattura additiva per le imprese "
    "della Lombardia e del Nord Italia.",
    "es": "Buscamos socios tecnológicos para desarrollar sensores inteligentes que mejoren "
    "la eficiencia energética de las fábricas.",
    "ca": "El nostre centre tecnològic ajuda les empreses catalanes a digitalitzar els "
    "seus processos de producció.",
    "pt": "A nossa associação apoia as pequenas e médias empresas na transformação digital "
    "e na procura de parceiros internacionais.",
    "ro": "Clusterul nostru sprijină întreprinderile mici și mijlocii din regiune în "
    "procesul de digitalizare a producției industriale.",
    "nl": "Wij zoeken een partner die ons kan helpen bij het automatiseren van de "
    "productielijn en het verbeteren van de kwaliteit.",
    "fi": "Etsimme kumppania, joka voi auttaa meitä automatisoimaan tuotantolinjan ja "
    "parantamaan tuotteidemme laatua merkittävästi.",
    "et": "Meie ettevõte otsib partnerit, kes aitaks tootmisprotsesse digitaliseerida ja "
    "leida uusi koostöövõimalusi Euroopas.",
}


def test_every_language_of_the_platform_has_its_sentence():
    assert set(SENTENCES) == {code for code, _name in settings.ALL_LANGUAGES}
    assert all(len(text.split()) >= 10 for text in SENTENCES.values())


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_a_sentence_is_detected_in_its_language(code):
    assert detect_language(SENTENCES[code]) == code


@pytest.mark.parametrize("text", ["", "   ", "ok", "AI", "Robotics", "IoT platform", "4.0 – 2025"])
def test_too_short_a_text_has_no_language(text):
    assert detect_language(text) == ""


def test_a_long_text_is_detected_from_its_beginning():
    text = SENTENCES["it"] + " " + " ".join([SENTENCES["it"]] * 200)
    assert len(text) > 20000
    assert detect_language(text) == "it"


def test_the_detector_is_built_once_and_knows_only_the_platform_languages():
    assert detector() is detector()
    # Swedish is not a language of the platform: the detector does not even consider it.
    swedish = (
        "Vi söker en partner som kan hjälpa oss att automatisera produktionslinjen och "
        "förbättra kvaliteten på våra produkter."
    )
    found = detector().detect_language_of(swedish)
    assert found.iso_code_639_1.name.lower() in {code for code, _name in settings.ALL_LANGUAGES}
