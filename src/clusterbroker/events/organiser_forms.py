"""Forms of the organiser's pages: sessions, registering someone, importing participants."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import OrganisationKind

from .forms import EventForm, SessionForm
from .models import Event, Session

# Changing these moves the slots: refused while meetings are placed in them.
TIMING_FIELDS = ("start", "end", "meeting_minutes", "break_minutes")


class EventEditForm(EventForm):
    """Edit an event; its new days must still hold every session it has."""

    def clean(self):
        data = super().clean()
        first, last = data.get("start_date"), data.get("end_date")
        if first and last and first <= last and self.instance.pk:
            zone = self.instance.zone
            outside = [
                s
                for s in self.instance.sessions.all()
                if not first <= s.start.astimezone(zone).date() <= last
            ]
            if outside:
                self.add_error(
                    "start_date"
                    if first > outside[0].start.astimezone(zone).date()
                    else "end_date",
                    _(
                        "The session “%(session)s” would fall outside the event's days: move or "
                        "remove it first."
                    )
                    % {"session": outside[0]},
                )
        return data


class SessionEditForm(SessionForm):
    """Edit a session; its times stay as they are while meetings are scheduled in it."""

    def clean(self):
        data = super().clean()
        scheduled = self.instance.pk and self.instance.meetings.count()
        if scheduled:
            for name in TIMING_FIELDS:
                if name in self.changed_data:
                    self.add_error(
                        name,
                        _(
                            "%(n)s meetings are scheduled in this session: its times cannot "
                            "change. Remove the session releasing them, or keep its times."
                        )
                        % {"n": scheduled},
                    )
        return data


class SessionRemoveForm(forms.Form):
    release = forms.BooleanField(
        label=_("Also release its scheduled meetings (they go back to the accepted requests)"),
        required=False,
    )


class OnBehalfForm(forms.Form):
    """Register a person for an organisation: one in the registry, or a new one."""

    organisation = forms.CharField(
        label=_("Organisation (identifier or name)"),
        max_length=255,
        help_text=_("A name not in the registry adds the organisation: give its type and country."),
    )
    new_kind = forms.ChoiceField(
        label=_("type (new organisation)"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.COMPANY,
        required=False,
    )
    new_country = forms.CharField(label=_("country (new organisation)"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    sessions = forms.ModelMultipleChoiceField(
        label=_("Available in sessions"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    offers = forms.CharField(
        label=_("What they offer"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    needs = forms.CharField(
        label=_("What they look for"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = event.sessions.all()

    def clean_new_kind(self) -> str:
        return self.cleaned_data.get("new_kind") or OrganisationKind.COMPANY

    def clean_new_country(self) -> str:
        raw = self.cleaned_data.get("new_country", "")
        if not raw.strip():
            return ""
        try:
            return normalise_country(raw)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error


class ParticipantFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: organisation, contact_name, email, country, kind, sessions, offers, "
            "needs. Sessions by name or number, separated by “;”; empty for every session."
        ),
    )
