"""What to say about the car's outcomes: one module per area, as `vehicle_sim/handlers/` has one per area.

    line = describe(outcome, Units.of(state))   # Line(phrases=FAN_SPEED, fields={"speed": "3"})
    went_through(outcome, line.phrases)         # FAN_SPEED.said, .already, .out_of_range or a safety rule's
    topic("set_fan")                            # 'fan'
    request_words({"kind": "set_window", "window": "all", "open_pct": 0})   # 'close all the windows'

A new car action is worded in the module of its handler's area (`climate.py` for `handlers/climate.py`):
its topic, its reply and its phrases, registered in that module's `AREA` (see `base.py`).
`tests/test_action_parts.py` says which part an action lacks.
"""

from __future__ import annotations

from typing import Any

from carvoice.dialog.spoken import Units, name
from carvoice.dialog.wording import body, climate, media, navigation, safety, switches, undo
from carvoice.dialog.wording.base import CODE_PHRASES, QUESTION, Area, Line, Phrases, Templates, Wording
from carvoice.nlu.catalog import Call
from vehicle_sim import Outcome
from vehicle_sim.actions import ActionBase

# Each area's wording, by the name of the vehicle_sim module whose actions or codes it words.
AREAS: dict[str, Area] = {"body": body.AREA, "climate": climate.AREA, "media": media.AREA,
                          "navigation": navigation.AREA, "switches": switches.AREA, "undo": undo.AREA,
                          "safety": safety.AREA}
WORDINGS: dict[type[ActionBase], Wording] = {kind: wording for area in AREAS.values()
                                             for kind, wording in area.wordings.items()}
_BY_KIND: dict[str, Wording] = {kind.model_fields["kind"].default: wording for kind, wording in WORDINGS.items()}
CODES: dict[str, Templates] = {code: phrases for area in AREAS.values() for code, phrases in area.codes.items()}
CODES.update(CODE_PHRASES)


def describe(outcome: Outcome, units: Units) -> Line:
    """The case and fields of the reply to an outcome that went through (done, or already so)."""
    return WORDINGS[type(outcome.action)].reply(outcome, units)


def went_through(outcome: Outcome, phrases: Phrases) -> Templates:
    """The templates for an outcome that went through: already so, limited (by a safety rule or to the
    value's range), or done as asked."""
    if outcome.status == "no_change":
        return phrases.already
    if outcome.clamp is None:
        return phrases.said
    rule = outcome.clamp.rule
    limited = CODES.get(rule, ()) if rule is not None else phrases.out_of_range
    return limited or phrases.said


def code_phrases(outcome: Outcome) -> Templates:
    """The templates for the outcome's reason code: the action's own, else the code's; () when it has none."""
    own = _BY_KIND[outcome.action.kind].codes
    return own.get(outcome.code or "") or CODES.get(outcome.code or "", ())


def question_phrases(outcome: Outcome) -> Templates:
    """How to ask the car's question about an action: the action's own question, its code's, or the rule's
    own explanation with "Go ahead anyway?"."""
    return _BY_KIND[outcome.action.kind].question or CODES.get(outcome.code or "", ()) or QUESTION


def topic(kind: str) -> str:
    """What an action kind is about, for replies that cannot be more specific ("the fan change")."""
    wording = _BY_KIND.get(kind)
    return wording.topic if wording is not None else name(kind)


def call_words(call: Call) -> str:
    """An understood intent of an intent pack, as words: `set_wipers(speed="fast")` -> "set wipers, speed fast"."""
    slots = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in call.slots.items())
    return ", ".join(filter(None, [call.name.replace("_", " "), slots]))


def request_words(action: dict[str, Any]) -> str:
    """An action the assistant has not done yet, as the rest of "do you want me to ...?"."""
    wording = _BY_KIND.get(action["kind"])
    asked = wording.request(action) if wording is not None and wording.request is not None else None
    return asked or f"change the {topic(action['kind'])}"
