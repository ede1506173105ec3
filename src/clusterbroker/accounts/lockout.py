"""What the login lock-out (django-axes) counts failed logins by.

The log-in form takes a username or an e-mail address in one field, "login"; the lock-out
counts the failures of one account from one address, whichever of the two was typed, so
that alternating them does not double the tries. A value that names no account is counted
as typed (lower-cased), so that the answer is the same whether an account exists or not.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest

# The keys under which a login value reaches the lock-out: allauth's credentials
# ("email", "username"), the form's field ("login"), Django's own form ("username").
KEYS = ("email", "username", "login")


def _typed(request: HttpRequest | None, credentials: dict | None) -> str:
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def login_value(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The account a login attempt is counted against: its username, lower-cased."""
    typed = _typed(request, credentials)
    if not typed:
        return None
    value = typed.lower()[:254]
    if "@" in value:
        from allauth.account.models import EmailAddress

        address = EmailAddress.objects.filter(email__iexact=value).select_related("user").first()
        if address is not None:
            return address.user.get_username().lower()
        user = get_user_model().objects.filter(email__iexact=value).first()
        if user is not None:
            return user.get_username().lower()
    return value
