"""Reply wording: from the car's `Outcome`s (and the dialog's own situations) to what the assistant says.

    writer = ReplyWriter(random.Random(0))
    writer.outcome(vehicle.apply({"kind": "set_temperature", "value": 22}), vehicle.snapshot())
    # "Driver side set to 22 degrees."

Every status and reason code has its own wording, filled from the outcome's facts in the units the car
displays; an unknown refusal or confirmation code falls back to the policy's own one-sentence explanation.
What each action's replies say lives in the wording module of its area (`wording/climate.py`, ...); this
module picks by status, and words what is common to every action: refusals, questions, not-found and undo.
"""

from __future__ import annotations

import random

from carvoice.dialog.actions import retry_with_suggestion
from carvoice.dialog.phrases import Phrasebook
from carvoice.dialog.spoken import Units, join, number, reading, sentence_case, speed
from carvoice.dialog.wording import code_phrases, describe, question_phrases, topic, went_through
from carvoice.dialog.wording.base import (
    ALREADY_SET,
    NOT_FOUND,
    REFUSED,
    SUGGEST_CLOSEST,
    SUGGEST_MANY,
    SUGGEST_ONE,
    Templates,
)
from carvoice.dialog.wording.body import WINDOWS, window_names
from carvoice.dialog.wording.media import NO_STATION_ON_FREQUENCY, SOURCE_NAMES, spoken_frequency, spoken_station
from carvoice.dialog.wording.undo import RESTORED, UNDONE, restored
from carvoice.nlu.catalog import DIALOG_INTENTS, IntentCatalog
from vehicle_sim import Outcome, VehicleState
from vehicle_sim.handlers.media import NoStationFacts
from vehicle_sim.rejection import NotFoundFacts
from vehicle_sim.safety import SafetyFacts
from vehicle_sim.simulator import UndoFacts

ABILITIES = "the climate, music and radio, navigation, and the windows and doors"  # the built-in pack's areas
BUILTIN_AREAS = frozenset({"climate", "media", "navigation", "vehicle"})
HELP_EXAMPLES = 3


def abilities(catalog: IntentCatalog) -> str:
    """What the assistant helps with: the built-in pack's areas in words, another pack's domain names."""
    areas = [domain.domain for domain in catalog.domains
             if any(intent.name not in DIALOG_INTENTS and intent.action != "undo" for intent in domain.intents)]
    return ABILITIES if set(areas) == BUILTIN_AREAS else join([area.replace("_", " ") for area in areas])


class ReplyWriter:
    """Words outcomes and dialog situations; `rng` picks among each case's templates."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._phrases = Phrasebook(rng)

    def say(self, key: str, **fields: str) -> str:
        """One of the templates of a dialog situation (`not_understood`), filled with `fields`."""
        return self._phrases.say(key, **fields)

    def _pick(self, templates: Templates, **fields: str) -> str:
        return self._phrases.pick(templates, **fields)

    # --- dialog situations -----------------------------------------------------------------------------------

    def help(self, catalog: IntentCatalog) -> str:
        """What the assistant can do, with a few example requests drawn from the intent catalog."""
        examples = [f'"{example.text}"' for intent in catalog.intents if intent.action and intent.action != "undo"
                    for example in intent.examples]
        chosen = self._rng.sample(examples, min(HELP_EXAMPLES, len(examples)))
        return self.say("help", abilities=abilities(catalog), examples=join(chosen, "or"))

    def out_of_scope(self, catalog: IntentCatalog, alongside_car_actions: bool, lacking: str | None = None,
                     foreign: bool = False) -> str:
        """Why a request cannot be done: another language, a function the car lacks (`lacking`, what it cannot
        do: "change gear"), or simply beyond the assistant."""
        if foreign:
            return self.say("other_language")
        if lacking is not None:
            return self.say("unsupported.rest" if alongside_car_actions else "unsupported", what=lacking)
        if alongside_car_actions:
            return self.say("out_of_scope.rest")
        return self.say("out_of_scope", abilities=abilities(catalog))

    def failed(self, kind: str) -> str:
        return self.say("failed", topic=topic(kind))

    # --- outcomes --------------------------------------------------------------------------------------------

    def outcome(self, outcome: Outcome, state: VehicleState) -> str:
        """The reply for one action's outcome; `state` is the car after it (for units and context)."""
        units = Units.of(state)
        if outcome.status == "needs_confirmation":
            return self._question(outcome, state, units)
        if outcome.status == "refused":
            return self._by_code(outcome, units, fallback=REFUSED)
        if outcome.status == "not_found":
            return self._not_found(outcome, units)
        if outcome.action.kind == "undo" and outcome.status == "done":
            return self._undone(outcome, units)
        if outcome.status == "no_change" and outcome.code != "already_set" and not outcome.clamped:
            return self._by_code(outcome, units, fallback=ALREADY_SET)
        return self._went_through(outcome, units)

    def _went_through(self, outcome: Outcome, units: Units) -> str:
        line = describe(outcome, units)
        return self._pick(went_through(outcome, line.phrases), **line.fields)

    def _by_code(self, outcome: Outcome, units: Units, fallback: Templates) -> str:
        return self._pick(code_phrases(outcome) or fallback, **_code_fields(outcome, units))

    def _question(self, outcome: Outcome, state: VehicleState, units: Units) -> str:
        fields = _code_fields(outcome, units)
        fields.update(outside=reading(state.vehicle.outside_temp_c, units),
                      destination=state.navigation.destination.name if state.navigation.destination else "here",
                      window_object=_window_asked_about(outcome))
        return self._pick(question_phrases(outcome), **fields)

    def _not_found(self, outcome: Outcome, units: Units) -> str:
        facts = outcome.facts
        fields = _code_fields(outcome, units)
        if isinstance(facts, NoStationFacts):
            templates = NO_STATION_ON_FREQUENCY
            fields["query"] = spoken_frequency(number(facts.frequency), facts.band)
            suggestions = [spoken_station(suggestion, facts.band) for suggestion in facts.suggestions]
        else:
            templates = code_phrases(outcome) or NOT_FOUND
            suggestions = facts.suggestions if isinstance(facts, NotFoundFacts) else []
        missing = self._pick(templates, **fields)
        if not suggestions:
            return missing
        if retry_with_suggestion(outcome) is not None:
            offer = self._pick(SUGGEST_ONE, suggestion=suggestions[0])
        elif len(suggestions) == 1:
            offer = self._pick(SUGGEST_CLOSEST, suggestion=suggestions[0])
        else:
            offer = self._pick(SUGGEST_MANY, suggestions=join(suggestions))
        return f"{missing} {offer}"

    def _undone(self, outcome: Outcome, units: Units) -> str:
        undone = outcome.facts.undone if isinstance(outcome.facts, UndoFacts) else "undo"
        for change in outcome.changes:
            put_back = restored(change, units)
            if put_back is not None:
                return self._pick(RESTORED, what=put_back[0], value=put_back[1])
        return self._pick(UNDONE, topic=topic(undone))


def _code_fields(outcome: Outcome, units: Units) -> dict[str, str]:
    """The facts of a refusal, question or not-found as speakable fields."""
    facts = outcome.facts
    fields = {key: str(value) for key, value in dict(facts).items() if isinstance(value, (str, int, float))}
    undone = facts.undone if isinstance(facts, UndoFacts) else outcome.action.kind
    fields.update(topic=topic(undone), explanation=_sentence(outcome.message or "that isn't possible right now"))
    if isinstance(facts, SafetyFacts) and facts.speed_limit_kmh is not None:
        fields["limit"] = speed(facts.speed_limit_kmh, units)
    if "source" in fields:
        fields["source"] = SOURCE_NAMES.get(fields["source"], fields["source"])
    return fields


def _sentence(text: str) -> str:
    text = sentence_case(text.strip())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _window_asked_about(outcome: Outcome) -> str:
    """The window(s) a confirmation is about: those the request named, or, for an undo, the one the rule caught."""
    action = outcome.action
    if action.kind == "set_window":
        windows = list(WINDOWS) if action.window == "all" else [action.window]
    else:
        path = outcome.facts.path if isinstance(outcome.facts, SafetyFacts) else None
        windows = [str(path or "").rsplit(".", 1)[-1]]
    return window_names(windows)[1]
