"""Controlled vocabularies: certifications, sustainability practices, materials, products.

Each vocabulary is a JSON file in ``matcher/vocabularies/``::

    {"concept_id": {"label": {"en": "...", "fr": "..."},
                    "aliases": ["...", "..."],
                    "implies": ["other_id"],          # optional
                    "family": "...", "hs": ["..."]}}   # products only

A label matches an alias when the alias's folded tokens appear contiguously
in it, so "REACH nickel test (SGS 2024)" is ``reach_nickel``; the longest
alias wins. Labels that match nothing keep their folded text as
``other:<text>`` and still match each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from matcher.errors import ConfigError
from matcher.textnorm import tokens

OTHER = "other:"


@dataclass(frozen=True)
class Concept:
    id: str
    labels: dict[str, str]
    implies: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)


class Vocabulary:
    """Alias lookup over one concept set."""

    def __init__(self, name: str, concepts: dict[str, Concept], aliases: dict[str, list[str]]) -> None:
        self.name = name
        self.concepts = concepts
        self._by_tokens: dict[tuple[str, ...], str] = {}
        for cid, names in aliases.items():
            for alias in [*names, *concepts[cid].labels.values(), cid.replace("_", " ")]:
                key = tuple(tokens(alias))
                if key:
                    self._by_tokens.setdefault(key, cid)
        self._max_len = max((len(k) for k in self._by_tokens), default=0)
        # Sheets repeat the same labels thousands of times; look each up once.
        self.find = lru_cache(maxsize=65536)(self._find)  # type: ignore[method-assign]

    @classmethod
    def from_dict(cls, name: str, data: dict[str, dict[str, Any]]) -> Vocabulary:
        concepts, aliases = {}, {}
        for cid, entry in data.items():
            if "label" not in entry or "en" not in entry["label"]:
                raise ConfigError(f"vocabulary '{name}': concept '{cid}' needs label.en")
            attrs = {k: v for k, v in entry.items() if k not in ("label", "aliases", "implies")}
            concepts[cid] = Concept(cid, dict(entry["label"]), tuple(entry.get("implies", ())), attrs)
            aliases[cid] = list(entry.get("aliases", []))
        for concept in concepts.values():
            for target in concept.implies:
                if target not in concepts:
                    raise ConfigError(f"vocabulary '{name}': '{concept.id}' implies unknown '{target}'")
        return cls(name, concepts, aliases)

    def _find(self, text: str) -> tuple[str, ...]:
        """Concept ids mentioned in ``text``, longest alias first, no overlaps."""
        toks = tokens(text)
        used = [False] * len(toks)
        found: list[str] = []
        for size in range(min(self._max_len, len(toks)), 0, -1):
            for start in range(len(toks) - size + 1):
                if any(used[start : start + size]):
                    continue
                cid = self._by_tokens.get(tuple(toks[start : start + size]))
                if cid is not None:
                    used[start : start + size] = [True] * size
                    if cid not in found:
                        found.append(cid)
        return tuple(found)

    def keys(self) -> dict[tuple[str, ...], str]:
        """Folded alias tokens -> concept id (labels and ids included)."""
        return self._by_tokens

    def keys_of(self, cid: str) -> list[tuple[str, ...]]:
        if not hasattr(self, "_keys_of"):
            inverse: dict[str, list[tuple[str, ...]]] = {}
            for k, c in self._by_tokens.items():
                inverse.setdefault(c, []).append(k)
            self._keys_of = inverse
        return self._keys_of.get(cid, [])

    def find(self, text: str) -> tuple[str, ...]:  # replaced per instance by a cached _find
        return self._find(text)

    def canonicalize(self, labels: list[str]) -> list[str]:
        """One or more ids per label; unknown labels become ``other:<folded>``."""
        out: list[str] = []
        for label in labels:
            ids = self.find(label) or [OTHER + " ".join(tokens(label))]
            out.extend(i for i in ids if i not in out)
        return out

    def expand(self, ids: list[str]) -> set[str]:
        """Ids plus everything they imply (WFTO implies generic fair trade)."""
        result, stack = set(), list(ids)
        while stack:
            cid = stack.pop()
            if cid in result:
                continue
            result.add(cid)
            concept = self.concepts.get(cid)
            if concept:
                stack.extend(concept.implies)
        return result

    def label(self, cid: str, lang: str | None = "en") -> str:
        """Display label in ``lang`` (English fallback); unknown ids show their text."""
        if cid.startswith(OTHER):
            return cid[len(OTHER):]
        concept = self.concepts.get(cid)
        if concept is None:
            return cid
        return concept.labels.get(lang or "en") or concept.labels["en"]


@cache
def load(name: str) -> Vocabulary:
    """Load a bundled vocabulary: certifications, sustainability, materials, products, families."""
    try:
        text = resources.files("matcher.vocabularies").joinpath(f"{name}.json").read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no vocabulary named '{name}'") from None
    return Vocabulary.from_dict(name, json.loads(text))
