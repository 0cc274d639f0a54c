"""A car action has three parts, and these tests name the action and the part it lacks:

1. the intent catalog (`intents/*.yaml`): an intent whose `action` is its kind;
2. the car: a handler in `vehicle_sim/handlers/<area>.py`, registered with `@handles(Action, facts=ItsFacts)`
   (`NoFacts` where it has none to give);
3. the wording of the same area, `carvoice/dialog/wording/<area>.py`: `@AREA.words(Action, topic=...)` on its reply.

Undo is the simulator's own action (no handler module); its wording is in `wording/undo.py`.
"""

from __future__ import annotations

import random

import pytest

from carvoice.dialog import ReplyWriter, action_for
from carvoice.dialog.actions import DRIVER_ONLY_KINDS
from carvoice.dialog.wording import AREAS
from carvoice.nlu.catalog import Call, IntentCatalog, load_intent_catalog
from vehicle_sim import Vehicle
from vehicle_sim.actions import ACTION_TYPES, ActionBase, Undo
from vehicle_sim.handlers import FACTS, HANDLERS
from vehicle_sim.outcome import Facts

CAR_ACTIONS = [action_type for action_type in ACTION_TYPES if action_type is not Undo]


def _kind(action_type: type[ActionBase]) -> str:
    return action_type.model_fields["kind"].default


def _area(action_type: type[ActionBase]) -> str:
    """The area whose module carries the action out: `climate` for `vehicle_sim/handlers/climate.py`."""
    return "undo" if action_type is Undo else HANDLERS[action_type].__module__.rpartition(".")[2]


@pytest.fixture(scope="module")
def catalog() -> IntentCatalog:
    return load_intent_catalog()


@pytest.mark.parametrize("action_type", CAR_ACTIONS, ids=_kind)
def test_every_action_has_a_handler_and_its_facts_type(action_type: type[ActionBase]) -> None:
    name = action_type.__name__
    assert action_type in HANDLERS, (
        f"{_kind(action_type)} has no handler: write one in vehicle_sim/handlers/<area>.py with "
        f"@handles({name}, facts=...)")
    declared = FACTS[action_type]
    assert declared and all(issubclass(facts, Facts) for facts in declared), (
        f"{_kind(action_type)} names no facts type: @handles({name}, facts=...) takes the Facts subclass(es) its "
        f"outcomes carry, or NoFacts")


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=_kind)
def test_every_action_is_worded_in_the_module_of_its_area(action_type: type[ActionBase]) -> None:
    area = _area(action_type) if action_type in HANDLERS or action_type is Undo else "<area>"
    wording = AREAS.get(area)
    assert wording is not None and action_type in wording.wordings, (
        f"{_kind(action_type)} has no wording: register its reply in carvoice/dialog/wording/{area}.py with "
        f"@AREA.words({action_type.__name__}, topic=...)")
    assert wording.wordings[action_type].topic, f"{_kind(action_type)} has no topic in wording/{area}.py"
    elsewhere = [other for other, words in AREAS.items() if other != area and action_type in words.wordings]
    assert not elsewhere, f"{_kind(action_type)} is carried out in the {area} area but worded in {elsewhere}"


@pytest.mark.parametrize("action_type", ACTION_TYPES, ids=_kind)
def test_every_action_the_assistant_may_send_has_an_intent(action_type: type[ActionBase],
                                                           catalog: IntentCatalog) -> None:
    kind = _kind(action_type)
    if kind in DRIVER_ONLY_KINDS:
        pytest.skip(f"{kind} is the driver's own, never the assistant's")
    assert any(intent.action == kind for intent in catalog.intents), (
        f"{kind} has no intent: add one with `action: {kind}` to intents/<domain>.yaml")


def test_every_intent_action_is_a_car_action(catalog: IntentCatalog) -> None:
    kinds = {_kind(action_type) for action_type in ACTION_TYPES}
    unknown = [f"{intent.name} -> {intent.action}" for intent in catalog.intents
               if intent.action and intent.action not in kinds]
    assert not unknown, f"intents name actions vehicle_sim does not have: {unknown}"


def test_each_catalog_example_gives_its_declared_facts_and_a_reply(catalog: IntentCatalog) -> None:
    """What a handler gives when it goes through is of a type it declared, and its area's wording turns it into a
    reply (a rejection carries facts of its own: `NotFoundFacts`, `SafetyFacts`, ...)."""
    writer = ReplyWriter(random.Random(0))
    for intent in catalog.intents:
        for example in intent.examples if intent.action else []:
            vehicle = Vehicle(seed=3)
            outcome = vehicle.apply(action_for(Call(name=intent.name, slots=example.slots), catalog))
            if outcome.status == "done" and intent.action != "undo":
                declared = FACTS[type(outcome.action)]
                assert isinstance(outcome.facts, declared), (intent.action, outcome.facts, declared)
            assert writer.outcome(outcome, vehicle.snapshot()), (intent.action, example.text)
