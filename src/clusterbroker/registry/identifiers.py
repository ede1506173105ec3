"""The identifiers an organisation is known by elsewhere, checked and written in one form.

Plain functions (no database): each takes what a person typed or a file holds and returns the
value as stored, or raises `IdentifierError` saying what is wrong.

- pic: the Participant Identification Code of the EU funding programmes, 9 digits.
- vat: a European VAT number, country prefix then 2–13 letters or digits ("DE 123.456.789"
  is stored "DE123456789").
- domain: the organisation's web domain, from a domain or a whole address
  ("https://www.Example.org/about" is stored "example.org").
- dih: the id of a hub in the JRC catalogue of Digital Innovation Hubs.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

SCHEMES = ("pic", "vat", "domain", "dih")

_PIC = re.compile(r"^[0-9]{9}$")
_VAT = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,13}$")
_DIH = re.compile(r"^[0-9A-Za-z-]{1,20}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class IdentifierError(ValueError):
    """The value is not a valid identifier of its scheme; the message says why."""


def normalise_pic(value: str) -> str:
    text = re.sub(r"\s+", "", value or "")
    if not _PIC.match(text):
        raise IdentifierError(_("A PIC is 9 digits."))
    return text


def normalise_vat(value: str) -> str:
    text = re.sub(r"[\s.\-/]+", "", value or "").upper()
    if not _VAT.match(text):
        raise IdentifierError(
            _(
                "A VAT number starts with its country prefix (DE, FR, EL …) followed by 2 to "
                "13 letters or digits."
            )
        )
    return text


def domain_of(value: str) -> str:
    """The host of a web address or domain, lower case, without "www." nor port; "" when
    there is none."""
    text = (value or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    if host.startswith("www."):
        host = host[4:]
    return host


def normalise_domain(value: str) -> str:
    host = domain_of(value)
    labels = host.split(".")
    if (
        len(labels) < 2
        or len(host) > 253
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise IdentifierError(
            _("Give a web domain such as example.org (or the website's address).")
        )
    return host


def normalise_dih(value: str) -> str:
    text = (value or "").strip()
    if not _DIH.match(text):
        raise IdentifierError(_("A DIH catalogue id is up to 20 letters, digits or dashes."))
    return text


NORMALISERS = {
    "pic": normalise_pic,
    "vat": normalise_vat,
    "domain": normalise_domain,
    "dih": normalise_dih,
}


def normalise(scheme: str, value: str) -> str:
    """The value as stored for `scheme`; raises `IdentifierError` (or KeyError: no scheme)."""
    return NORMALISERS[scheme](value)
