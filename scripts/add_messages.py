"""Add or update message ids in every catalogue: python scripts/add_messages.py FILE.json

FILE.json: {"msgid": {"en": "...", "fr": "...", ...}, ...}. Every shipped locale must be given
(the catalogue test fails otherwise). Everything is checked before any catalogue is written: a
missing locale, an unknown locale or placeholders that differ from the English text stop the run
with nothing changed. An existing id gets the new text in place (its position is kept); new ids go
last.
"""

from __future__ import annotations

import json
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "matcher" / "locales"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check(new: dict[str, dict[str, str]], locales: list[str]) -> list[str]:
    """Every problem of ``new`` against the shipped ``locales`` (empty when it can be written)."""
    problems = []
    for msgid, texts in new.items():
        if not isinstance(texts, dict) or "en" not in texts:
            problems.append(f"{msgid}: needs an object with at least an 'en' text")
            continue
        problems += [f"{msgid}: no text for locale {loc}" for loc in locales if not texts.get(loc)]
        problems += [f"{msgid}: locale {loc} is not shipped" for loc in texts if loc not in locales]
        try:
            english = _fields(texts["en"])
            problems += [f"{msgid}: {loc} placeholders {sorted(_fields(t))} differ from en {sorted(english)}"
                         for loc, t in texts.items() if loc in locales and _fields(t) != english]
        except ValueError as exc:
            problems.append(f"{msgid}: bad placeholder ({exc})")
    return problems


def main(path: str) -> None:
    new = json.loads(Path(path).read_text("utf-8"))
    files = {f.name: f / "LC_MESSAGES" / "messages.po" for f in sorted(LOCALES.iterdir())
             if (f / "LC_MESSAGES" / "messages.po").is_file()}
    problems = check(new, list(files))
    if problems:
        raise SystemExit("nothing written:\n" + "\n".join(f"  {p}" for p in problems))
    catalogs: dict[str, Catalog] = {}
    for loc, po in files.items():  # read and update every catalogue in memory first
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=loc)
        for msgid, texts in new.items():
            flags = ["python-brace-format"] if "{" in texts["en"] else []
            if msgid in catalog:
                catalog[msgid].string = texts[loc]
                catalog[msgid].flags = set(flags)
            else:
                catalog.add(msgid, texts[loc], flags=flags)
        catalogs[loc] = catalog
    for loc, catalog in catalogs.items():
        with files[loc].open("wb") as fh:
            write_po(fh, catalog, width=0, no_location=True, omit_header=False)
        print(files[loc].relative_to(LOCALES.parent.parent), len(catalog))


if __name__ == "__main__":
    main(sys.argv[1])
