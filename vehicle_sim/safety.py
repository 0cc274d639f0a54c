"""The safety policy: data-driven rules that refuse, clamp or ask to confirm an action (see data/safety.yaml).

A rule is keyed by action kind (`*` for every kind). It fires when all of its `when` conditions hold:
conditions on the car (`speed_above_kmh`, `outside_temp_below_c`) read the state before the action;
conditions on a value (`value_above`, `value_in`) read the proposed new value of each changed path that
matches the rule's `path` glob. `value_above` only fires on a change that raises the value, so closing
a window or turning the volume down is never blocked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vehicle_sim.actions import ACTION_KINDS
from vehicle_sim.data_files import DATA_DIR, load_model
from vehicle_sim.outcome import Clamp, Facts
from vehicle_sim.paths import Change, flatten, matches
from vehicle_sim.state import VehicleState

Effect = Literal["refuse", "clamp", "confirm"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    speed_above_kmh: float | None = None
    outside_temp_below_c: float | None = None
    value_above: float | None = None
    value_in: list[Any] | None = None

    @property
    def reads_value(self) -> bool:
        return self.value_above is not None or self.value_in is not None


class Rule(_Strict):
    effect: Effect
    reason: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="machine-readable code given to the caller")
    explain: str = Field(min_length=1, description="one sentence a person understands")
    when: Condition = Condition()
    path: str | None = Field(None, description="glob over dotted state paths, e.g. vehicle.windows.*")
    max: float | None = Field(None, description="for clamp: the highest value allowed")

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if (self.when.reads_value or self.effect == "clamp") and self.path is None:
            raise ValueError(f"rule {self.reason!r} needs a path for its value condition or clamp")
        if self.effect == "clamp" and self.max is None:
            raise ValueError(f"clamp rule {self.reason!r} needs max")
        return self


_STATE_PATHS = tuple(flatten(VehicleState().model_dump(mode="json")))


class PolicyFile(_Strict):
    rules: dict[str, list[Rule]]

    @model_validator(mode="after")
    def _keys_and_paths_exist(self) -> PolicyFile:
        for kind, rules in self.rules.items():
            if kind != "*" and kind not in ACTION_KINDS:
                raise ValueError(f"rules.{kind}: unknown action kind; known kinds: {', '.join(ACTION_KINDS)}")
            for index, rule in enumerate(rules):
                if rule.path is not None and not any(matches(path, rule.path) for path in _STATE_PATHS):
                    raise ValueError(f"rules.{kind}.{index}.path: {rule.path!r} matches no state path")
        return self


class SafetyFacts(Facts):
    """Why a rule refused or asks: its reason, the car's speed, the rule's speed and the change it is about."""

    reason: str
    speed_kmh: float
    speed_limit_kmh: float | None = None
    path: str | None = None
    requested: Any = None


@dataclass(frozen=True)
class Hit:
    """A rule that fired, on which change (None for rules without a path)."""

    rule: Rule
    change: Change | None
    speed_kmh: float

    @property
    def facts(self) -> SafetyFacts:
        return SafetyFacts(reason=self.rule.reason, speed_kmh=self.speed_kmh,
                           speed_limit_kmh=self.rule.when.speed_above_kmh,
                           path=None if self.change is None else self.change.path,
                           requested=None if self.change is None else self.change.after)

    def clamp(self, asked: float) -> Clamp:
        """What a clamp rule did to a value asked as `asked` (by the driver, or by a handler's own clamp)."""
        highest = self.rule.max or 0.0  # a clamp rule always has its max
        return Clamp(asked=asked, limited_to=highest, max=highest, rule=self.rule.reason,
                     speed_limit_kmh=self.rule.when.speed_above_kmh)


@dataclass
class Verdict:
    refusals: list[Hit] = field(default_factory=list)
    confirmations: list[Hit] = field(default_factory=list)
    clamps: list[Hit] = field(default_factory=list)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_holds(condition: Condition, change: Change) -> bool:
    if condition.value_in is not None and change.after not in condition.value_in:
        return False
    if condition.value_above is not None:
        raises = not _is_number(change.before) or change.after > change.before
        return _is_number(change.after) and change.after > condition.value_above and raises
    return True


def _fires_on(rule: Rule, change: Change) -> bool:
    """A change the rule applies to; a clamp only ever lowers a value that is above its max."""
    if not matches(change.path, rule.path or "") or not _value_holds(rule.when, change):
        return False
    return rule.effect != "clamp" or (_is_number(change.after) and change.after > (rule.max or 0))


def _car_holds(condition: Condition, state: VehicleState) -> bool:
    body = state.vehicle
    fast_enough = condition.speed_above_kmh is None or body.speed_kmh > condition.speed_above_kmh
    cold_enough = condition.outside_temp_below_c is None or body.outside_temp_c < condition.outside_temp_below_c
    return fast_enough and cold_enough


class SafetyPolicy:
    def __init__(self, data: PolicyFile):
        self._rules = data.rules

    def rules_for(self, kind: str) -> list[Rule]:
        return self._rules.get(kind, []) + self._rules.get("*", [])

    def evaluate(self, kind: str, state: VehicleState, changes: list[Change]) -> Verdict:
        """Which rules fire for an action of `kind` proposing `changes` to `state`."""
        verdict = Verdict()
        buckets = {"refuse": verdict.refusals, "confirm": verdict.confirmations, "clamp": verdict.clamps}
        for rule in self.rules_for(kind):
            if not changes or not _car_holds(rule.when, state):
                continue
            speed = state.vehicle.speed_kmh
            if rule.path is None:
                buckets[rule.effect].append(Hit(rule, None, speed))
                continue
            buckets[rule.effect] += [Hit(rule, change, speed) for change in changes if _fires_on(rule, change)]
        return verdict


def load_policy(path: Path = DATA_DIR / "safety.yaml") -> SafetyPolicy:
    return SafetyPolicy(load_model(path, PolicyFile))
