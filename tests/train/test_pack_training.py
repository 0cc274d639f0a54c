"""`carvoice train` for any intent pack (issue 17): a pack without a phrasebook trains from its catalog, its own
evaluation sets are kept out of training, and the exported student names the pack's intents."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from carvoice.cli import common_options
from carvoice.cli import train as train_cli
from carvoice.models.recipe import read_recipe
from carvoice.nlu.catalog import load_intent_catalog
from carvoice.nlu.evalset import normalise_text
from carvoice.nlu.understand import ModelNotForTheseIntents, check_trained_for
from carvoice.pack import IntentPack
from carvoice.train.dataset import GenerationOptions, generate_dataset, held_out_cases, read_examples
from carvoice.train.errors import TrainError
from carvoice.train.fit import FitResult
from carvoice.train.pack_phrases import derive_phrases, pack_phrasebook
from carvoice.train.run import RunFolder, export_adapter
from carvoice.train.templates import PHRASES_FILE, read_phrase_file
from tests.train.test_export_checks import _peft_folder

COMFORT = """\
domain: comfort
intents:
  - name: set_ambient_light
    description: The colour of the cabin's ambient light.
    slots: [{name: colour, type: enum, values: [red, blue, warm_white, amber], required: true}]
    examples:
      - {text: "ambient light blue", slots: {colour: blue}}
      - {text: "make the cabin glow warm white please", slots: {colour: warm_white}}
  - name: set_massage
    description: Seat massage on or off, at an intensity from 1 to 5.
    slots:
      - {name: "on", type: boolean, required: true}
      - {name: intensity, type: integer, min: 1, max: 5, words: [max]}
    examples:
      - {text: "turn the massage on at level three", slots: {"on": true, intensity: 3}}
  - name: play_podcast
    description: Play a podcast by its name.
    slots:
      - {name: show, type: text, required: true}
    examples:
      - {text: "play the podcast Night Drive", slots: {show: Night Drive}}
      - {text: "put on Road Stories", slots: {show: Road Stories}}
"""
EVAL = "cases:\n  - {text: ambient light red, intents: [{name: set_ambient_light, slots: {colour: red}}]}\n"


@pytest.fixture
def comfort(tmp_path) -> Path:
    folder = tmp_path / "comfort"
    (folder / "eval").mkdir(parents=True)
    (folder / "comfort.yaml").write_text(COMFORT, encoding="utf-8")
    (folder / "eval" / "comfort.yaml").write_text(EVAL, encoding="utf-8")
    return folder


def _train(settings, pack: Path, *args: str) -> int:
    parser = argparse.ArgumentParser()
    train_cli.register(parser.add_subparsers(), common_options())
    parsed = parser.parse_args(["train", *args])
    return parsed.handler(parsed, settings.model_copy(update={"intents_dir": pack}))


def test_quick_data_for_a_pack_without_phrasebook_is_labelled_with_its_intents(settings, comfort, tmp_path):
    run = tmp_path / "run"
    assert _train(settings, comfort, "data", "--quick", "--run", str(run)) == 0
    examples = read_examples(run / "train.jsonl")
    catalog = IntentPack.at(comfort).catalog()
    calls = [call for e in examples for call in [*e.calls, *(e.previous.calls if e.previous else [])]]
    assert len(examples) == train_cli.QUICK["size"]
    assert {call.name for call in calls} == set(catalog.by_name)
    assert all(catalog.by_name[call.name].slot_problems(call.slots) == [] for call in calls)
    assert json.loads((run / "pack.json").read_text())["intents"] == ["set_ambient_light", "set_massage", "play_podcast"]


def test_the_catalog_gives_slot_values_numbers_words_and_booleans(comfort):
    examples, report = generate_dataset(GenerationOptions(size=300, seed=2), IntentPack.at(comfort).catalog(),
                                        pack_phrasebook(IntentPack.at(comfort)), [])
    said = {(call.name, name, value) for example in examples for call in example.calls
            for name, value in call.slots.items()}
    assert {("set_ambient_light", "colour", value) for value in ("red", "blue", "warm_white", "amber")} <= said
    assert {("set_massage", "on", True), ("set_massage", "on", False), ("set_massage", "intensity", "max")} <= said
    assert {("set_massage", "intensity", n) for n in range(1, 6)} <= said
    assert {("play_podcast", "show", "Night Drive"), ("play_podcast", "show", "Road Stories")} <= said
    assert report.off_catalog_dropped > 0  # out_of_scope, undo and cancel are no intents of this pack


def test_the_packs_own_eval_set_is_kept_out_of_training(comfort):
    pack = IntentPack.at(comfort)
    book, options = pack_phrasebook(pack), GenerationOptions(size=300, seed=2)
    said = generate_dataset(options, pack.catalog(), book, [])[0][0]
    case = {"text": said.text.upper() + "!", "intents": [{"name": c.name, "slots": c.slots} for c in said.calls]}
    (comfort / "eval" / "said.jsonl").write_text(json.dumps(case) + "\n", encoding="utf-8")
    examples, report = generate_dataset(options, pack.catalog(), book, held_out_cases(pack))
    assert normalise_text(said.text) not in {normalise_text(e.text) for e in examples}
    assert report.eval_overlap_dropped >= 1 and report.eval_overlap == 0


PHRASES = ('intents:\n  set_ambient_light: ["bathe us in {glow}"]\n'
           'fillers:\n  glow: {slot: colour, phrases: [[ruby, red]]}\nout_of_scope: ["read me a poem"]\n')


def test_a_phrasebook_adds_its_templates_to_those_of_the_catalog(comfort, tmp_path):
    (tmp_path / "phrases.yaml").write_text(PHRASES, encoding="utf-8")
    derived = derive_phrases(IntentPack.at(comfort).catalog(), read_phrase_file(PHRASES_FILE))
    phrases = read_phrase_file(tmp_path / "phrases.yaml", under=derived)
    assert phrases.intents["set_ambient_light"] == ["bathe us in {glow}"]
    assert phrases.fillers["glow"].phrases == [("ruby", "red")] and "set_ambient_light__colour" in phrases.fillers
    assert phrases.out_of_scope == ["read me a poem"] and phrases.injections == derived.injections
    assert phrases.intents["play_podcast"] == derived.intents["play_podcast"]  # left out: from the catalog


def test_a_pack_phrasebook_must_name_the_packs_intents(comfort):
    (comfort / "phrases.yaml").write_text(PHRASES, encoding="utf-8")
    assert pack_phrasebook(IntentPack.at(comfort)).phrases.out_of_scope == ["read me a poem"]
    (comfort / "phrases.yaml").write_text('intents:\n  set_sunroof: ["open the roof"]\n', encoding="utf-8")
    with pytest.raises(TrainError, match=r"phrases.yaml: templates for intents the pack's catalog does not have: "
                                         r"set_sunroof"):
        pack_phrasebook(IntentPack.at(comfort))


def test_the_exported_student_names_its_packs_intents_and_loads_only_with_them(settings, comfort, tmp_path,
                                                                             tiny_gguf):
    run = RunFolder(tmp_path / "run")
    assert _train(settings, comfort, "data", "--size", "20", "--run", str(run.path)) == 0
    base = tiny_gguf("base.gguf")
    peft = _peft_folder(tmp_path, width=8)
    result = FitResult(steps=1, examples_seen=4, wall_s=1.0, seconds_per_step=1.0, options={"base_gguf": str(base)})
    (peft / "fit.json").write_text(json.dumps(asdict(result)), encoding="utf-8")
    pack = IntentPack.at(comfort)
    with pytest.raises(TrainError, match=f"made for the intent pack {comfort}.*run this step with --intents"):
        export_adapter(run, "tiny", base, "tiny-comfort", IntentPack.builtin())
    folder = export_adapter(run, "tiny", base, "tiny-comfort", pack)
    recipe = read_recipe(folder)
    assert recipe.intents == ["set_ambient_light", "set_massage", "play_podcast"] and recipe.prompt == "short"
    assert "intent pack comfort" in (folder / "MODEL_CARD.md").read_text()
    check_trained_for(folder, recipe.intents, pack.catalog())
    with pytest.raises(ModelNotForTheseIntents):
        check_trained_for(folder, recipe.intents, load_intent_catalog())
