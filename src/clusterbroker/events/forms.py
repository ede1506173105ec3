from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbroker.registry.countries import normalise_country
from clusterbroker.registry.models import Organisation, OrganisationKind, Partnership, Term

from .models import Event, Meeting, MeetingRequest, Session
from .times import in_zone


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "name",
            "description",
            "partnership",
            "online",
            "venue",
            "start_date",
            "end_date",
            "tables",
            "time_zone",
            "meeting_link",
            "registration_deadline",
            "max_requests",
            "max_meetings",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "registration_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnerships: QuerySet[Partnership], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        add_time_zone_choices(self.fields["time_zone"])
        self.fields["time_zone"].required = False

    def clean_time_zone(self) -> str:
        """Not given: the zone the form offered first (the organiser's), else the site's."""
        return (
            self.cleaned_data.get("time_zone")
            or self.get_initial_for_field(self.fields["time_zone"], "time_zone")
            or settings.TIME_ZONE
        )
        self.fields["meeting_link"].widget.attrs["placeholder"] = (
            "https://meet.example.org/{event}-{meeting}"
        )


def add_time_zone_choices(field: forms.Field) -> None:
    """Offer every IANA time zone (a free text field keeps its validation otherwise)."""
    from clusterbroker.accounts.services import available_time_zones

    field.widget = forms.Select(
        choices=[(name, name.replace("_", " ")) for name in available_time_zones()]
    )


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["name", "start", "end", "meeting_minutes", "break_minutes"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event

    def clean(self):
        data = super().clean()
        event = self.instance.event
        start, end = data.get("start"), data.get("end")
        if start and not event.start_date <= timezone.localtime(start).date() <= event.end_date:
            self.add_error(
                "start",
                _("The session must start on a day of the event (%(first)s to %(last)s).")
                % {"first": event.start_date, "last": event.end_date},
            )
        if start and end:
            overlapping = Session.objects.filter(event=event, start__lt=end, end__gt=start).exclude(
                pk=self.instance.pk
            )
            if overlapping.exists():
                self.add_error(
                    "start",
                    _("This session overlaps “%(other)s”.") % {"other": overlapping.first()},
                )
        return data


class RegistrationForm(forms.Form):
    """Register an existing organisation of the user, or a new one created on the fly."""

    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=Organisation.objects.none(), required=False
    )
    new_name = forms.CharField(label=_("or a new organisation: name"), required=False)
    new_kind = forms.ChoiceField(
        label=_("type"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.COMPANY,
        required=False,
    )
    new_country = forms.CharField(label=_("country"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), required=False)
    offers = forms.CharField(label=_("What you offer"), widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(
        label=_("What you look for"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description = forms.CharField(
        label=_("About you"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    terms = forms.ModelMultipleChoiceField(
        label=_("Technologies"),
        queryset=Term.objects.select_related("taxonomy"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sessions = forms.ModelMultipleChoiceField(
        label=_("Sessions in which you are available"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event: Event, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["sessions"].queryset = event.sessions.all()
        self.fields["terms"].label_from_instance = lambda t: f"{t.taxonomy.name} · {t}"

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("new_name"):
            self.add_error("new_name", _("Choose your organisation or name a new one."))
        if data.get("new_name") and not data.get("organisation"):
            if not data.get("new_kind"):
                self.add_error("new_kind", _("Choose the type of the new organisation."))
            try:
                data["new_country"] = normalise_country(data.get("new_country", ""))
            except ValidationError as error:
                self.add_error("new_country", error.messages[0])
        return data


class MeetingRequestForm(forms.ModelForm):
    class Meta:
        model = MeetingRequest
        fields = ["priority", "message", "window_sessions", "window_part"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 2}),
            "window_sessions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_window_sessions(self.fields["window_sessions"], event)


class WindowForm(forms.ModelForm):
    """When a request's meeting may take place: some sessions, mornings or afternoons."""

    class Meta:
        model = MeetingRequest
        fields = ["window_sessions", "window_part"]
        widgets = {"window_sessions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_window_sessions(self.fields["window_sessions"], event)


def limit_window_sessions(field: forms.Field, event: Event | None) -> None:
    field.queryset = event.sessions.all() if event is not None else Session.objects.none()
    field.required = False
    if event is not None:
        field.label_from_instance = lambda s: " ".join(
            filter(None, [s.name, in_zone(s.start, event.zone, "D j M, H:i")])
        )


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["happened", "outcome", "outcome_note"]
        widgets = {
            "happened": forms.NullBooleanSelect(),
            "outcome_note": forms.TextInput(),
        }


class ScheduleForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Method"),
        choices=[
            ("auto", _("Automatic (exact for small events, fast for large ones)")),
            ("exact", _("Exact (CP-SAT)")),
            ("fast", _("Fast heuristic")),
        ],
        initial="auto",
    )
    allow_moving = forms.BooleanField(
        label=_("Allow moving meetings that were already announced"), required=False
    )
