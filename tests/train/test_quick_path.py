"""`carvoice train all --quick` end to end on SmolLM2-135M: generate, fit a few steps, export a GGUF LoRA,
load base + adapter in llama.cpp through the NLU stage and understand an utterance. Also checks that the
exported adapter means in llama.cpp what it means in transformers."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from carvoice.cli import common_options
from carvoice.cli import train as train_cli
from carvoice.models import Role, resolve
from carvoice.models.recipe import read_recipe
from carvoice.nlu.catalog import load_intent_catalog
from carvoice.nlu.slm import SlmOptions
from carvoice.nlu.understand import Understander
from carvoice.train.export import export_lora

STUDENT = "smollm2-135m-instruct"


@pytest.fixture(scope="module")
def student_gguf(model_store) -> Path:
    return resolve(Role.SLM, STUDENT, model_store).path


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory, settings, student_gguf) -> Path:
    run = tmp_path_factory.mktemp("quick-run")
    parser = argparse.ArgumentParser()
    train_cli.register(parser.add_subparsers(), common_options())
    args = parser.parse_args(["train", "all", "--quick", "--run", str(run)])
    assert args.handler(args, settings) == 0
    return run


def test_quick_run_writes_data_adapter_recipe_and_card(quick_run, student_gguf):
    assert len((quick_run / "train.jsonl").read_text().splitlines()) == train_cli.QUICK["size"]
    adapter = quick_run / "adapter"
    recipe = read_recipe(adapter)
    assert recipe.base == student_gguf.resolve() and recipe.prompt == "short"
    assert recipe.adapter.read_bytes()[:4] == b"GGUF"
    card = (adapter / "MODEL_CARD.md").read_text()
    assert "Overlap with the evaluation set (intents/eval, normalised text): **0**" in card
    assert f"{train_cli.QUICK['steps']} steps" in card


def test_the_exported_student_loads_in_llama_cpp_and_understands(quick_run):
    understander = Understander.load(quick_run / "adapter", load_intent_catalog(), SlmOptions(threads=2))
    assert understander.prompt_style == "short"
    understanding = understander.understand("turn on the air conditioning")
    assert understanding.understood  # the grammar holds the student to valid calls, trained or not
    assert understanding.intents and all(i.name in understander.catalog.by_name for i in understanding.intents)
    assert understanding.prompt_tokens < 30  # the short prompt: no catalog listing


def test_an_adapter_means_the_same_in_llama_cpp_as_in_transformers(quick_run, student_gguf, tmp_path):
    """A random adapter shifts llama.cpp's logits the way it shifts transformers' (q/k rows permuted right)."""
    import torch
    from peft import PeftModel
    from carvoice.train.fit import load_student

    model, tokenizer = load_student(student_gguf, threads=2)
    peft = PeftModel.from_pretrained(model, str(quick_run / "peft"))
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, weight in peft.named_parameters():
            if "lora_" in name:  # A and B both random: the test does not depend on what the quick run learnt
                weight.copy_(torch.randn(weight.shape, generator=generator) * 0.05)
    peft.save_pretrained(str(tmp_path / "peft"))
    adapter = export_lora(tmp_path / "peft", student_gguf, tmp_path / "strong.gguf")
    text = "User: open the sunroof halfway\nCalls:"
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        adapted = peft(ids).logits[0, -1].numpy()
        with peft.disable_adapter():
            plain = peft(ids).logits[0, -1].numpy()
    tokens = ids[0].tolist()
    shift_in_llama_cpp = _llama_logits(student_gguf, adapter, tokens) - _llama_logits(student_gguf, None, tokens)
    assert np.corrcoef(shift_in_llama_cpp, adapted - plain)[0, 1] > 0.9


def _llama_logits(gguf: Path, adapter: Path | None, tokens: list[int]) -> np.ndarray:
    from llama_cpp import Llama, llama_get_logits_ith

    llm = Llama(model_path=str(gguf), lora_path=str(adapter) if adapter else None, n_ctx=256, verbose=False)
    llm.eval(tokens)
    return np.ctypeslib.as_array(llama_get_logits_ith(llm.ctx, -1), shape=(llm.n_vocab(),)).copy()


def test_an_exported_adapter_imports_back_to_the_same_weights(quick_run, student_gguf, tmp_path):
    """`train fit --from` starts from a GGUF LoRA: imported to peft, it exports to the very same tensors (the q/k
    rows of this llama-architecture student permuted back and forth)."""
    from gguf import GGUFReader
    from carvoice.train.export import import_lora

    original = quick_run / "adapter" / "adapter.gguf"
    again = export_lora(import_lora(original, tmp_path / "peft"), student_gguf, tmp_path / "again.gguf")
    first = {t.name: np.asarray(t.data) for t in GGUFReader(original).tensors}
    second = {t.name: np.asarray(t.data) for t in GGUFReader(again).tensors}
    assert first.keys() == second.keys()
    assert all(np.array_equal(first[name], second[name]) for name in first)


def test_a_time_boxed_fit_resumes_where_it_stopped(quick_run, settings, tmp_path):
    import json
    import shutil

    run = tmp_path / "run"
    shutil.copytree(quick_run, run)
    parser = argparse.ArgumentParser()
    train_cli.register(parser.add_subparsers(), common_options())
    args = parser.parse_args(["train", "fit", "--quick", "--run", str(run), "--resume", "--steps", "2"])
    assert args.handler(args, settings) == 0
    fit = json.loads((run / "peft" / "fit.json").read_text())
    assert fit["steps"] == 2 and fit["earlier_steps"] == train_cli.QUICK["steps"]
    assert (run / "peft" / "optimizer.pt").is_file()
