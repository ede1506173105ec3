"""Forms of the accounts: the sign-up's extra fields, the account page's forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterbroker.web.text_rules import validate_name

from . import services


def _name(value: str) -> str:
    value = " ".join(value.split())
    validate_name(value)
    return value


class SignupForm(forms.Form):
    """Asked at sign-up besides the address, the username and the password (allauth's form
    takes these fields; `signup` runs once the account is saved)."""

    field_order = ["email", "username", "first_name", "last_name"]

    first_name = forms.CharField(
        label=_("First name"),
        max_length=services.NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=services.NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def clean_first_name(self) -> str:
        return _name(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _name(self.cleaned_data["last_name"])

    def signup(self, request, user) -> None:
        """The new account's person in the registry, with the name given."""
        services.update_name(
            user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
        )


def validate_username(value: str) -> None:
    """A username has no hidden character and no word mixing alphabets (look-alikes)."""
    validate_name(value)


# ACCOUNT_USERNAME_VALIDATORS: Django's rules for usernames, and no look-alike usernames.
username_validators = [UnicodeUsernameValidator(), validate_username]


class NameForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=services.NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Last name"), max_length=services.NAME_MAX_LENGTH)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        default = _("The site's default")
        self.fields["language"].choices = [("", default), *services.available_languages()]
        self.fields["time_zone"].choices = [
            ("", default),
            *((name, name.replace("_", " ")) for name in services.available_time_zones()),
        ]


class DeleteAccountForm(forms.Form):
    """Confirms the deletion with the account's password (or, for an account without one,
    its username)."""

    confirmation = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            self.fields["confirmation"].label = _("Your username")
            self.fields["confirmation"].widget = forms.TextInput(attrs={"autocomplete": "off"})

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise ValidationError(_("That is not your password."), code="wrong")
        elif value.strip() != self.user.get_username():
            raise ValidationError(_("That is not your username."), code="wrong")
        return value
