"""Accounts that can log in: a user with a verified, primary e-mail address."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def verify_address(user, email: str | None = None) -> EmailAddress:
    """Give `user` a verified primary address (log-in needs one)."""
    email = email or user.email or f"{user.get_username()}@example.org"
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return address


def account(username: str, password: str, email: str | None = None, **fields):
    """A user with `password` and a verified address."""
    user = get_user_model().objects.create_user(username, password=password, **fields)
    verify_address(user, email)
    return user
