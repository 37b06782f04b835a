"""How far may a typo be from a vocabulary word? Measured on labelled data, printed as a table.

    python scripts/calibrate_typos.py

Positives: every vocabulary word of 4+ letters with one deletion, one swap of neighbours and one
substitution (deterministic), plus the real typos of data/eval/noisy; each should be read as its word.
Negatives: the other words of the sample requests, supplier sheets and noisy requests (words no
vocabulary holds) and the stop words; none should be read as a vocabulary word.
For each rule (edits allowed by length, same first letter or not): precision and recall of word
correction. The rule in matcher/understanding/terms.py (MAX_EDITS) is the one chosen here.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import importlib  # noqa: E402

from matcher.textnorm import tokens  # noqa: E402

T = importlib.import_module("matcher.understanding.terms")

VOCABS = ("certifications", "sustainability", "materials", "products", "families")
REAL = {"braclets": "bracelet", "earings": "earring", "fairtrad": "fairtrade", "nikel": "nickel",
        "plateu": "plateau", "lantene": "lanterne", "latrenen": "laternen", "jewelery": "jewellery",
        "laton": "laton", "lamparas": "lampara"}


def typos(word: str) -> list[str]:
    mid = len(word) // 2
    out = [word[:mid] + word[mid + 1:], word[:mid - 1] + word[mid] + word[mid - 1] + word[mid + 1:]]
    sub = "e" if word[mid] != "e" else "a"
    out.append(word[:mid] + sub + word[mid + 1:])
    return [t for t in out if t != word]


def corpus_words() -> set[str]:
    texts = [json.loads(line)["description"] for path in ("data/requests.jsonl", "data/eval/noisy/requests.jsonl")
             for line in (ROOT / path).read_text("utf-8").splitlines()]
    with (ROOT / "data" / "suppliers.csv").open(encoding="utf-8") as fh:
        texts += [row["description"] for row in csv.DictReader(fh)]
    return {t for text in texts for t in tokens(text)}


def main() -> None:
    readers = [T.terms(v) for v in VOCABS]
    vocabulary = set().union(*(r.word_set for r in readers))
    positives = [(t, w) for w in sorted(vocabulary) if len(w) >= 4 and T.LATIN.match(w) for t in typos(w)
                 if t not in vocabulary]
    positives += [(t, w) for t, w in REAL.items() if w in vocabulary]
    negatives = sorted(w for w in corpus_words() | T.STOPWORDS if w not in vocabulary and len(w) >= 3
                       and T.LATIN.match(w))
    rules = {"1 edit from 4 letters, 2 from 10": ((4, 1), (10, 2)),
             "1 edit from 4 letters only": ((4, 1),), "1 edit from 5, 2 from 8 (chosen)": ((5, 1), (8, 2)),
             "1 edit from 3, 2 from 7": ((3, 1), (7, 2)), "1 edit from 6 letters only": ((6, 1),)}
    print(f"{len(positives)} typos of vocabulary words, {len(negatives)} corpus words no vocabulary holds")
    labels = {row["word"]: (row["right"], row["read_as"]) for row in csv.DictReader(
        (ROOT / "data" / "eval" / "typos.tsv").open(encoding="utf-8"), delimiter="\t")}
    print("recall: share of typos read as their word; on the corpus words that no vocabulary holds, right and")
    print("wrong readings as labelled by hand in data/eval/typos.tsv (an unlabelled reading counts as wrong)")
    print(f"{'rule':<42} {'first letter':<13} {'recall':>7} {'right':>10} {'wrong':>6}  wrong readings")
    for label, rule in rules.items():
        for same_first in (True, False):
            T.MAX_EDITS, T.SAME_FIRST_LETTER = rule, same_first

            def fix(word: str) -> set[str]:
                """What each vocabulary reads ``word`` as (each reads prose on its own)."""
                return {found for r in readers if (found := r.correct_word(word, 3))}

            hits = sum(w in fix(t) for t, w in positives)
            corrected = {w: fix(w) for w in negatives}
            right = sum(1 for w, f in corrected.items() if labels.get(w, ("", ""))[0] == "yes" and
                        labels[w][1] in f)
            wrong = [w for w, f in corrected.items() if f and not (labels.get(w, ("", ""))[0] == "yes" and
                                                                   labels[w][1] in f)]
            print(f"{label:<42} {'same' if same_first else 'any':<13} {hits / len(positives):>7.3f} "
                  f"{right:>10} {len(wrong):>6}  {' '.join(wrong[:8])}")
    T.MAX_EDITS, T.SAME_FIRST_LETTER = ((5, 1), (8, 2)), True


if __name__ == "__main__":
    main()
