"""Text folding shared by vocabularies, lexical scoring and language guessing.

Officers and buyers spell the same thing many ways ("Poinçon", "poincon",
"ISO9001:2015", "الفضّة"). Folding removes those differences once, here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_ARABIC_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def fold(text: str) -> str:
    """Lower-case, strip accents and Arabic diacritics, punctuation to spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = no_marks.casefold().translate(_ARABIC_MAP).replace("_", " ")
    folded = _NON_WORD.sub(" ", folded)
    return _LETTER_DIGIT.sub(" ", folded).strip()


def _stem(token: str) -> str:
    # Plural and article stripping just strong enough that "bracelets" meets
    # "bracelet" and "الفضة" meets "فضة"; both sides are stemmed alike.
    if _ARABIC.match(token):
        for prefix in ("وال", "بال", "لل", "ال", "و"):
            if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                return token[len(prefix):]
        return token
    if token.endswith(("eaux", "oux")):
        return token[:-1]
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Folded, lightly stemmed tokens."""
    return [_stem(t) for t in fold(text).split()]


def text_hash(text: str) -> str:
    """Stable key for the embedding cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_STOPWORDS = {
    "en": {"the", "and", "for", "with", "of", "we", "our", "looking", "need", "are", "to", "in", "from"},
    "fr": {"le", "la", "les", "des", "et", "pour", "avec", "nous", "recherchons", "une", "du", "en", "sur"},
    "it": {"il", "di", "per", "con", "che", "cerchiamo", "della", "una", "gli", "delle", "sono", "nostro"},
    "de": {"der", "die", "das", "und", "für", "mit", "wir", "suchen", "eine", "aus", "von", "nicht"},
}


def guess_language(text: str) -> str | None:
    """ISO 639-1 guess among ar/en/fr/it/de from script and stop words."""
    if len(_ARABIC.findall(text)) > max(3, len(text) // 5):
        return "ar"
    words = re.findall(r"[^\W\d_]+", text.casefold())
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else None
