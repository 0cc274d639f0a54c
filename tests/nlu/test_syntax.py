"""The SLM's output language: only catalog intents, slots and typed values; never a dead end."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.syntax import MAX_CALLS, CallSyntax, State, format_calls, parse_calls

CATALOG = load_intent_catalog()
SYNTAX = CallSyntax(CATALOG)
PRINTABLE = [chr(c) for c in range(32, 127)] + ["\n"]


def accepts(text: str) -> bool:
    state = SYNTAX.advance(State(), text)
    return state is not None and state.phase == "done"


@pytest.mark.parametrize("text", [
    'set_temperature(zone="passenger", value=20)\n',
    'set_temperature(value=19.5, zone="all")\n',
    'play_artist(artist="Marina Vale"); set_ac(on=True)\n',
    'set_fan(speed="auto")\n',
    'adjust_volume(delta=-2)\n',
    'out_of_scope()\n',
    'navigate_to(place=" Central Station")\n',
    'query_eta(category="airport")\n',
    'query_distance()\n',
])
def test_valid_outputs_are_accepted_and_parse(text):
    assert accepts(text)
    assert parse_calls(text)


@pytest.mark.parametrize(("text", "why"), [
    ('set_ac()\n', "a required slot is missing"),
    ('set_ac(on=True, on=False)\n', "a slot given twice"),
    ('set_temperature(zone="kitchen")\n', "not an enum value"),
    ('set_fan(speed=3.5)\n', "a fraction for an integer slot"),
    ('set_fan(speed="3")\n', "a quoted number"),
    ('open_trunk()\n', "not a catalog intent"),
    ('set_ac(on=True, )\n', "a trailing comma"),
    ('play_artist(artist="")\n', "an empty name"),
    ('play_artist(artist=",")\n', "a name that starts with punctuation"),
    ('set_ac(on=True)set_ac(on=False)\n', "no separator"),
    ("set_ac(on=True); " * MAX_CALLS + "set_ac(on=True)\n", "more calls than the limit"),
    ('query_eta(place="Brookfield Airport", category="train_station")\n', "a place and a category: at most one"),
])
def test_invalid_outputs_are_rejected(text, why):
    assert not accepts(text), why


def test_examples_of_the_catalog_round_trip_through_the_format():
    for intent in CATALOG.intents:
        for example in intent.examples:
            text = format_calls([Call(intent.name, example.slots)]) + "\n"
            assert accepts(text), text
            assert parse_calls(text) == [Call(intent.name, example.slots)]


def _random_walk(seed: int) -> str:
    """Extend a random valid prefix one random allowed character at a time until the output can end."""
    rng = random.Random(seed)
    state, text = State(), ""
    for _ in range(400):
        if SYNTAX.can_end(state) and rng.random() < 0.5:
            return text + "\n"
        allowed = [c for c in PRINTABLE if SYNTAX.advance(state, c) is not None]
        assert allowed, f"dead end after {text!r}"
        char = rng.choice(allowed)
        state = SYNTAX.advance(state, char)
        text += char
        if state.phase == "done":
            return text
    raise AssertionError(f"no end reached after {text!r}")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_every_prefix_the_syntax_allows_can_be_completed_and_parsed(seed):
    text = _random_walk(seed)
    calls = parse_calls(text)
    assert 1 <= len(calls) <= MAX_CALLS
    for call in calls:
        assert CATALOG.by_name[call.name].slot_problems(call.slots) == []


def test_a_semicolon_cannot_hide_inside_a_name():
    assert not accepts('navigate_to(place="a; b")\n')
