"""Rules for names that people read and compare: no hidden characters, no look-alike letters.

A name with a right-to-left override, a zero-width space or a control character displays
differently from what it stores; a name that mixes alphabets within one word (a Cyrillic
"а" inside a Latin word) looks like another organisation's name. Both are refused.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Unicode categories refused in a name: control characters (C0, DEL, C1), format characters
# (bidirectional controls such as U+202E, zero-width characters, soft hyphen, tags), line
# and paragraph separators and lone surrogates.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}

# Alphabets whose letters look alike; mixing two of them within one word is refused.
CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")

_WORD = re.compile(r"[^\W\d_]+")


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, _('control character'))}"


def hidden_character(text: str) -> str | None:
    """The first control, bidirectional or invisible character of `text`, or None."""
    for char in text:
        if unicodedata.category(char) in HIDDEN_CATEGORIES:
            return char
    return None


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((script for script in CONFUSABLE_SCRIPTS if name.startswith(script)), None)


def mixed_script_word(text: str) -> tuple[str, list[str]] | None:
    """The first word of `text` that mixes Latin, Cyrillic and Greek letters, with the
    alphabets it mixes (in the order they appear), or None."""
    for word in _WORD.findall(text):
        scripts: list[str] = []
        for char in word:
            script = _script(char)
            if script and script not in scripts:
                scripts.append(script)
        if len(scripts) > 1:
            return word, scripts
    return None


SCRIPT_NAMES = {"LATIN": "Latin", "CYRILLIC": "Cyrillic", "GREEK": "Greek"}


def validate_name(value: str) -> None:
    """Refuse a name with a hidden character or a word that mixes alphabets."""
    if not isinstance(value, str):
        return
    char = hidden_character(value)
    if char is not None:
        raise ValidationError(
            _(
                "Remove the invisible or control character %(char)s: it makes the name "
                "display differently from what it is."
            ),
            code="hidden_character",
            params={"char": _describe(char)},
        )
    mixed = mixed_script_word(value)
    if mixed is not None:
        word, scripts = mixed
        raise ValidationError(
            _(
                "“%(word)s” mixes letters of different alphabets (%(scripts)s) in one word, "
                "so it can pass for another name; type each word in one alphabet."
            ),
            code="mixed_scripts",
            params={"word": word, "scripts": ", ".join(SCRIPT_NAMES[s] for s in scripts)},
        )


_SPACES = re.compile(r"\s+")


def normalise_name(value: str) -> str:
    """The name as stored: compatibility forms folded (full-width "ＡＦＩＬ" is "AFIL"),
    accents composed, any run of spaces (no-break spaces included) one space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


# After folding case, letters and digits that look alike in most typefaces.
_LATIN_LOOKALIKES = str.maketrans({"i": "l", "1": "l", "|": "l", "0": "o"})


def name_skeleton(value: str) -> str:
    """What a name looks like: accents and case dropped, Greek and Cyrillic letters read as
    the Latin letters they look like (Unicode's confusables), spaces and punctuation left
    out. Two names with the same skeleton pass for each other."""
    from confusable_homoglyphs import confusables

    text = unicodedata.normalize("NFKD", normalise_name(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    for found in confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []:
        latin = [h["c"] for h in found["homoglyphs"] if h["n"].startswith("LATIN")]
        if latin:
            text = text.replace(found["character"], latin[0])
    return "".join(c for c in text.casefold().translate(_LATIN_LOOKALIKES) if c.isalnum())
