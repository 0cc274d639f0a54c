"""Home Assistant's matcher as a baseline: the mapping table and what it matches."""

import home_assistant_intents
import pytest

from carvoice.bench.report.hassil_matcher import (
    HA_TO_CARVOICE, HA_VOLUME_STEP, OVERLAPPING_INTENTS, hassil_matcher, overlapping_cases,
)
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.evalset import EvalCase, load_eval_set
from carvoice.nlu.scoring import exact_match


def _case(text: str) -> EvalCase:
    return EvalCase(text=text, intents=[Call(name="out_of_scope")])


@pytest.fixture(scope="module")
def match():
    return hassil_matcher()


def test_every_mapped_home_assistant_intent_exists_and_maps_to_a_catalog_intent():
    ha_intents = home_assistant_intents.get_intents("en")["intents"]
    catalog = load_intent_catalog()
    assert set(HA_TO_CARVOICE) <= set(ha_intents)
    assert OVERLAPPING_INTENTS <= set(catalog.by_name)


@pytest.mark.parametrize(("text", "name", "slots"), [
    ("pause", "pause", {}),
    ("resume the music", "resume", {}),
    ("next song", "skip", {"direction": "next"}),
    ("previous track", "skip", {"direction": "previous"}),
    ("mute", "set_mute", {"on": True}),
    ("volume up by three", "adjust_volume", {"delta": 3}),
    ("turn up the volume", "adjust_volume", {"delta": HA_VOLUME_STEP}),
    ("turn down the volume by 4", "adjust_volume", {"delta": -4}),
    ("set the volume to 10", "set_volume", {"level": 10}),
    ("set the temperature to 21", "set_temperature", {"value": 21}),
])
def test_home_assistant_sentences_map_to_our_intents_and_slots(match, text, name, slots):
    catalog = load_intent_catalog()
    assert exact_match(match(_case(text)), [Call(name=name, slots=slots)], catalog)


def test_a_sentence_outside_its_grammar_has_no_answer(match):
    assert match(_case("I'm a bit cold, could you do something")) is None


def test_only_single_turn_single_intent_cases_of_overlapping_intents_are_chosen():
    cases = load_eval_set()
    chosen = overlapping_cases(cases)
    assert chosen
    assert all(len(c.intents) == 1 and c.intents[0].name in OVERLAPPING_INTENTS and not c.context for c in chosen)
    assert any(c.intents[0].name == "set_temperature" for c in chosen)
