"""Every string on our pages is translated, and the translation files match the source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from safepassage.core.translation_scope import COMPLETE_PORTAL_LANGUAGES, is_applicant_facing

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]
# Staff pages are offered in these, so every entry must be translated; for the other complete
# portal languages, every entry an applicant can see.
FULLY_TRANSLATED = [code for code in settings.STAFF_LANGUAGES if code != "en"]


def _catalogue(base: Path, language: str) -> polib.POFile:
    return polib.pofile(
        str(base / "safepassage" / "locale" / language / "LC_MESSAGES" / "django.po")
    )


@pytest.mark.parametrize("language", FULLY_TRANSLATED)
def test_every_entry_is_translated_in_the_staff_languages(language):
    catalogue = _catalogue(ROOT, language)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", COMPLETE_PORTAL_LANGUAGES)
def test_everything_an_applicant_sees_is_translated(language):
    catalogue = _catalogue(ROOT, language)
    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and is_applicant_facing(entry.occurrences)
        and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert missing == [], f"translate these for {language} (scripts/translate.py {language})"


def test_catalogues_keep_source_file_names_so_the_applicant_facing_ones_are_known():
    catalogue = _catalogue(ROOT, "fa")
    facing = [entry for entry in catalogue if is_applicant_facing(entry.occurrences)]
    assert len(facing) > 200


@pytest.mark.parametrize("language", TRANSLATED)
def test_machine_assisted_translations_say_so(language):
    catalogue = _catalogue(ROOT, language)
    if not catalogue.translated_entries():
        return  # a scaffold, waiting for a translator
    assert "MACHINE-ASSISTED" in catalogue.header
    assert catalogue.metadata["X-Translation-Status"] == "machine-assisted; human review pending"


def test_dari_falls_back_to_farsi_where_its_own_catalogue_is_silent():
    with translation.override("fa"):
        farsi = translation.gettext("Start now")
    with translation.override("fa-af"):
        dari = translation.gettext("Start now")
    assert farsi != "Start now"
    assert dari == farsi


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%s|%d")
    for entry in _catalogue(ROOT, language).translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(entry.msgstr)
        ), entry.msgid


def test_translation_files_are_up_to_date_with_the_source(tmp_path):
    """Run makemessages on a copy of the source: no string may be missing from the catalogue."""
    shutil.copytree(
        ROOT / "safepassage",
        tmp_path / "safepassage",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment["SAFEPASSAGE_VAR_DIR"] = str(tmp_path / "var")
    environment.pop("DATABASE_URL", None)
    for language in TRANSLATED:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location"],
            cwd=tmp_path,
            env=environment,
            check=True,
            capture_output=True,
        )
        fresh = {entry.msgid for entry in _catalogue(tmp_path, language) if not entry.obsolete}
        shipped = {entry.msgid for entry in _catalogue(ROOT, language) if not entry.obsolete}
        assert fresh - shipped == set(), f"run `make translations` and translate for {language}"
