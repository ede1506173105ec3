"""The evidence of a proposal in words."""

from django.utils.translation import gettext as _

_WORDS = {
    "same_pic": lambda d: _("Same PIC (%(value)s)") % {"value": d},
    "different_pic": lambda d: _("Different PICs (%(value)s)") % {"value": d},
    "same_name": lambda d: (
        _("Same name once legal forms, accents, case and word order are set aside (“%(value)s”)")
        % {"value": d}
    ),
    "name_contains": lambda d: _("Same name but for the words “%(value)s”") % {"value": d},
    "acronym": lambda d: _("One name is the acronym or short name of the other"),
    "same_acronym": lambda d: _("Same acronym (%(value)s)") % {"value": d},
    "names_alike": lambda d: _("Names alike (%(value)s%%)") % {"value": d},
    "legal_form_word": lambda d: _("Only one name says “%(value)s”") % {"value": d},
    "body_of_other": lambda d: (
        _("Only one name says “%(value)s”: it may be a body of the other") % {"value": d}
    ),
    "same_domain": lambda d: _("Same website domain (%(value)s)") % {"value": d},
    "different_domain": lambda d: _("Different website domains (%(value)s)") % {"value": d},
    "same_country": lambda d: _("Same country (%(value)s)") % {"value": d},
    "different_country": lambda d: _("Different countries (%(value)s)") % {"value": d},
    "same_city": lambda d: _("Same city (%(value)s)") % {"value": d},
    "different_city": lambda d: _("Different cities (%(value)s)") % {"value": d},
    "different_kind": lambda d: _("Different types (%(value)s)") % {"value": d},
}

# Evidence against the pair, shown apart from the evidence for it.
AGAINST = frozenset(
    {
        "different_pic",
        "legal_form_word",
        "body_of_other",
        "different_domain",
        "different_country",
        "different_city",
        "different_kind",
    }
)


def describe(reason: dict) -> str:
    """One stored reason ({"code": …, "detail": …}) in words."""
    words = _WORDS.get(reason.get("code", ""))
    detail = reason.get("detail", "")
    return words(detail) if words else str(reason.get("code", ""))
