"""A LoRA adapter folded into its base (merge.py), and the store's merged models (store.py): built once, reused,
built again for a changed adapter, refused with one line for an adapter that does not fit."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import pytest
import yaml

from carvoice.models import InstallState, ModelStore, Role, resolve
from carvoice.models.catalog import parse_catalog
from carvoice.models.gguf_header import AdapterMismatchError
from carvoice.models.merge import MERGED_FROM_KEYS, MergeError, MergeOptions, merge_adapter
from carvoice.models.recipe import SlmRecipe, read_recipe, write_recipe

gguf = pytest.importorskip("gguf")
from gguf.quants import dequantize, quantize  # noqa: E402

WIDTH, OUT, RANK, ALPHA = 64, 32, 4, 8.0  # a weight maps 64 inputs to 32 outputs: a transposed merge cannot fit
WEIGHT = "blk.0.attn_q.weight"


def _write(path: Path, tensors: dict[str, tuple[np.ndarray, gguf.GGMLQuantizationType]], *,
           adapter: bool = False) -> Path:
    writer = gguf.GGUFWriter(str(path), "llama")
    if adapter:
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, ALPHA)
    else:
        writer.add_block_count(1)
        writer.add_array("tokenizer.ggml.tokens", ["a", "b", "c"])
    for name, (values, kind) in tensors.items():
        writer.add_tensor(name, values if values.dtype == np.uint8 else quantize(values, kind), raw_dtype=kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def weights() -> dict[str, np.ndarray]:
    """W (out x in), A (rank x in), B (out x rank), the norm: as gguf-py holds them (ggml dimensions reversed)."""
    rng = np.random.default_rng(7)
    return {"W": rng.standard_normal((OUT, WIDTH)).astype(np.float32),
            "A": rng.standard_normal((RANK, WIDTH)).astype(np.float32) / 4,
            "B": rng.standard_normal((OUT, RANK)).astype(np.float32) / 4,
            "norm": rng.standard_normal(WIDTH).astype(np.float32)}


def _base(folder: Path, weights, kind=gguf.GGMLQuantizationType.F32) -> Path:
    return _write(folder / "base.gguf", {WEIGHT: (weights["W"], kind),
                                         "blk.0.attn_norm.weight": (weights["norm"], gguf.GGMLQuantizationType.F32)})


def _adapter(folder: Path, weights, name: str = "adapter.gguf", scale: float = 1.0) -> Path:
    f32 = gguf.GGMLQuantizationType.F32
    return _write(folder / name, {f"{WEIGHT}.lora_a": (weights["A"], f32),
                                  f"{WEIGHT}.lora_b": (weights["B"] * scale, f32)}, adapter=True)


def _tensors(path: Path) -> dict:
    return {tensor.name: tensor for tensor in gguf.GGUFReader(path).tensors}


def _merged_weight(path: Path) -> np.ndarray:
    tensor = _tensors(path)[WEIGHT]
    return dequantize(tensor.data, tensor.tensor_type)


def test_a_merged_weight_is_w_plus_alpha_over_rank_times_b_a(tmp_path, weights):
    merged = merge_adapter(_base(tmp_path, weights), _adapter(tmp_path, weights), tmp_path / "merged.gguf")
    expected = weights["W"] + ALPHA / RANK * weights["B"] @ weights["A"]
    np.testing.assert_allclose(_merged_weight(merged), expected, rtol=1e-5, atol=1e-5)


def test_everything_else_is_copied_as_it_is(tmp_path, weights):
    base = _base(tmp_path, weights)
    merged = merge_adapter(base, _adapter(tmp_path, weights), tmp_path / "merged.gguf")
    before, after = gguf.GGUFReader(base), gguf.GGUFReader(merged)
    assert {k: f.contents() for k, f in before.fields.items() if not k.startswith("GGUF.")}.items() <= \
        {k: f.contents() for k, f in after.fields.items()}.items()
    assert set(after.fields) - set(before.fields) == set(MERGED_FROM_KEYS)
    norm = "blk.0.attn_norm.weight"
    assert _tensors(merged)[norm].data.tobytes() == _tensors(base)[norm].data.tobytes()


def _q4_k(rows: int, blocks: int) -> np.ndarray:
    """Q4_K bytes, which gguf-py reads but cannot write: random blocks with a small scale and minimum."""
    data = np.random.default_rng(1).integers(0, 256, (rows, blocks, 144), dtype=np.uint8)
    data[:, :, :4] = np.frombuffer(np.array([0.01, 0.01], np.float16).tobytes(), np.uint8)
    return data.reshape(rows, blocks * 144)


@pytest.mark.parametrize(("base_kind", "options", "written"), [
    ("Q8_0", MergeOptions(weights=None), "Q8_0"),  # the weight's own type
    ("F32", MergeOptions(weights="Q4_0"), "Q4_0"),
    ("Q4_K", MergeOptions(weights=None), "F16"),  # gguf-py reads K-quants but cannot write them
])
def test_the_merged_weight_is_written_in_its_own_type_or_the_one_asked_for(tmp_path, weights, base_kind, options,
                                                                           written):
    if base_kind == "Q4_K":  # 256 inputs, a K-quant block
        weights = {**weights, "W": _q4_k(OUT, 1), "A": np.tile(weights["A"], (1, 4))}
    base = _base(tmp_path, weights, gguf.GGMLQuantizationType[base_kind])
    merged = merge_adapter(base, _adapter(tmp_path, weights), tmp_path / "merged.gguf", options)
    assert _tensors(merged)[WEIGHT].tensor_type.name == written
    expected = _merged_weight(base) + ALPHA / RANK * weights["B"] @ weights["A"]
    assert np.abs(_merged_weight(merged) - expected).max() < 0.1 * np.abs(expected).max()


def test_an_unknown_type_is_refused(tmp_path, weights):
    with pytest.raises(MergeError, match="'Q9_9' is not a ggml tensor type"):
        merge_adapter(_base(tmp_path, weights), _adapter(tmp_path, weights), tmp_path / "m.gguf",
                      MergeOptions(weights="Q9_9"))


def _catalog_store(tmp_path: Path, base: Path, adapter: Path, merge: bool = True) -> ModelStore:
    data = base.read_bytes()
    base_file = {"name": "base.gguf", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                 "parts": [{"package": "p", "version": "1", "member": "base.gguf"}]}
    plain = {"description": "d", "licence": "l", "origin": "o", "entry": "base.gguf", "files": [base_file]}
    models = [{"name": "base-slm", "role": "slm", "default": True, **plain},
              {"name": "student", "role": "slm", "description": "d", "licence": "l", "origin": "o",
               "base": "base-slm", "adapter": str(adapter), "prompt": "short"},
              *({"name": role, "role": role, "default": True, **plain} for role in ("stt", "tts", "wake"))]
    store = ModelStore(tmp_path / "home", parse_catalog(yaml.safe_dump({"models": models}), "test catalog"),
                       merge_adapters=merge)
    folder = store.folder(store.catalog.by_name["base-slm"])
    folder.mkdir(parents=True)
    (folder / "base.gguf").write_bytes(data)
    return store


@pytest.fixture
def merges(monkeypatch) -> list[Path]:
    """The merged files the store builds, in order."""
    from carvoice.models import store

    built: list[Path] = []

    def counted(base, adapter, out, options=MergeOptions()):
        built.append(out)
        return merge_adapter(base, adapter, out, options)

    monkeypatch.setattr(store, "merge_adapter", counted)
    return built


def test_the_store_merges_a_shipped_adapter_once_and_reuses_it(tmp_path, weights, merges):
    store = _catalog_store(tmp_path, _base(tmp_path, weights), _adapter(tmp_path, weights))
    student = store.catalog.by_name["student"]
    assert store.status(student).state is InstallState.MISSING  # the base is there, the merge not yet
    folder = resolve(Role.SLM, "student", store).path
    assert folder == store.entry_path(student) == store.folder(student) / "merged"
    recipe = read_recipe(folder)
    assert (recipe.adapter, recipe.prompt, recipe.base.parent) == (None, "short", folder)
    assert store.status(student).state is InstallState.INSTALLED
    assert resolve(Role.SLM, "student", store).path == folder
    assert merges == [recipe.base]


def test_a_changed_adapter_is_merged_again_and_the_old_merge_dropped(tmp_path, weights, merges):
    adapter = _adapter(tmp_path, weights)
    store = _catalog_store(tmp_path, _base(tmp_path, weights), adapter)
    student = store.catalog.by_name["student"]
    first = read_recipe(store.ensure(student)).base
    _adapter(tmp_path, weights, scale=2.0)
    assert store.status(student).state is InstallState.MISSING
    second = read_recipe(store.ensure(student)).base
    assert merges == [first, second] and first != second
    assert not first.exists()
    np.testing.assert_allclose(_merged_weight(second), weights["W"] + 2 * ALPHA / RANK * weights["B"] @ weights["A"],
                               rtol=1e-5, atol=1e-5)


def test_a_damaged_merge_is_found_by_verify_and_built_again(tmp_path, weights, merges):
    store = _catalog_store(tmp_path, _base(tmp_path, weights), _adapter(tmp_path, weights))
    student = store.catalog.by_name["student"]
    merged = read_recipe(store.ensure(student)).base
    data = bytearray(merged.read_bytes())
    data[-1] ^= 0xFF
    merged.write_bytes(bytes(data))
    assert store.status(student, rehash=True).state is InstallState.CORRUPT
    store.ensure(student)
    assert store.status(student, rehash=True).state is InstallState.INSTALLED and len(merges) == 2


def test_without_merging_the_recipe_of_base_and_adapter_loads(tmp_path, weights, merges):
    base, adapter = _base(tmp_path, weights), _adapter(tmp_path, weights)
    store = _catalog_store(tmp_path, base, adapter, merge=False)
    recipe = read_recipe(resolve(Role.SLM, "student", store).path)
    assert (recipe.base.name, recipe.adapter) == ("base.gguf", adapter)
    assert merges == []


def test_an_own_recipe_folder_is_merged_beside_its_adapter(tmp_path, weights, merges):
    store = ModelStore(tmp_path / "home", _catalog_store(tmp_path, _base(tmp_path, weights), tmp_path).catalog,
                       merge_adapters=True)
    own = write_recipe(tmp_path / "run" / "adapter", SlmRecipe(base=tmp_path / "base.gguf", prompt="short",
                                                                adapter=_adapter(tmp_path, weights)))
    resolved = resolve(Role.SLM, str(own), store)
    assert (resolved.path, resolved.source, len(merges)) == (own / "merged", "path", 1)


def test_an_adapter_that_does_not_fit_is_one_line_and_merges_nothing(tmp_path, weights):
    wider = {**weights, "A": np.tile(weights["A"], (1, 2))}
    store = _catalog_store(tmp_path, _base(tmp_path, weights), _adapter(tmp_path, wider))
    with pytest.raises(AdapterMismatchError, match=r"does not fit the base model base\.gguf: .* maps 64 inputs "
                                                   r"to 32 outputs in the base, the adapter's pair 128 to 32"):
        store.ensure(store.catalog.by_name["student"])
    merged = store.folder(store.catalog.by_name["student"]) / "merged"
    assert not [path for path in merged.iterdir() if path.suffix in (".gguf", ".partial")]


def test_an_adapter_that_cannot_be_merged_is_applied_unmerged_with_a_warning(tmp_path, weights, monkeypatch,
                                                                            caplog):
    from carvoice.models import store as store_module

    def fails(*args, **kwargs):
        raise MergeError("cannot merge blk.0.attn_q.weight: gguf-py cannot read IQ2_XS weights")

    monkeypatch.setattr(store_module, "merge_adapter", fails)
    store = _catalog_store(tmp_path, _base(tmp_path, weights), _adapter(tmp_path, weights))
    with caplog.at_level(logging.WARNING):
        folder = store.ensure(store.catalog.by_name["student"])
    assert read_recipe(folder).adapter is not None
    assert "applied unmerged" in caplog.text and "IQ2_XS" in caplog.text
