"""The checks of a suite that the schema cannot make alone: the car, the intents and the audio must exist."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from vehicle_sim import Vehicle, VehicleSimError, VehicleState

from carvoice.errors import did_you_mean
from carvoice.nlu.catalog import Call, IntentCatalog
from carvoice.yaml_lines import Path as YamlPath
from carvoice.suites.schema import Step, Suite


_UNIONS = (Union, UnionType)


@dataclass(frozen=True)
class Problem:
    path: YamlPath
    message: str


def semantic_problems(suite: Suite, catalog: IntentCatalog,
                      find_audio: Callable[[str], Path | None]) -> list[Problem]:
    try:
        vehicle = Vehicle(overrides=suite.initial_state)
    except VehicleSimError as error:
        return [Problem(("initial_state",), str(error))]
    problems = []
    for index, step in enumerate(suite.steps):
        at = ("steps", index)
        if step.audio is not None and find_audio(step.audio) is None:
            problems.append(Problem((*at, "audio"), f"no audio file for {step.audio!r} (an id of "
                                    "audio_samples/wav/ or the suite's wav/ folder, or a path from the suite)"))
        problems += _wake_problems(suite, step, find_audio, (*at, "wake"))
        problems += _intent_problems(step.expect.intents or [], catalog, (*at, "expect", "intents"))
        problems += _state_problems(step.expect.state, vehicle, (*at, "expect", "state"))
    return problems


def _wake_problems(suite: Suite, step: Step, find_audio: Callable[[str], Path | None],
                   at: YamlPath) -> list[Problem]:
    wake_word = suite.settings.wake_word
    if step.wake is None:
        return []
    if wake_word is None:
        return [Problem(at, "`wake` needs the suite's settings.wake_word (the wake word the audio is heard behind)")]
    phrase = step.wake_phrase(wake_word)
    if phrase is not None and find_audio(phrase) is None:
        return [Problem(at, f"no audio file for the wake phrase {phrase!r} (an id of the suite's wav/ folder or "
                        "audio_samples/wav/, or a path from the suite: give it as wake.phrase)")]
    return []


def _intent_problems(intents: list[Call], catalog: IntentCatalog, at: YamlPath) -> Iterator[Problem]:
    for index, call in enumerate(intents):
        intent = catalog.by_name.get(call.name)
        if intent is None:
            yield Problem((*at, index, "name"), f"unknown intent {call.name!r}."
                          f"{did_you_mean(call.name, catalog.by_name)} The catalog is in intents/*.yaml")
        else:
            yield from (Problem((*at, index, "slots"), problem) for problem in intent.slot_problems(call.slots))


def _state_problems(state: dict, vehicle: Vehicle, at: YamlPath) -> Iterator[Problem]:
    """A path must exist in the state's schema; the fresh car may not hold it yet (no destination before a
    route is set), so the car is asked only for the error message of a path the schema lacks."""
    for dotted_path in state:
        if _in_schema(VehicleState, dotted_path.split(".")):
            continue
        try:
            vehicle.get(dotted_path)
        except VehicleSimError as error:
            yield Problem((*at, dotted_path), str(error))


def _in_schema(annotation: Any, parts: list[str]) -> bool:
    if not parts:
        return True
    options = [a for a in get_args(annotation) if a is not type(None)] if get_origin(annotation) in _UNIONS else []
    if options:
        return any(_in_schema(option, parts) for option in options)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(parts[0])
        return field is not None and _in_schema(field.annotation, parts[1:])
    if get_origin(annotation) is dict:
        return _in_schema(get_args(annotation)[1], parts[1:])
    if get_origin(annotation) is list:
        return parts[0].isdigit() and _in_schema(get_args(annotation)[0], parts[1:])
    return False
