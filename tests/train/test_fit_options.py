"""Fit options that need no model: LoRA targets, the device, and the GGUF names of every adapted projection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carvoice.train.errors import TrainError
from carvoice.train.export import BaseShape, _gguf_tensors
from carvoice.train.fit import FitOptions, pick_device


def test_unknown_lora_targets_are_refused_with_the_choices():
    with pytest.raises(TrainError, match="choose one of attention, all"):
        FitOptions(base_gguf=Path("x.gguf"), targets="mlp")


def test_asking_for_a_gpu_torch_does_not_see_is_a_clear_error(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(TrainError, match="sees no CUDA GPU"):
        pick_device("cuda")
    assert pick_device("auto") == "cpu"


def test_attention_and_feed_forward_weights_get_their_llama_cpp_names():
    names = {f"base_model.model.model.layers.3.{block}.{proj}_proj.lora_{half}.weight": np.zeros((2, 2))
             for block, projections in (("self_attn", "qkvo"), ("mlp", ("gate", "up", "down")))
             for proj in projections for half in "AB"}
    tensors = _gguf_tensors(names, BaseShape("qwen2", heads=2, kv_heads=2))
    assert sorted({name.split(".")[2] for name in tensors}) == [
        "attn_k", "attn_output", "attn_q", "attn_v", "ffn_down", "ffn_gate", "ffn_up"]
    assert "blk.3.ffn_gate.weight.lora_a" in tensors and "blk.3.attn_q.weight.lora_b" in tensors


def test_a_weight_the_exporter_does_not_know_is_refused():
    with pytest.raises(TrainError, match="does not know"):
        _gguf_tensors({"base_model.model.model.layers.0.mlp.fc1_proj.lora_A.weight": np.zeros((2, 2))},
                      BaseShape("qwen2", heads=2, kv_heads=2))
