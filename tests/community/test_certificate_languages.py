"""The certificate in the applicant's language: its sentences (one whole sentence per kind of
call, never a translated kind put inside another), its date and its score."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from clusterbroker.accounts.services import update_preferences
from clusterbroker.community.evaluation import certificate as certificates
from clusterbroker.community.evaluation import workflow
from clusterbroker.community.models import Certificate

from ..factories import OrganisationFactory
from ..pdf_text import pdf_strings
from .factories import AwardCallFactory, CriteriaSectionFactory, CriterionFactory
from .test_evaluation_api import evaluator_in

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2026, 6, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def readable_fonts(monkeypatch, settings):
    """The PDF standard fonts, whose text a test can read back (DejaVu's is glyph numbers)."""
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    monkeypatch.setattr(certificates, "fonts", lambda: certificates.STANDARD_FONTS)


def pdf_text(content: bytes) -> str:
    """The strings the certificate draws, one after the other."""
    return " | ".join(text for page in pdf_strings(content) for text in page)


def in_language(code: str, msgid: str) -> str:
    with translation.override(code):
        return translation.gettext(msgid)


def stored(kind: str) -> Certificate:
    return Certificate(
        number="sae-2026-7",
        code="abc",
        organisation_name="Precision Parts",
        call_name="I4MS-SAE",
        kind=kind,
        title="Cloud welding",
        score=Decimal("78.50"),
        issued_at=ISSUED,
    )


@pytest.mark.parametrize(
    ("kind", "msgid"),
    [("label", "has been awarded the label"), ("award", "has been awarded the prize")],
)
@pytest.mark.parametrize(("code", "month"), [("en", "June"), ("fr", "juin"), ("de", "Juni")])
def test_each_kind_has_its_own_sentence_in_the_language(kind, msgid, code, month):
    with translation.override(code):
        text = pdf_text(certificates.render_pdf(stored(kind), "https://cb.test/v/abc/"))
    assert in_language(code, msgid) in text
    assert in_language(code, "This certifies that") in text
    # The other kind's sentence is not there, nor a kind put in lower case in a sentence.
    other = {"label": "has been awarded the prize", "award": "has been awarded the label"}
    assert in_language(code, other[kind]) not in text
    # The date with the month's name in the language, and the score in its number format.
    assert f"30 {month} 2026" in text.replace("30. ", "30 ")
    assert ("78.50" if code == "en" else "78,50") in text
    assert "2026-06-30" not in text


def test_the_certificate_speaks_the_applicants_language_not_the_deciders(world):
    """An applicant who reads French gets a French certificate, though the manager who
    decided used the site in English."""
    update_preferences(world.admin, language="fr")
    assert in_language("fr", "Certificate") != "Certificate"
    call = AwardCallFactory(slug="sae-2026", name="I4MS-SAE", kind="label")
    section = CriteriaSectionFactory(criteria_set=call.criteria_set, name="Performance")
    CriterionFactory(section=section, name="Highly innovative")
    manager = world.partnership_manager
    call.managers.add(manager)
    application = workflow.submit_application(
        call, world.member_company, world.admin, "Cloud welding", "Our experiment."
    )
    evaluator = evaluator_in(OrganisationFactory())
    assignment = workflow.assign_evaluator(application, evaluator, manager)
    workflow.record_scores(
        assignment, evaluator, {c.pk: (4, "Good") for c in workflow.criteria_of(call)}
    )
    workflow.record_consensus(application, manager, "Agreed")
    with translation.override("en"):
        workflow.decide(application, manager, True, "Well done", site="https://cb.test")
        assert translation.get_language() == "en"  # the decider's language is left as it was
    text = pdf_text(bytes(Certificate.objects.get(application=application).pdf))
    assert in_language("fr", "Certificate") in text
    assert in_language("fr", "This certifies that") in text
    assert "This certifies that" not in text


def test_without_a_chosen_language_the_certificate_follows_the_decision(world):
    application = type("Application", (), {"submitted_by": None})()
    with translation.override("de"):
        assert certificates.certificate_language(application) == "de"
    update_preferences(world.admin, language="fr")
    application.submitted_by = world.admin
    with translation.override("de"):
        assert certificates.certificate_language(application) == "fr"
