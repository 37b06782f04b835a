"""Resolve a git merge conflict in the message catalogues: every id of both sides, ours first.

    python scripts/merge_po.py   (during a merge; then `git add matcher/locales`)
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def side(stage: int, path: str, locale: str):  # type: ignore[no-untyped-def]
    text = subprocess.run(["git", "show", f":{stage}:{path}"], cwd=ROOT, capture_output=True, check=True).stdout
    return read_po(io.BytesIO(text), locale=locale)


def main() -> None:
    for po in sorted((ROOT / "matcher" / "locales").glob("*/LC_MESSAGES/messages.po")):
        rel, locale = str(po.relative_to(ROOT)), po.parent.parent.name
        try:
            ours, theirs = side(2, rel, locale), side(3, rel, locale)
        except subprocess.CalledProcessError:
            continue  # not in conflict
        for message in theirs:
            if message.id and message.id not in ours:
                ours.add(message.id, message.string, flags=message.flags)
        with po.open("wb") as fh:
            write_po(fh, ours, width=0, no_location=True)
        print(rel, len(ours))
    left = [str(p) for p in (ROOT / "matcher" / "locales").glob("*/LC_MESSAGES/messages.po")
            if "\n<<<<<<< " in "\n" + p.read_text("utf-8")]
    if left:
        raise SystemExit(f"conflict markers left in {', '.join(left)} (run this during the merge, before git add)")


if __name__ == "__main__":
    main()
