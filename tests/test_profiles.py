"""Profile versions: every saved version is kept and selectable; rollback adds a version."""

import dataclasses
import json
import shutil

import pytest

from matcher.errors import ConfigError
from matcher.profiles import (
    list_profiles,
    load_profile,
    profile_versions,
    rollback_profile,
    save_profile,
    selectable_profiles,
)
from tests.conftest import ROOT


@pytest.fixture
def models(tmp_path, monkeypatch):
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(ROOT / "models" / "profiles" / "default.json", folder)
    monkeypatch.setenv("MATCHER_MODELS", str(tmp_path))
    return folder


def test_saving_a_new_version_keeps_the_old_one_selectable(models):
    base = load_profile("default")
    v2 = dataclasses.replace(base, version=2, weights={**base.weights, "price": 9.0}, meta={"created": "x"})
    save_profile(v2)
    assert sorted(p.name for p in models.iterdir()) == ["default.json", "default@1.json"]
    assert load_profile("default").version == 2 and load_profile("default").weights["price"] == 9.0
    assert load_profile("default@1").weights == base.weights and load_profile("default@2").version == 2
    assert profile_versions("default") == [1, 2] and list_profiles() == ["default"]
    assert selectable_profiles() == ["default", "default@1", "default@2"]
    with pytest.raises(ConfigError, match=r"^profile 'default' is at version 2: a new version must be higher "
                                          r"\(got 2\); versions are never overwritten$"):
        save_profile(v2)
    assert json.loads((models / "default@1.json").read_text("utf-8"))["version"] == 1


def test_unknown_versions_and_paths_are_refused(models):
    with pytest.raises(ConfigError, match=r"^profile 'default' has no version '7' \(versions: 1\)$"):
        load_profile("default@7")
    with pytest.raises(ConfigError, match=r"^profile 'default' has no version '\.\./x' \(versions: 1\)$"):
        load_profile("default@../x")
    with pytest.raises(ConfigError, match=r"^no weight profile named '\.\./default@1' \(known: default\)$"):
        load_profile("../default@1")


def test_rollback_makes_an_old_version_the_latest_without_deleting_any(models):
    base = load_profile("default")
    save_profile(dataclasses.replace(base, version=2, weights={**base.weights, "price": 9.0}))
    restored = rollback_profile("default", 1, "matcher profiles rollback default --to 1")
    save_profile(restored)
    latest = load_profile("default")
    assert latest.version == 3 and latest.weights == base.weights
    assert latest.meta["rollback"]["restores"] == "default@1" and latest.meta["rollback"]["replaces"] == "default@2"
    assert profile_versions("default") == [1, 2, 3] and load_profile("default@2").weights["price"] == 9.0
