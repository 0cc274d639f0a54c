"""Shipped adapters in the model catalog: validated entries, installed when their base is, resolved to a
recipe folder (base + adapter + prompt style) that the NLU stage loads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from carvoice.models import InstallState, ModelNotAvailableError, ModelStore, Role, resolve
from carvoice.models.catalog import CatalogError, parse_catalog
from carvoice.models.recipe import RecipeError, SlmRecipe, read_recipe, write_recipe

BASE_BYTES = b"GGUF" + b"\0" * 60


def _catalog(adapter_path: Path, **adapter_fields):
    base_file = {"name": "base.gguf", "size": len(BASE_BYTES), "sha256": hashlib.sha256(BASE_BYTES).hexdigest(),
                 "parts": [{"package": "p", "version": "1", "member": "base.gguf"}]}
    plain = {"role": "slm", "description": "d", "licence": "l", "origin": "o", "entry": "base.gguf",
             "files": [base_file]}
    models = [
        {"name": "base-slm", "default": True, **plain},
        {"name": "student", "role": "slm", "description": "d", "licence": "l", "origin": "o",
         "base": "base-slm", "adapter": str(adapter_path), "prompt": "short", **adapter_fields},
        {"name": "stt", **{**plain, "role": "stt", "default": True}},
        {"name": "tts", **{**plain, "role": "tts", "default": True}},
    ]
    return parse_catalog(yaml.safe_dump({"models": models}), "test catalog")


@pytest.fixture
def adapter_file(tmp_path) -> Path:
    path = tmp_path / "shipped" / "adapter.gguf"
    path.parent.mkdir()
    path.write_bytes(b"GGUF adapter")
    return path


def _install_base(store: ModelStore) -> Path:
    folder = store.folder(store.catalog.by_name["base-slm"])
    folder.mkdir(parents=True)
    (folder / "base.gguf").write_bytes(BASE_BYTES)
    return folder / "base.gguf"


def test_an_adapter_is_missing_until_its_base_is_installed_then_resolves_to_its_recipe(tmp_path, adapter_file):
    store = ModelStore(tmp_path / "home", _catalog(adapter_file))
    student = store.catalog.by_name["student"]
    assert store.status(student).state is InstallState.MISSING
    base_path = _install_base(store)
    assert store.status(student).state is InstallState.INSTALLED
    assert student.size == len(b"GGUF adapter")
    resolved = resolve(Role.SLM, "student", store)
    assert read_recipe(resolved.path) == SlmRecipe(base=base_path, adapter=adapter_file, prompt="short")


def test_a_missing_shipped_adapter_is_reported_as_corrupt(tmp_path, adapter_file):
    store = ModelStore(tmp_path / "home", _catalog(adapter_file))
    _install_base(store)
    adapter_file.unlink()
    status = store.status(store.catalog.by_name["student"])
    assert status.state is InstallState.CORRUPT and "adapter" in status.problems[0]


@pytest.mark.parametrize("fields, message", [
    ({"base": None}, "needs both `base` and `adapter`"),
    ({"base": "nowhere"}, "must be a downloaded slm model"),
    ({"base": "stt"}, "must be a downloaded slm model"),
    ({"files": [{"name": "x", "size": 1, "sha256": "0" * 64, "parts": [{"package": "p", "version": "1",
                                                                         "member": "x"}]}]}, "either `files`"),
])
def test_a_broken_adapter_entry_says_what_is_wrong(adapter_file, fields, message):
    with pytest.raises(CatalogError, match=message):
        _catalog(adapter_file, **fields)


def test_only_adapters_take_the_short_prompt(adapter_file):
    catalog = _catalog(adapter_file)
    data = {"models": [m.model_dump(mode="json", exclude_none=True) for m in catalog.models]}
    data["models"][0]["prompt"] = "short"
    with pytest.raises(CatalogError, match="only a shipped adapter"):
        parse_catalog(yaml.safe_dump(data), "test catalog")


def test_a_recipe_folder_is_a_valid_slm_path_and_a_bare_folder_is_not(tmp_path, adapter_file, tiny_gguf):
    store = ModelStore(tmp_path / "home", _catalog(adapter_file))
    folder = write_recipe(tmp_path / "run" / "adapter", SlmRecipe(
        base=tiny_gguf("base.gguf"), adapter=tiny_gguf("adapter.gguf", adapter=True), prompt="short"))
    assert resolve(Role.SLM, str(folder), store).path == folder
    with pytest.raises(ModelNotAvailableError, match="slm.json"):
        resolve(Role.SLM, str(tmp_path / "run"), store)


def test_a_recipe_naming_missing_files_is_refused(tmp_path):
    folder = write_recipe(tmp_path / "adapter", SlmRecipe(base=tmp_path / "gone.gguf", adapter=Path("a.gguf")))
    with pytest.raises(RecipeError, match="missing files"):
        read_recipe(folder)
