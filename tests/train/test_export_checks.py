"""`train export` never writes an adapter over a base it was not fitted on (issue 22: `train all --quick` then
`train export` without --quick relabelled the SmolLM2 adapter as a Qwen one, and llama.cpp crashed on it)."""

import json

import numpy as np
import pytest

from carvoice.models.gguf_header import BASE_SHA256_KEY, check_slm_files, read_gguf_header
from carvoice.models.pull import sha256_of
from carvoice.train.errors import TrainError
from carvoice.train.export import export_lora, trained_base

pytest.importorskip("safetensors")


def _peft_folder(tmp_path, width: int, fitted_on: str | None = None):
    from safetensors.numpy import save_file

    folder = tmp_path / "run" / "peft"
    folder.mkdir(parents=True)
    weights = {}
    for layer in range(2):
        prefix = f"base_model.model.model.layers.{layer}.self_attn.q_proj"
        weights[f"{prefix}.lora_A.weight"] = np.ones((2, width), np.float32)
        weights[f"{prefix}.lora_B.weight"] = np.ones((width, 2), np.float32)
    save_file(weights, str(folder / "adapter_model.safetensors"))
    (folder / "adapter_config.json").write_text(json.dumps({"lora_alpha": 4, "r": 2}), encoding="utf-8")
    if fitted_on is not None:
        (folder / "fit.json").write_text(json.dumps({"options": {"base_gguf": fitted_on}}), encoding="utf-8")
    return folder


def test_an_adapter_of_another_size_is_not_exported(tmp_path, tiny_gguf):
    with pytest.raises(TrainError, match="does not fit base.gguf: blk.0.attn_q.weight maps 8 inputs"):
        export_lora(_peft_folder(tmp_path, width=16), tiny_gguf("base.gguf", width=8), tmp_path / "a.gguf")
    assert not (tmp_path / "a.gguf").exists()


def test_a_run_is_exported_only_over_the_base_it_was_fitted_on(tmp_path, tiny_gguf):
    peft = _peft_folder(tmp_path, width=8, fitted_on="/store/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    assert trained_base(peft).name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    with pytest.raises(TrainError, match="fitted on SmolLM2-135M-Instruct.Q4_1.gguf, not base.gguf"):
        export_lora(peft, tiny_gguf("base.gguf"), tmp_path / "a.gguf")


def test_an_exported_adapter_records_its_base_and_fits_it(tmp_path, tiny_gguf):
    base = tiny_gguf("base.gguf")
    adapter = export_lora(_peft_folder(tmp_path, width=8, fitted_on=str(base)), base, tmp_path / "a.gguf")
    assert read_gguf_header(adapter).metadata[BASE_SHA256_KEY] == sha256_of(base)
    check_slm_files(base, adapter)
