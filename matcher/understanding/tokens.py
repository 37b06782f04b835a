"""Text with positions: tokens that remember where they stand, digits of every script, clauses.

Extraction reports the span each item was read from, so tokens keep their character offsets in
the text the buyer wrote; matching uses their folded form (matcher.textnorm).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from matcher.textnorm import tokens as folded_tokens

# Arabic-Indic (U+0660..9) and Eastern Arabic-Indic (U+06F0..9) digits to ASCII.
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)},
                         "\u066b": ",", "\u066c": " "})  # Arabic decimal and thousands separators
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CLAUSE_END = re.compile(r"[.!?;:\n\u061b\u061f\u06d4]+|،|,(?=\s)")
_SENTENCE_END = re.compile(r"[.!?\n\u061f\u06d4]")


def ascii_digits(text: str) -> str:
    """The same text with every digit in ASCII (same length: spans stay valid)."""
    return text.translate(_DIGITS)


@dataclass(frozen=True)
class Token:
    text: str  # as written
    start: int
    end: int
    folded: tuple[str, ...]  # matcher.textnorm.tokens of the word (a word may fold to several)


def tokenize(text: str) -> list[Token]:
    """Words with their spans and folded forms ("ISO9001" folds to ("iso", "9001"))."""
    out = []
    for m in _WORD.finditer(ascii_digits(text)):
        folded = tuple(folded_tokens(m.group()))
        if folded:
            out.append(Token(text[m.start():m.end()], m.start(), m.end(), folded))
    return out


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    sentence: int  # clauses of one sentence share this number


def clauses(text: str) -> list[Clause]:
    """Sentences and their comma-separated parts: a cue ("mandatory") speaks for its own clause."""
    out, start, sentence = [], 0, 0
    for m in _CLAUSE_END.finditer(text):
        if text[start:m.start()].strip():
            out.append(Clause(start, m.start(), text[start:m.start()], sentence))
        if _SENTENCE_END.search(m.group()) and not re.match(r"\d", text[m.end():m.end() + 1]):
            sentence += 1
        start = m.end()
    if text[start:].strip():
        out.append(Clause(start, len(text), text[start:], sentence))
    return out


def clause_of(clause_list: list[Clause], start: int) -> Clause | None:
    return next((c for c in clause_list if c.start <= start < c.end), None)


def _plain_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


@lru_cache(maxsize=64)  # the same clause is asked for again per term found in it
def plain(text: str) -> str:
    """Lower case without accents, one character for one (so spans found in it hold in ``text``)."""
    return "".join(_plain_char(ch) for ch in text)
