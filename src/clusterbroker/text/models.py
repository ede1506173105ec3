"""The language a stored text is written in: detected when it is saved, or chosen by its
author (then kept, whatever the text becomes)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from .detect import detect_language


class WrittenIn(models.Model):
    """A record whose text is in one of the platform's languages.

    `language` is a code of `settings.ALL_LANGUAGES`, or "" when it cannot be told. While
    `language_detected` is true, every save detects it anew from the fields named in
    `language_fields` (a rewritten text gets its new language); once the author chose a
    language (`choose_language`), it is kept.
    """

    language = models.CharField(
        gettext_lazy("language of the text"),
        max_length=8,
        blank=True,
        choices=settings.ALL_LANGUAGES,
        default="",
        db_default="",  # also for rows written without it (by raw SQL or an older schema)
    )
    language_detected = models.BooleanField(
        gettext_lazy("language detected from the text"), default=True, db_default=True
    )

    # The fields that hold the text, in reading order; fields a model lacks are skipped.
    language_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if self.language_detected or not self.language:
            if update_fields is None or set(update_fields) & set(self.language_fields):
                self.language_detected = True
                self.language = detect_language(self.language_text())
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "language", "language_detected"}
        super().save(*args, **kwargs)

    def language_text(self) -> str:
        """The text the language is detected from."""
        parts = (getattr(self, name, "") for name in self.language_fields)
        return "\n".join(str(part) for part in parts if part).strip()

    def choose_language(self, code: str | None) -> None:
        """The author's choice: a language's code, or ""/None to detect it from the text."""
        self.language = code or ""
        self.language_detected = not code

    @property
    def language_name(self) -> str:
        """The name of the text's language in the active language ("" when unknown)."""
        if not self.language:
            return ""
        return get_language_info(self.language)["name_translated"]

    @property
    def written_in_note(self) -> str:
        """The note "Written in French" when the text is in another language than the page's;
        "" when it is in the page's language or in an unknown one."""
        active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if not self.language or self.language == active:
            return ""
        # Translators: a note under a text written in another language than the page's;
        # "language" is the name of that language (e.g. "French"). If your language would
        # need another case of the name, write e.g. "Language of the text: %(language)s".
        return _("Written in %(language)s") % {"language": self.language_name}


def fill_languages(model: type[models.Model], fields: Iterable[str], batch: int = 500) -> int:
    """Detect and store the language of every row of `model` (a migration's model) whose
    language is unknown and not chosen, from its `fields`; how many rows got one."""
    fields = tuple(fields)
    rows = model.objects.filter(language="", language_detected=True).only("pk", *fields)
    changed, found = [], 0
    for row in rows.iterator(chunk_size=batch):
        text = "\n".join(str(getattr(row, name) or "") for name in fields).strip()
        row.language = detect_language(text)
        if row.language:
            changed.append(row)
        if len(changed) >= batch:
            model.objects.bulk_update(changed, ["language"])
            found += len(changed)
            changed = []
    model.objects.bulk_update(changed, ["language"])
    return found + len(changed)


def apply_language(item: WrittenIn, payload: dict) -> None:
    """Take `language` and `language_detected` out of a written payload (an API's) and apply
    them to `item`: a language is the author's choice, unless it is empty or
    `language_detected` is true (as read back), which has it detected from the text."""
    if "language" not in payload and "language_detected" not in payload:
        return
    detected = bool(payload.pop("language_detected", False))
    code = payload.pop("language", item.language) or ""
    item.choose_language("" if detected else code)
