"""What every area's wording shares: phrases, lines, the register of each action's wording, and clamps.

    AREA = Area(codes={"end_of_queue": ("That was the last track.",)})

    @AREA.words(SetFan, AdjustFan, topic="fan")
    def _fan(outcome: Outcome, units: Units) -> Line:
        return Line(FAN_SPEED, {"speed": str(facts_of(outcome, FanFacts).fan_speed)})

    AREA.on_off(SetAc, "air conditioning", AC)

An area module (`climate.py`, like `vehicle_sim/handlers/climate.py`) registers in its `AREA`, for each
action its handlers carry out, the topic ("the fan change"), the reply once the action went through, the
phrases of reason codes only that action has, and how to ask about the action before doing it; and the
phrases of the reason codes its handlers give. Templates are `str.format` strings over the fields a reply
gives; several per case, so replies do not sound canned. The first sentence stays short: speech synthesis
starts with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from carvoice.dialog.spoken import Units, number, speed
from vehicle_sim import Outcome
from vehicle_sim.actions import ActionBase, SwitchBase
from vehicle_sim.outcome import Clamp, Facts

Templates = tuple[str, ...]

ALREADY_SET: Templates = ("That's already the case.", "Nothing to change, it's already like that.")
REFUSED: Templates = ("I can't do that. {explanation}", "Sorry, not possible. {explanation}")
QUESTION: Templates = ("{explanation} Go ahead anyway?", "{explanation} Should I do it anyway?")
NOT_FOUND: Templates = ("I couldn't find {query}.",)
SUGGEST_ONE: Templates = ("Did you mean {suggestion}?", "Do you mean {suggestion}?")
SUGGEST_CLOSEST: Templates = ("The closest I have is {suggestion}.", "Closest match: {suggestion}.")
SUGGEST_MANY: Templates = ("The closest I have are {suggestions}.", "Closest matches: {suggestions}.")
# Reason codes any action may get.
CODE_PHRASES: dict[str, Templates] = {
    "invalid_result": ("I can't do that. It would leave the {topic} in an impossible state.",),
}


@dataclass(frozen=True)
class Phrases:
    """One case of a reply: its templates as done, as already so (nothing changed), and as limited to its range
    (without its own, a limited value is said as done)."""

    said: Templates
    already: Templates = ALREADY_SET
    out_of_range: Templates = ()


DONE = Phrases(("Done.", "Okay, done."))


@dataclass(frozen=True)
class Line:
    """The case of a reply and the fields its templates are filled with."""

    phrases: Phrases
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Switch:
    """The two cases of an on/off reply."""

    on: Phrases
    off: Phrases

    def line(self, on: bool, **fields: str) -> Line:
        return Line(self.on if on else self.off, fields)


Reply = Callable[[Outcome, Units], Line]
Request = Callable[[dict[str, Any]], str | None]


@dataclass(frozen=True)
class Wording:
    """How the assistant speaks of one kind of action.

    `topic` names what it is about ("the fan change"); `reply` words an outcome that went through; `codes`
    are phrases for reason codes only this action has; `question` asks about it when the car wants a yes;
    `request` says it as "do you want me to ...?" (None: "change the <topic>").
    """

    topic: str
    reply: Reply
    codes: Mapping[str, Templates] = field(default_factory=dict)
    question: Templates = ()
    request: Request | None = None


@dataclass
class Area:
    """The wording of one area's actions (as one module of `vehicle_sim/handlers/` carries them out), and the
    phrases of the reason codes its handlers give."""

    codes: dict[str, Templates] = field(default_factory=dict)
    wordings: dict[type[ActionBase], Wording] = field(default_factory=dict)

    def words(self, *action_types: type[ActionBase], topic: str, codes: Mapping[str, Templates] | None = None,
              question: Templates = (), request: Request | None = None) -> Callable[[Reply], Reply]:
        """Register the decorated reply, with the rest of the wording, for `action_types`."""
        def register(reply: Reply) -> Reply:
            for action_type in action_types:
                self.wordings[action_type] = Wording(topic, reply, codes or {}, question, request)
            return reply

        return register

    def on_off(self, action_type: type[SwitchBase], topic: str, switch: Switch) -> None:
        """Register a plain on/off action, worded by its `on` as one of the two cases of `switch`."""
        def reply(outcome: Outcome, units: Units) -> Line:
            return switch.line(outcome.action.on)  # type: ignore[union-attr]

        self.words(action_type, topic=topic)(reply)


F = TypeVar("F", bound=Facts)


def facts_of(outcome: Outcome, kind: type[F]) -> F:
    """The outcome's facts as the type its action's handler registered (another type is a bug in the car)."""
    if not isinstance(outcome.facts, kind):
        raise TypeError(f"{outcome.action.kind} gave {type(outcome.facts).__name__}, expected {kind.__name__}")
    return outcome.facts


def clamp_fields(clamp: Clamp | None, units: Units) -> dict[str, str]:
    """What a limited value may say: which end it hit, the most it may be, and the speed behind a safety clamp."""
    if clamp is None:
        return {}
    fields = {"edge": "high" if clamp.asked > clamp.limited_to else "low"}
    if clamp.max is not None:
        fields["max"] = number(clamp.max)
    if clamp.speed_limit_kmh is not None:
        fields["limit"] = speed(clamp.speed_limit_kmh, units)
    return fields
