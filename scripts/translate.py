"""Apply translations to a catalogue: `scripts/translate.py LANG FILE.py`.

FILE.py defines T = {msgid: msgstr} and optionally PLURALS = {msgid: [forms...]}. Matching
entries are filled in and their fuzzy flag cleared; the script then lists what is still missing.
A helper for translators and developers; the catalogues themselves are the source of truth.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    language, source = sys.argv[1], sys.argv[2]
    values = runpy.run_path(source)
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
    missing = [e.msgid for e in catalogue if not e.translated() or "fuzzy" in e.flags]
    print(f"{language}: {len(missing)} entries still need a translation")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main()
