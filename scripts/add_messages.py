"""Add or update message ids in every catalogue: python scripts/add_messages.py FILE.json

FILE.json: {"msgid": {"en": "...", "fr": "...", ...}, ...}. Every shipped locale must be given
(the catalogue test fails otherwise). Keeps the order of existing entries; new ones go last.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "matcher" / "locales"


def main(path: str) -> None:
    new = json.loads(Path(path).read_text("utf-8"))
    for folder in sorted(LOCALES.iterdir()):
        po = folder / "LC_MESSAGES" / "messages.po"
        if not po.is_file():
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=folder.name)
        for msgid, texts in new.items():
            if folder.name not in texts:
                raise SystemExit(f"{msgid}: no text for locale {folder.name}")
            flags = ["python-brace-format"] if "{" in texts["en"] else []
            catalog.add(msgid, texts[folder.name], flags=flags)
        with po.open("wb") as fh:
            write_po(fh, catalog, width=0, no_location=True, omit_header=False)
        print(po.relative_to(LOCALES.parent.parent), len(catalog))


if __name__ == "__main__":
    main(sys.argv[1])
