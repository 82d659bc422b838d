"""Apply translations to a catalogue: `scripts/translate.py LANG FILE.py`.

FILE.py defines T = {msgid: msgstr} and optionally PLURALS = {msgid: [forms...]}. Matching
entries are filled in and their fuzzy flag cleared; the script then lists what is still missing.
With only a language (`scripts/translate.py LANG`) it lists what is missing.
A helper for translators and developers; the catalogues themselves are the source of truth.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from safepassage.core.translation_scope import is_applicant_facing

# Staff pages are offered in these languages too, so every entry counts; for the others only
# what an applicant sees (core.translation_scope).
FULL_LANGUAGES = ("ar",)

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    language = sys.argv[1]
    values = runpy.run_path(sys.argv[2]) if len(sys.argv) > 2 else {}
    singular, plurals = values.get("T", {}), values.get("PLURALS", {})
    catalogue = polib.pofile(str(ROOT / "safepassage/locale" / language / "LC_MESSAGES/django.po"))
    for entry in catalogue:
        if entry.msgid_plural and entry.msgid in plurals:
            entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
        elif entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    catalogue.metadata_is_fuzzy = False
    catalogue.save()
    missing = [
        e.msgid
        for e in catalogue
        if (not e.translated() or "fuzzy" in e.flags)
        and (language in FULL_LANGUAGES or is_applicant_facing(e.occurrences))
    ]
    print(f"{language}: {len(missing)} entries still need a translation")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main()
