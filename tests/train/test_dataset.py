"""The synthetic training set: labels valid against the catalog and the output grammar, no eval overlap,
real variety, reproducible."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import assume, given, strategies as st

from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, load_intent_catalog
from carvoice.nlu.evalset import EvalCase, load_eval_set, normalise_text
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.syntax import CallSyntax, State, parse_calls
from carvoice.train.dataset import (WRITTEN_DIR, DatasetReport, GenerationOptions, TrainingExample, add_written,
                                    eval_overlap, generate_dataset,
                                    read_examples, write_examples)
from carvoice.train.encode import prompt_parts
from carvoice.train.errors import TrainError
from carvoice.train.nearness import NearTexts
from carvoice.train.numbers import say_number
from carvoice.train.variety import follow_up


@pytest.fixture(scope="module")
def catalog():
    return load_intent_catalog()


@pytest.fixture(scope="module")
def generated(catalog):
    return generate_dataset(GenerationOptions(size=1500, seed=3), catalog)


def test_every_label_is_a_catalog_intent_with_valid_slots(generated, catalog):
    examples, _ = generated
    for example in examples:
        for call in [*example.calls, *(example.previous.calls if example.previous else [])]:
            intent = catalog.by_name.get(call.name)
            assert intent is not None, example
            assert intent.slot_problems(call.slots) == [], example


def test_every_answer_is_accepted_by_the_output_grammar_and_parses_back(generated, catalog):
    syntax = CallSyntax(catalog)
    examples, _ = generated
    for example in examples:
        answer = prompt_parts(example, catalog).answer
        assert syntax.advance(State(), answer).phase == "done", answer
        assert [(c.name, c.slots) for c in parse_calls(answer)] == [(c.name, c.slots) for c in example.calls]


def test_no_training_text_is_an_evaluation_text(generated, catalog):
    examples, report = generated
    cases = load_eval_set(catalog=catalog)
    assert eval_overlap(examples, cases) == []
    assert report.eval_overlap == 0
    assert report.eval_overlap_dropped > 0  # the templates do say some eval sentences: they were dropped


def test_an_eval_text_the_generator_would_say_is_dropped_and_counted(catalog):
    options = GenerationOptions(size=300, seed=1)
    said = generate_dataset(options, catalog, eval_cases=[])[0][0].text
    planted = EvalCase(text=said.upper() + "!", intents=[Call(name=OUT_OF_SCOPE)])
    examples, report = generate_dataset(options, catalog, eval_cases=[planted])
    assert normalise_text(said) not in {normalise_text(e.text) for e in examples}
    assert report.eval_overlap_dropped >= 1 and report.eval_overlap == 0


def test_written_sentences_join_the_set_in_catalog_order_with_their_turn_before_but_never_near_an_eval_text(
        tmp_path, catalog):
    (tmp_path / "written.yaml").write_text("""
cases:
  - {text: "blast the heat on my seat", intents: [{name: set_seat_heat, slots: {level: 3, seat: driver}}]}
  - {text: "Switch too celsius!", intents: [{name: set_units, slots: {temperature_unit: C}}]}
dialogs:
  - id: warmer-then-more
    turns:
      - {text: "bit warmer in the back", intents: [{name: adjust_temperature, slots: {zone: rear, delta: 1}}]}
      - {text: "bit more", intents: [{name: adjust_temperature, slots: {zone: rear, delta: 1}}]}
""", encoding="utf-8")
    held_out = [EvalCase(text="switch to celsius", intents=[Call(name="set_units", slots={"temperature_unit": "C"})])]
    report = DatasetReport()
    added = add_written([], load_eval_set(tmp_path, catalog), held_out, catalog, report, repeat=2)
    assert [e.text for e in added] == ["blast the heat on my seat"] * 2 + ["bit warmer in the back"] * 2 + \
        ["bit more"] * 2
    assert list(added[0].calls[0].slots) == ["seat", "level"]  # the catalog's order, whatever the file's
    assert added[-1].previous.text == "bit warmer in the back" and added[-1].source == "written"
    assert (report.written_kept, report.written_dropped, report.kinds) == (3, 1, {"written": 6})
    with pytest.raises(TrainError, match="written-repeat 0"):
        GenerationOptions(written_repeat=0)


def test_the_written_sentences_load_against_the_catalog_and_most_are_kept(catalog):
    report = DatasetReport()
    added = add_written([], load_eval_set(WRITTEN_DIR, catalog), load_eval_set(catalog=catalog), catalog, report)
    assert len(added) > 1000 and report.written_dropped < len(added) / 4
    assert {"written"} == {e.kind for e in added} and any(e.previous for e in added)


def test_no_training_text_is_a_near_copy_of_an_evaluation_text(generated, catalog):
    examples, _ = generated
    near = NearTexts(normalise_text(case.text) for case in load_eval_set(catalog=catalog))
    assert [e.text for e in examples if near.is_near(normalise_text(e.text))] == []


def test_a_near_copy_differs_by_a_slip_or_a_filler_and_another_command_is_not_near():
    near = NearTexts(["switch to celsius", "what's the cabin temperature"])
    assert near.is_near("switch too celsius") and near.is_near("um what's the cabin temperature")
    assert not near.is_near("switch to fahrenheit") and not near.is_near("what's the outside temperature")


def test_the_set_has_the_variety_people_talk_with(generated, catalog):
    examples, report = generated
    named = {c.name for e in examples for c in e.calls}
    assert named == set(catalog.by_name)
    assert set(report.kinds) == {"single", "multi", "follow_up", "out_of_scope", "injection",
                                 "multi_out_of_scope", "with_context"}
    assert set(report.styles) == {"filler", "polite", "reason", "asr"}
    assert report.distinct_texts / report.kept > 0.9
    assert any(len(e.calls) >= 3 for e in examples)
    share_out_of_scope = sum(e.calls[0].name == OUT_OF_SCOPE for e in examples) / len(examples)
    assert 0.08 < share_out_of_scope < 0.25
    spoken_numbers = [e for e in examples if normalize_transcript(e.text) != " ".join(e.text.split())]
    assert len(spoken_numbers) > 50


def test_follow_ups_carry_the_previous_exchange(generated):
    examples, _ = generated
    follow_ups = [e for e in examples if e.kind == "follow_up"]
    assert follow_ups and all(e.previous is not None for e in follow_ups)
    assert {c.name for e in follow_ups for c in e.calls} >= {"undo", "set_temperature", "skip"}


def test_a_bit_more_repeats_the_previous_adjustment():
    previous = Call("adjust_volume", {"delta": -5})
    made = [follow_up(previous, random.Random(seed), undo_share=0) for seed in range(10)]
    assert all(m.calls == (previous,) for m in made)


def test_the_same_seed_gives_the_same_set_and_another_seed_another(catalog):
    first, _ = generate_dataset(GenerationOptions(size=200, seed=5), catalog)
    again, _ = generate_dataset(GenerationOptions(size=200, seed=5), catalog)
    other, _ = generate_dataset(GenerationOptions(size=200, seed=6), catalog)
    assert first == again
    assert Counter(e.text for e in first) != Counter(e.text for e in other)


def test_requests_in_one_breath_never_ask_for_the_same_call_twice(generated):
    examples, _ = generated
    multi = [example for example in examples if example.kind == "multi"]
    assert multi and not [e for e in multi if any(call in e.calls[:i] for i, call in enumerate(e.calls))]


def test_kind_weights_change_the_mix_and_unknown_kinds_are_refused(catalog):
    _, report = generate_dataset(GenerationOptions(size=300, seed=5).weighted({"multi": 1.0}), catalog)
    _, usual = generate_dataset(GenerationOptions(size=300, seed=5), catalog)
    assert report.kinds["multi"] > 2 * usual.kinds["multi"]
    _, report = generate_dataset(GenerationOptions(size=50, seed=5, kind_weights={"single": 1}), catalog)
    assert set(report.kinds) == {"single"}
    with pytest.raises(TrainError, match="unknown kind of example multiple"):
        GenerationOptions(kind_weights={"multiple": 1.0})
    for weight in (-1, float("nan"), float("inf")):
        with pytest.raises(TrainError, match="finite numbers, 0 or more"):
            GenerationOptions().weighted({"multi": weight})
    assert report.kind_weights == {"single": 1}


@given(st.integers(min_value=0, max_value=199), st.sampled_from([0, 0.5, 0.1, 0.9]), st.integers(0, 10**6))
def test_numbers_said_in_words_read_back_as_the_number(whole, fraction, seed):
    value = whole + fraction
    assume(value != 1)  # a lone "one" stays a word: it is usually a pronoun ("the other one"), see normalize.py
    spoken = say_number(value, random.Random(seed), words_share=1.0)
    assert normalize_transcript(f"set it to {spoken}") == f"set it to {value:g}"


def test_examples_round_trip_through_a_file_and_a_broken_line_says_where(tmp_path, generated):
    examples, _ = generated
    path = tmp_path / "train.jsonl"
    write_examples(examples[:20], path)
    assert read_examples(path) == examples[:20]
    path.write_text(path.read_text() + "{not json\n")
    with pytest.raises(TrainError, match=r"train.jsonl:21"):
        read_examples(path)
    assert isinstance(examples[0], TrainingExample)


def test_a_phrasebook_with_one_call_gives_one_request_where_more_were_asked_for():
    from carvoice.train.dataset import _different_requests
    from carvoice.train.templates import Labelled

    class OneCall:
        intent_names = ["set_ac"]

        def sample(self, intent, rng):
            return Labelled("air con on", (Call(intent, {"on": True}),))

    one = Labelled("air con on", (Call("set_ac", {"on": True}),))
    assert _different_requests(OneCall(), random.Random(1), 3) == [one]


def test_the_model_card_counts_the_written_sentences_apart_from_the_synthetic_examples():
    from carvoice.train.card import ModelCard
    from carvoice.train.fit import FitResult

    data = DatasetReport(kept=130, kinds={"single": 100, "written": 30}, written_kept=10, written_dropped=2)
    card = ModelCard("student", "base", data, FitResult(steps=1, examples_seen=8, wall_s=1.0, seconds_per_step=1.0))
    assert "- 100 synthetic examples" in card.markdown()
    assert "- 10 sentences people wrote with their labels (`--written`), 30 examples with their repeats (2 " \
        in card.markdown()
    assert "people wrote" not in ModelCard("student", "base", DatasetReport(kept=5), card.fit).markdown()
