"""The translation catalogues: every language the site speaks is complete (no untranslated
or fuzzy entry), each translation keeps the placeholders of its source, `msgfmt --check`
accepts every catalogue, and the shipped catalogues hold every string of the source
(`make messages` adds nothing)."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

import clusterbroker

ROOT = Path(clusterbroker.__file__).parent
LOCALE = ROOT / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([A-Za-z_0-9]+\)[sdif]|%[sdif]|\{[A-Za-z_0-9]*\}")


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_there_is_a_catalogue_for_each_language_of_the_regions():
    codes = {path.parts[-3] for path in CATALOGUES}
    assert codes == {code for code, _name in settings.ALL_LANGUAGES} - {"en"}


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_language_has_no_untranslated_or_fuzzy_entry(code):
    po = catalogue(code)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_translations_keep_the_placeholders_of_their_source(path):
    wrong = []
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgid_plural:
            allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            wrong += [
                (entry.msgid, form)
                for form in entry.msgstr_plural.values()
                if not set(placeholders(form)) <= allowed
            ]
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_msgfmt_checks_the_catalogue(path):
    run = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("code", SHIPPED)
def test_the_shipped_catalogue_holds_every_string_of_the_source(code, tmp_path, monkeypatch):
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE / code, copy / code)
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [copy])
    call_command(
        "makemessages",
        locale=[code],
        ignore_patterns=["static/*", "migrations/*", "locale/*"],
        add_location="file",
        no_obsolete=True,
        verbosity=0,
    )
    fresh = polib.pofile(str(copy / code / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert missing == [], "run `make messages` and translate the new strings"
