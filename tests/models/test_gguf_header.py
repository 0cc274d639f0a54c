"""GGUF files are checked before llama.cpp sees them: it crashes on a truncated file and on a LoRA adapter made
for another base model (issue 22: a relabelled SmolLM2 adapter over Qwen was a segmentation fault)."""

import subprocess
import sys

import pytest

from carvoice.models import Role, resolve
from carvoice.models.gguf_header import (BASE_SHA256_KEY, AdapterMismatchError, GgufError, _BLOCK_SIZES,
                                         check_slm_files, read_gguf_header)
from carvoice.models.pull import sha256_of
from carvoice.models.recipe import SlmRecipe, write_recipe


def test_the_header_gives_architecture_layers_and_tensor_shapes_without_the_weights(tiny_gguf):
    header = read_gguf_header(tiny_gguf("base.gguf", width=8, layers=3))
    assert (header.architecture, header.kind, header.block_count) == ("llama", "model", 3)
    assert header.tensors["blk.2.attn_q.weight"] == (8, 8)
    assert header.tensors["token_embd.weight"] == (8, 16)


def test_the_tensor_sizes_agree_with_gguf_py():
    gguf = pytest.importorskip("gguf")
    assert {kind: gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType(kind)] for kind in _BLOCK_SIZES} == _BLOCK_SIZES


@pytest.mark.parametrize(("damage", "message"), [
    (lambda data: data[: len(data) - 100], "truncated GGUF file"),
    (lambda data: data[:40], "damaged or truncated GGUF file"),
    (lambda data: b"PK\x03\x04" + data[4:], "not a GGUF model file"),
    (lambda data: b"", "not a GGUF model file"),
])
def test_a_damaged_truncated_or_foreign_file_is_one_clear_error(tiny_gguf, damage, message):
    path = tiny_gguf("base.gguf")
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(GgufError, match=message):
        check_slm_files(path)


def test_an_adapter_made_for_a_wider_model_is_refused_before_llama_cpp(tiny_gguf):
    from carvoice.nlu.slm import ConstrainedSlm

    base = tiny_gguf("base.gguf", width=8)
    wider = tiny_gguf("adapter.gguf", width=16, adapter=True)
    with pytest.raises(AdapterMismatchError, match="maps 8 inputs to 8 outputs in the base, the adapter's pair 16 "
                                                   "to 16"):
        ConstrainedSlm(base, lora_path=wider)


@pytest.mark.parametrize(("adapter", "message"), [
    ({"architecture": "qwen2"}, "it is for a 'qwen2' model and the base is 'llama'"),
    ({"layers": 3}, "it changes blk.2.attn_q.weight, which the base lacks"),
    ({"adapter": False}, "is not a LoRA adapter"),
    ({"metadata": {BASE_SHA256_KEY: "0" * 64}}, "it was fitted on another base file"),
])
def test_an_adapter_that_does_not_fit_its_base_says_why(tiny_gguf, adapter, message):
    base = tiny_gguf("base.gguf")
    other = tiny_gguf("adapter.gguf", **{"adapter": True, **adapter})
    with pytest.raises(AdapterMismatchError, match=message):
        check_slm_files(base, other)


def test_an_adapter_that_fits_its_recorded_base_passes(tiny_gguf):
    base = tiny_gguf("base.gguf")
    check_slm_files(base, tiny_gguf("adapter.gguf", adapter=True, metadata={BASE_SHA256_KEY: sha256_of(base)}))


def test_a_recipe_with_a_mismatched_adapter_fails_at_resolve_and_on_the_command_line(tiny_gguf, model_store,
                                                                                     tmp_path):
    folder = write_recipe(tmp_path / "run" / "adapter", SlmRecipe(
        base=tiny_gguf("base.gguf"), adapter=tiny_gguf("adapter.gguf", width=16, adapter=True), prompt="short"))
    with pytest.raises(AdapterMismatchError):
        resolve(Role.SLM, str(folder), model_store)
    result = subprocess.run([sys.executable, "-m", "carvoice", "text", "--slm", str(folder), "turn on the A/C"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "this LoRA adapter does not fit the base model base.gguf" in result.stderr
    assert "Traceback" not in result.stderr
