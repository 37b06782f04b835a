"""The language of a request, detected from its text (lingua), never taken from the page language."""

from __future__ import annotations

from functools import cache
from typing import Any

SUPPORTED = ("en", "fr", "ar", "it", "de", "es")
MIN_CONFIDENCE = 0.5  # below this the text does not say (a bare "CE" or "200 pcs")
MIN_LETTERS = 12


@cache
def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in SUPPORTED]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) among the supported languages; (None, c) when unsure."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None, 0.0
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    return (code if best.value >= MIN_CONFIDENCE else None), round(float(best.value), 3)
