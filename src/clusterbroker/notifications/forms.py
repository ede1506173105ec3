from django import forms
from django.utils.translation import gettext_lazy as _

from . import kinds


class NotificationSettingsForm(forms.Form):
    """One choice per kind: e-mail immediately, in the daily digest, or never."""

    def __init__(self, *args, initial_choices: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_choices = initial_choices or {}
        for kind in kinds.KINDS.values():
            self.fields[kind.id] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=kinds.DELIVERY_CHOICES,
                initial=initial_choices.get(kind.id, kind.default),
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how you want e-mail about this.")},
            )

    def rows(self):
        return [self[kind_id] for kind_id in kinds.KINDS]
