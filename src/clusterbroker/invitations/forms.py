from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.forms import OrganisationForm
from clusterbroker.registry.models import Organisation

from . import rules, services
from .models import Role


class InvitationForm(forms.Form):
    """One invitation; the organisations offered are those the user may invite to."""

    email = forms.CharField(label=_("E-mail"), max_length=254)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Used to greet them in the e-mail."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = rules.invitable_organisations(user)
        self.fields["organisation"].help_text = _(
            "Organisations you may invite people to: your own, and the members of your "
            "cluster or partnership that have no editor yet."
        )

    def clean_email(self) -> str:
        try:
            return services.normalise_email(self.cleaned_data["email"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean_name(self) -> str:
        try:
            return services.clean_name(self.cleaned_data.get("name", ""))
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        if organisation is not None and role:
            try:
                rules.check_invite(self.user, organisation, role)
            except rules.Refused as error:
                self.add_error("role" if role != Role.EDITOR else "organisation", error.reason)
        if organisation is not None and data.get("email"):
            if services.holds_role(data["email"], organisation):
                self.add_error(
                    "email",
                    _("%(email)s is already an editor of %(organisation)s.")
                    % {"email": data["email"], "organisation": organisation.name},
                )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV (UTF-8) or XLSX."))


class NewAccountForm(forms.Form):
    """Accepting an invitation without an account: the invited address becomes the login."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to its editors"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you do there: they accept people they know."),
    )


class RegisterOrganisationForm(OrganisationForm):
    """A new organisation, with its creator as first editor; optionally asks a cluster to
    take it as a member."""

    cluster = forms.ModelChoiceField(
        label=_("Ask to join the cluster"),
        queryset=Organisation.objects.filter(kind="cluster").order_by("name"),
        required=False,
        to_field_name="slug",
        help_text=_("Its managers are asked to accept; until then nothing changes."),
    )
    message = forms.CharField(
        label=_("Message to the cluster"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
