"""Vocabulary terms as people type them: exact aliases, codes ("CE"), typos, and what is unknown.

Exact matching is the vocabulary's own (matcher.vocab: folded, lightly stemmed, longest alias
first). On top of it:
- codes: short forms that only mean the concept as a whole field value, or as a standalone
  upper-case word in prose ("CE mandatory", not "Règlement (CE)");
- typos: a word or phrase within a small edit distance of an alias (optimal string alignment,
  rapidfuzz) is read as that alias and reported as corrected; the distances allowed are
  ``MAX_EDITS`` (chosen on labelled data: docs/decisions/fuzzy-matching.md);
- never loosening: when a label matches a generic concept but keeps words the vocabulary does not
  know ("REACH nikel"), those words are tried against more specific concepts first; if none fits,
  the reading is reported as loosened, with suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from matcher import vocab
from matcher.textnorm import tokens as folded_tokens
from matcher.understanding.tokens import Token

# Largest edit distance (insert, delete, substitute, swap two neighbours) by folded length: 5-7
# characters 1 edit, 8 and more 2; shorter words must be exact (a 4-letter code such as "WTFO" gets a
# "did you mean" instead). Chosen on labelled data: scripts/calibrate_typos.py,
# docs/decisions/fuzzy-matching.md.
MAX_EDITS = ((5, 1), (8, 2))
SAME_FIRST_LETTER = True  # typos rarely touch the first letter; allowing it doubles false corrections
SUGGEST_EDITS_EXTRA = 1  # suggestions ("did you mean") reach this many edits further
LATIN = re.compile(r"^[a-z0-9]+$")  # folded Latin-script words (accents are already stripped)
RESOLVED_KEPT = 200_000  # labels remembered per vocabulary (a national catalogue's distinct labels)
CODE_LIKE = re.compile(r"(?<![\w-])[A-Z][A-Z]{1,5}(?:[ -]?\d{3,5}(?::\d{4})?)?(?![\w-])")  # WTFO, ISO 9010
MIN_PROSE_TYPO = 5  # in prose, words shorter than this are read exactly (a field may hold "WTFO")
IGNORED = re.compile(r"^(?:\d+|[a-z]{1,2}|sgs|intertek|bureau|veritas|tuv|lab|test|tested|certificate|certified|"
                     r"certifie|certificat|valid|until|since|depuis|jusqu|annee|year|rapport|report)$")


@cache
def _stopwords() -> frozenset[str]:
    from importlib import resources

    text = resources.files("matcher.vocabularies").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(t for line in text.splitlines() if not line.startswith("#") for t in folded_tokens(line))


STOPWORDS = _stopwords()


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def max_edits(length: int) -> int:
    allowed = 0
    for size, edits in MAX_EDITS:
        if length >= size:
            allowed = edits
    return allowed


@dataclass
class Resolution:
    """How one written label (a field value) was understood."""

    label: str
    ids: list[str]  # concept ids; empty when unknown
    status: str  # known | corrected | loosened | unknown
    suggestions: list[str] = field(default_factory=list)  # concept ids, best first
    unread: list[str] = field(default_factory=list)  # words of the label that were not understood


@dataclass
class Found:
    """A concept named in prose."""

    cid: str
    start: int
    end: int
    corrected: bool  # read through a typo


class Terms:
    """Exact, coded and typo-tolerant lookup over one vocabulary."""

    def __init__(self, name: str) -> None:
        self._resolved: dict[str, Resolution] = {}
        self.name = name
        self.vocab = vocab.load(name)
        keys = self.vocab.keys()
        # Candidates by (number of words, length): a typo only ever reaches strings of nearly its length.
        self.by_shape: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
        for key, cid in keys.items():
            text = " ".join(key)
            strings, ids = self.by_shape.setdefault((len(key), len(text)), ([], []))
            strings.append(text)
            ids.append(cid)
        self.all_strings = [" ".join(k) for k in keys]
        self.all_ids = list(keys.values())
        self.keys = keys
        self.words = sorted({t for key in keys for t in key})
        self.word_set = frozenset(self.words)
        self.words_by_start: dict[str, list[str]] = {}
        for w in self.words:
            self.words_by_start.setdefault(w[0], []).append(w)
        self.longest = max((len(k) for k in keys), default=0)
        self.first_words = frozenset(k[0] for k in keys if k)
        self._corrections: dict[tuple[str, int], str | None] = {}
        self.codes = {code: c.id for c in self.vocab.concepts.values() for code in c.attrs.get("codes", [])}
        # Where a concept implies another (REACH nickel implies REACH), words left over may make a generic
        # reading too loose: report them. Elsewhere (products, materials) extra words are descriptive.
        self.specific = any(c.implies for c in self.vocab.concepts.values())

    # -- fields -------------------------------------------------------------
    def resolve(self, label: str) -> Resolution:
        """How ``label`` reads (remembered: a catalogue repeats its labels; each caller gets its own lists)."""
        cached = self._resolved.get(label)
        if cached is None:
            cached = self._resolve(label)
            if len(self._resolved) < RESOLVED_KEPT:
                self._resolved[label] = cached
        return replace(cached, ids=list(cached.ids), suggestions=list(cached.suggestions),
                       unread=list(cached.unread))

    def _resolve(self, label: str) -> Resolution:
        text = label.strip()
        if text.upper() in self.codes and text.upper() == text:
            return Resolution(label, [self.codes[text.upper()]], "known")
        toks = folded_tokens(text)
        ids = list(self.vocab.find(text))
        if ids:
            unread = self._unread(toks, ids)
            if not unread or not self.specific:  # "small trays" are trays; "REACH nikel" is not just REACH
                return Resolution(label, ids, "known")
            better = self._closest(" ".join(toks), len(" ".join(toks)))
            if better and better[0] not in ids and self._more_specific(better[0], ids):
                return Resolution(label, [better[0]], "corrected")
            return Resolution(label, ids, "loosened", self._suggest(" ".join(toks), exclude=ids), unread)
        best = self._closest(" ".join(toks), len(" ".join(toks)))
        if best:
            return Resolution(label, [best[0]], "corrected")
        fixed = [self.correct_word(t, 4) or t for t in toks]
        if fixed != toks:
            found = self.vocab.find(" ".join(fixed))
            if found:
                return Resolution(label, list(found), "corrected")
        for expanded in self._expand_abbreviations(text):
            if self.vocab.find(expanded):
                return Resolution(label, list(self.vocab.find(expanded)), "corrected")
        return Resolution(label, [], "unknown", self._suggest(" ".join(toks)), [t for t in toks if len(t) > 2])

    def _expand_abbreviations(self, text: str, limit: int = 12) -> list[str]:
        """'cert. contact alim.' -> 'cert. contact alimentaire', ...: a word cut short by a full stop
        read as each vocabulary word it begins (at most ``limit`` readings)."""
        match = re.search(r"([^\W\d_]{3,})\.", text)
        if not match:
            return []
        stem = folded_tokens(match.group(1))
        if len(stem) != 1:
            return []
        starts = [w for w in self.words if w.startswith(stem[0]) and w != stem[0]][:limit]
        out = []
        for word in starts:
            replaced = text[:match.start()] + word + text[match.end():]
            out += [replaced, *self._expand_abbreviations(replaced, limit)][:limit]
        return out

    def _unread(self, toks: list[str], ids: list[str]) -> list[str]:
        known = {t for cid in ids for key in self.vocab.keys_of(cid) for t in key}
        return [t for t in toks if t not in known and t not in STOPWORDS and not IGNORED.match(t)]

    def _more_specific(self, candidate: str, generic: list[str]) -> bool:
        """``candidate`` implies one of ``generic`` (REACH nickel implies REACH)."""
        return bool(self.vocab.expand([candidate]) & set(generic))

    def _near(self, query: str, words: int | None) -> tuple[list[str], list[str]]:
        """Candidate strings (and ids) a typo of ``query`` can reach."""
        edits = max_edits(len(query))
        strings: list[str] = []
        ids: list[str] = []
        for size in ([words] if words is not None else range(1, self.longest + 1)):
            for length in range(len(query) - edits, len(query) + edits + 1):
                found = self.by_shape.get((size, length))
                if found:
                    strings += found[0]
                    ids += found[1]
        return strings, ids

    def _closest(self, query: str, length: int, words: int | None = None) -> tuple[str, float] | None:
        """The concept a typo of ``query`` stands for; never a different number ("ISO 9010" is not 9001)."""
        edits = max_edits(length)
        if not edits or not query:
            return None
        strings, ids = self._near(query, words)
        hits = extract(query, strings, scorer=OSA.normalized_similarity, score_cutoff=1.0 - edits / length, limit=3)
        digits = re.findall(r"\d+", query)
        for _, score, i in hits:
            if re.findall(r"\d+", strings[i]) == digits and strings[i][:1] == query[:1]:
                return ids[i], score
        return None

    def _suggest(self, query: str, exclude: list[str] | None = None, limit: int = 3) -> list[str]:
        """Concepts close to ``query`` (for "did you mean"), best first."""
        if not query:
            return []
        cutoff = 1.0 - (max_edits(len(query)) + SUGGEST_EDITS_EXTRA) / max(len(query), 1)
        hits = extract(query, self.all_strings, scorer=OSA.normalized_similarity, score_cutoff=max(cutoff, 0.5),
                       limit=12)
        out: list[str] = []
        for _, _, i in hits:
            cid = self.all_ids[i]
            if cid not in out and cid not in (exclude or []):
                out.append(cid)
        return out[:limit]

    def correct_word(self, word: str, min_length: int) -> str | None:
        """The vocabulary word ``word`` is a typo of: same first letter, same digits, within MAX_EDITS.

        Latin script only: in Arabic one letter often makes another word (تصدير export, قصدير tin).
        Remembered: requests keep using the same words."""
        key = (word, min_length)
        if key in self._corrections:
            return self._corrections[key]
        found = self._correct_word(word, min_length)
        if len(self._corrections) < RESOLVED_KEPT:
            self._corrections[key] = found
        return found

    def _correct_word(self, word: str, min_length: int) -> str | None:
        if len(word) < min_length or word in self.word_set or word in STOPWORDS or IGNORED.match(word) or \
                not LATIN.match(word):
            return None
        edits = max_edits(len(word))
        if not edits:
            return None
        candidates = self.words_by_start.get(word[0], []) if SAME_FIRST_LETTER else self.words
        hits = extract(word, candidates, scorer=OSA.normalized_similarity, score_cutoff=1.0 - edits / len(word),
                       limit=5)
        digits = re.findall(r"\d+", word)
        hits = [h for h in hits if re.findall(r"\d+", h[0]) == digits]
        if not hits:
            return None
        best = max(score for _, score, _ in hits)
        # Among the closest, a word the typo is a subsequence of (a letter left out, the commonest slip) first.
        tied = [text for text, score, _ in hits if score == best]
        return next((t for t in tied if _subsequence(word, t)), tied[0])

    # -- prose --------------------------------------------------------------
    def find(self, words: list[Token], source: str, typos: bool = True) -> list[Found]:
        """Concepts named in ``words`` (tokens of ``source``), longest first, without overlaps.

        Exact aliases first, then codes, then (``typos``) the same with each unknown word replaced
        by the vocabulary word it is a typo of ("braclets" -> "bracelet", "Latrenen" -> "laternen").
        """
        flat: list[tuple[str, int]] = [(f, i) for i, w in enumerate(words) for f in w.folded]
        owner: list[int | None] = [None] * len(flat)  # which found concept holds each position
        out: list[Found | None] = []

        def take(a: int, b: int, cid: str, corrected: bool) -> None:
            for held in {o for o in owner[a:b] if o is not None}:
                out[held] = None  # a longer, more specific concept read through a typo replaces it
            owner[a:b] = [len(out)] * (b - a)
            out.append(Found(cid, words[flat[a][1]].start, words[flat[b - 1][1]].end, corrected))

        def free(a: int, b: int, upgrade: bool) -> bool:
            """Nothing read in a..b yet; with ``upgrade``, or only concepts lying wholly inside it."""
            held = {owner[i] for i in range(a, b)} - {None}
            if not held:
                return True
            return upgrade and all(owner[i] not in held for i in (*range(0, a), *range(b, len(flat))))

        def exact(seq: list[str], corrected: list[bool]) -> None:
            """Windows of ``seq`` that are keys, longest first; with words ``corrected``, only the
            windows holding one (the others were read in the plain pass)."""
            fixed_at = [i for i, c in enumerate(corrected) if c]
            for size in range(min(self.longest, len(seq)), 0, -1):
                starts: Iterable[int] = range(len(seq) - size + 1)
                if fixed_at:
                    starts = sorted({a for p in fixed_at for a in range(max(0, p - size + 1),
                                                                         min(p, len(seq) - size) + 1)})
                for a in starts:
                    if seq[a] not in self.first_words:
                        continue
                    cid = self.keys.get(tuple(seq[a:a + size]))
                    if cid is not None and free(a, a + size, bool(fixed_at) and size > 1):
                        take(a, a + size, cid, bool(fixed_at))

        plain_seq = [f for f, _ in flat]
        exact(plain_seq, [False] * len(flat))
        for a, (_, wi) in enumerate(flat):  # codes: upper-case standalone words, not "(CE)" or "CE n° 1935"
            w = words[wi]
            if owner[a] is None and w.text in self.codes and source[max(w.start - 1, 0):w.start] != "(" and \
                    not re.match(r"\s*(?:\)|n[°o]|no\.|nr\.|\d)", source[w.end:w.end + 5]):
                take(a, a + 1, self.codes[w.text], False)
        if typos:
            fixed = [None if owner[a] is not None else self.correct_word(f, MIN_PROSE_TYPO)
                     for a, f in enumerate(plain_seq)]
            if any(fixed):
                exact([c or f for c, f in zip(fixed, plain_seq, strict=True)], [c is not None for c in fixed])
        return sorted((f for f in out if f is not None), key=lambda f: f.start)

    def unknown_codes(self, source: str, taken: list[tuple[int, int]]) -> list[Resolution]:
        """Code-like words of prose outside ``taken`` spans that this vocabulary does not know but
        resembles ("WTFO" -> WFTO, "ISO 9010" -> ISO 9001): each once, with its "did you mean"."""
        out: list[Resolution] = []
        for m in CODE_LIKE.finditer(source):
            if any(a < m.end() and m.start() < b for a, b in taken) or m.group(0).upper() in self.codes:
                continue
            r = self.resolve(m.group(0))
            if r.status == "unknown" and r.suggestions and r.label not in [o.label for o in out]:
                out.append(r)
        return out


@cache
def terms(name: str) -> Terms:
    return Terms(name)
