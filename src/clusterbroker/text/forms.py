"""The field where authors say what language their text is in, or leave it to detection."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .detect import platform_languages
from .models import WrittenIn


def language_choices() -> list[tuple[str, str]]:
    """The choice to detect the language, then the platform's languages, each named in the
    language of the page."""
    return [("", _("Detect automatically"))] + [
        (code, get_language_info(code)["name_translated"]) for code in platform_languages()
    ]


class LanguageField(forms.ChoiceField):
    """A language of the platform, or "" to have it detected from the text."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Language of the text"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Detected from what you write unless you choose it; search and matching use it."),
        )
        super().__init__(choices=language_choices, **kwargs)


def chosen_language(item: WrittenIn) -> str:
    """What the field shows for a stored item: its language if chosen, else "" (detect)."""
    return "" if item.language_detected else item.language


class WrittenInForm(forms.Form):
    """For a model form of a `WrittenIn` model: a `language` field placed after the field
    named by `language_after` (last if none), whose "" keeps detection on and whose language
    is the author's choice. Put it before `forms.ModelForm` among the bases."""

    language = LanguageField()
    language_after: str | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "language" not in self.initial:
            self.initial["language"] = chosen_language(self.instance)
        if self.language_after in self.fields:
            field = self.fields.pop("language")
            order = list(self.fields)
            order.insert(order.index(self.language_after) + 1, "language")
            self.fields["language"] = field
            self.order_fields(order)

    def clean(self):
        data = super().clean()
        self.instance.choose_language(data.get("language") or "")
        return data
