"""From an understood intent to the vehicle action it asks for, as the plain dict `Vehicle.apply` takes.

Only intents of the catalog that name an action reach the car, and only with the slots the catalog
declares, so no wording of a request can produce an action the assistant may not send (`driver_input`).
"""

from __future__ import annotations

from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from carvoice.errors import CarvoiceError
from carvoice.nlu.catalog import Call, Intent, IntentCatalog
from vehicle_sim import ACTION_KINDS, Outcome
from vehicle_sim.actions import ACTION_TYPES
from vehicle_sim.rejection import NotFoundFacts

DRIVER_ONLY_KINDS = frozenset({"driver_input"})
CELSIUS_AT_MOST = 40
FAHRENHEIT_AT_LEAST = 50


class NotActionable(CarvoiceError):
    """An intent that cannot become a car action: unknown, dialog-only, bad slots, or a forbidden kind."""


def check_catalog(catalog: IntentCatalog) -> None:
    """Fail early when the catalog maps an intent to an action only the driver may take, or gives a car action
    slots it does not take."""
    for intent in catalog.intents:
        if intent.action in DRIVER_ONLY_KINDS:
            raise NotActionable(f"intent {intent.name!r} maps to {intent.action!r}, which only the driver may do; "
                                f"remove it from the intent catalog")
    mismatches = car_mismatches(catalog)
    if mismatches:
        raise NotActionable("; ".join(mismatches))


def executable_by_car(intent: Intent) -> bool:
    """Whether the simulated car runs this intent: its `action` is one of the car's action kinds."""
    return intent.action in ACTION_KINDS


def car_mismatches(catalog: IntentCatalog) -> list[str]:
    """Intents that name a car action but whose slots the action would not take, one line each."""
    return [f"intent {intent.name!r}: {problem}" for intent in catalog.intents if executable_by_car(intent)
            for problem in _slot_mismatches(intent)]


def _slot_mismatches(intent: Intent) -> list[str]:
    model = next(m for m in ACTION_TYPES if m.model_fields["kind"].default == intent.action)
    fields = {name: info for name, info in model.model_fields.items() if name != "kind"}
    problems = [f"the car's action {intent.action!r} has no field {slot.name!r} (its fields: "
                f"{', '.join(sorted(fields))})" for slot in intent.slots if slot.name not in fields]
    problems += [f"the car's {intent.action} takes no {slot.name} {value!r} (it takes "
                 f"{', '.join(map(str, sorted(allowed, key=str)))})" for slot in intent.slots if slot.name in fields
                 for allowed in [_literal_values(fields[slot.name].annotation)]
                 if allowed for value in slot.values if value not in allowed]
    given = {slot.name for slot in intent.slots}
    problems += [f"the car's {intent.action} needs {name!r}, which the intent has no slot for"
                 for name, info in fields.items() if info.is_required() and name not in given]
    return problems


def _literal_values(annotation: Any) -> set[Any]:
    """The values a field written with Literal types accepts; empty when it also takes other types."""
    if get_origin(annotation) is Literal:
        return set(get_args(annotation))
    if get_origin(annotation) in (Union, UnionType):
        parts = [_literal_values(part) for part in get_args(annotation) if part is not type(None)]
        return set().union(*parts) if parts and all(parts) else set()
    return set()


def action_for(call: Call, catalog: IntentCatalog) -> dict[str, Any]:
    """The action dict for `call`: `{"kind": intent.action, **slots}` plus the assistant's interpretation."""
    intent = _actionable_intent(call, catalog)
    problems = intent.slot_problems(call.slots)
    if problems:
        raise NotActionable(f"intent {call.name!r} has unusable slots: {'; '.join(problems)}")
    action = {**call.slots, "kind": intent.action}
    return _read_temperature_unit(action) if action["kind"] == "set_temperature" else action


def _actionable_intent(call: Call, catalog: IntentCatalog) -> Intent:
    intent = catalog.by_name.get(call.name)
    if intent is None:
        raise NotActionable(f"{call.name!r} is not an intent of the catalog")
    if intent.action is None:
        raise NotActionable(f"intent {call.name!r} is handled by the dialog, not by the car")
    if intent.action in DRIVER_ONLY_KINDS:
        raise NotActionable(f"intent {call.name!r} maps to {intent.action!r}, which only the driver may do")
    return intent


def _read_temperature_unit(action: dict[str, Any]) -> dict[str, Any]:
    """A temperature said without a unit is read in the unit the number makes plausible (21 °C, 72 °F);
    in between, the car's display unit decides."""
    value = action.get("value")
    if action.get("unit") is not None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return action
    if value <= CELSIUS_AT_MOST:
        return {**action, "unit": "C"}
    if value >= FAHRENHEIT_AT_LEAST:
        return {**action, "unit": "F"}
    return action


def retry_with_suggestion(outcome: Outcome) -> dict[str, Any] | None:
    """The same action with the one name the car suggested instead of the one it could not find
    ("Did you mean Marina Vale?"), or None when there is not exactly one suggestion to offer."""
    facts = outcome.facts
    if outcome.status != "not_found" or not isinstance(facts, NotFoundFacts) or len(facts.suggestions) != 1:
        return None
    fields = outcome.action.model_dump(exclude_none=True)
    asked_for = [field for field, value in fields.items() if value == facts.query]
    return {**fields, asked_for[0]: facts.suggestions[0]} if asked_for else None
