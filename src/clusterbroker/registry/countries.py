"""Country codes: ISO 3166-1 alpha-2, validated and looked up with pycountry."""

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Codes used by EU sources (CORDIS, Eurostat) that differ from ISO 3166-1.
EU_ALIASES = {"EL": "GR", "UK": "GB"}
# Codes the EU uses that ISO 3166-1 has not assigned (Kosovo's user-assigned code).
EXTRA_CODES = {"XK": "Kosovo"}
# English names that pycountry no longer knows (it follows the ISO short names).
NAME_ALIASES = {"turkey": "TR", "kosovo": "XK"}


def normalise_country(value: str) -> str:
    """Return the ISO alpha-2 code for a code, alpha-3 code or English name; raise if unknown."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("A country is required."))
    upper = text.upper()
    if upper in EU_ALIASES:
        return EU_ALIASES[upper]
    if upper in EXTRA_CODES:
        return upper
    if text.casefold() in NAME_ALIASES:
        return NAME_ALIASES[text.casefold()]
    country = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else None
    if country is None and len(upper) == 3:
        country = pycountry.countries.get(alpha_3=upper)
    if country is None:
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            country = None
    if country is None:
        raise ValidationError(
            _("Unknown country “%(value)s”: use an ISO 3166-1 code such as FR or DE.")
            % {"value": text}
        )
    return country.alpha_2


def validate_country_code(value: str) -> None:
    """Model validator: the value must already be an ISO alpha-2 code."""
    if value in EXTRA_CODES:
        return
    if pycountry.countries.get(alpha_2=value or "") is None:
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166-1 alpha-2 country code.") % {"value": value}
        )


def country_name(code: str) -> str:
    """The English short name of a country code, or the code itself when unknown."""
    if code in EXTRA_CODES:
        return EXTRA_CODES[code]
    country = pycountry.countries.get(alpha_2=code or "")
    return getattr(country, "common_name", None) or (country.name if country else code)
