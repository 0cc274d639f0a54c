"""What applying an action did: a status, the diff, a machine-readable code and the typed facts a reply needs.

    outcome = Vehicle().apply({"kind": "set_fan", "speed": 9})
    outcome.status, outcome.code      # ('done', 'out_of_range')
    outcome.facts                     # FanFacts(fan_speed=7, fan_auto=False)
    outcome.clamp                     # Clamp(asked=9.0, limited_to=7.0, min=0.0, max=7.0, ...)

Each kind of action has its own facts type, defined beside its handler (`FanFacts` in `handlers/climate.py`)
and named where the handler is registered: `@handles(SetFan, AdjustFan, facts=FanFacts)`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, computed_field

from vehicle_sim.actions import Action
from vehicle_sim.paths import Change
from vehicle_sim.units import TemperatureUnit

Status = Literal["done", "refused", "needs_confirmation", "not_found", "no_change"]


class Facts(BaseModel):
    """What a reply about an outcome needs to know; each kind of action has a subclass with its own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def get(self, name: str, default: Any = None) -> Any:
        """A fact by name, for code that reads outcomes of every kind alike (a dashboard line, a retry)."""
        return getattr(self, name) if name in type(self).model_fields else default


class NoFacts(Facts):
    """Nothing to tell beyond the status and the code."""


class Clamp(BaseModel):
    """A value the car limited: what was asked, what it became, and the range or the safety rule behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    asked: float
    limited_to: float
    min: float | None = None
    max: float | None = None
    unit: TemperatureUnit | None = Field(None, description="the unit the numbers are in, when it was asked for")
    rule: str | None = Field(None, description="the reason code of the safety rule that limited it, if one did")
    speed_limit_kmh: float | None = Field(None, description="the rule's speed, for a rule above a speed")


class Outcome(BaseModel):
    """The result of `Vehicle.apply`. Wording is left to the assistant: it speaks from `code` and `facts`.

    `code` is set for every status but a plain `done`: the refusal reason (`sunroof_unsafe_at_speed`),
    the not-found kind (`artist_not_found`), why nothing changed (`already_set`), or why a value was clamped.
    """

    status: Status
    action: Action
    changes: list[Change] = []
    code: str | None = None
    message: str | None = Field(None, description="a short English explanation, for logs and developers")
    facts: SerializeAsAny[Facts] = NoFacts()
    clamp: Clamp | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def clamped(self) -> bool:
        return self.clamp is not None

    @property
    def ok(self) -> bool:
        return self.status in ("done", "no_change")

    def changed(self, path: str) -> bool:
        return any(change.path == path for change in self.changes)
