"""Scoring understood intents against labelled ones.

Both sides are compared in canonical form: a car intent becomes its vehicle_sim action with the action's
defaults filled in (so leaving out `zone` and saying `zone="driver"` are the same request), numbers compare
as numbers, and free-text names compare without case, punctuation or a leading "the".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from vehicle_sim import InvalidActionError, parse_action
from vehicle_sim.matching import normalise

from carvoice.nlu.catalog import IntentCatalog


class IntentLike(Protocol):
    name: str
    slots: dict[str, Any]


def canonical(call: IntentLike, catalog: IntentCatalog) -> tuple:
    intent = catalog.by_name.get(call.name)
    if intent is None:
        return ("unknown", call.name)
    slots = {name: _value(value, intent.slot_by_name.get(name)) for name, value in call.slots.items()}
    if intent.action is None:
        return (call.name, tuple(sorted(slots.items())))
    try:
        action = parse_action({"kind": intent.action, **call.slots}).model_dump(mode="json")
    except InvalidActionError:
        return ("invalid", call.name, tuple(sorted(slots.items())))
    action.update(slots)
    return (call.name, tuple(sorted((k, _value(v, intent.slot_by_name.get(k))) for k, v in action.items())))


def _value(value: Any, slot) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and slot is not None and slot.type == "text":
        text = normalise(value)
        return text[4:] if text.startswith("the ") else text
    return value


def exact_match(predicted: Sequence[IntentLike], expected: Sequence[IntentLike], catalog: IntentCatalog) -> bool:
    return [canonical(c, catalog) for c in predicted] == [canonical(c, catalog) for c in expected]


def slot_triples(calls: Sequence[IntentLike], catalog: IntentCatalog) -> list[tuple]:
    """(intent, slot, value) for each slot actually given, for slot precision / recall."""
    triples = []
    for call in calls:
        intent = catalog.by_name.get(call.name)
        for name, value in call.slots.items():
            slot = intent.slot_by_name.get(name) if intent else None
            triples.append((call.name, name, _value(value, slot)))
    return triples
