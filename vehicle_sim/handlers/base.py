"""What every action handler gets and gives back, and the registry that maps action types to handlers.

    @handles(SetFan, AdjustFan, facts=FanFacts)
    def set_fan(ctx: Context, action: SetFan) -> Result: ...

A handler mutates `ctx.state` (a private working copy) and returns a `Result`; to decline it raises
`Rejected`. The simulator then diffs, applies the safety policy, validates and commits. `facts` names the
type of the facts it gives when the action goes through (several where they differ by case; `NoFacts` where
there are none); the simulator checks it. A rejection carries facts of its own (`NotFoundFacts`, ...).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vehicle_sim.actions import ActionBase
from vehicle_sim.outcome import Clamp, Facts, NoFacts
from vehicle_sim.rejection import Rejected
from vehicle_sim.state import VehicleState
from vehicle_sim.units import TemperatureUnit
from vehicle_sim.world import World

__all__ = ["FACTS", "HANDLERS", "Context", "Rejected", "Result", "clamp", "handles"]


@dataclass
class Context:
    state: VehicleState
    world: World
    rng: random.Random


@dataclass
class Result:
    """The facts for the reply, or `read_after`, which reads them from the committed state (after any safety
    clamp); a reason code; and the value the handler had to limit."""

    facts: Facts = field(default_factory=NoFacts)
    read_after: Callable[[VehicleState], Facts] | None = None
    code: str | None = None
    clamp: Clamp | None = None


def clamp(value: float, low: float, high: float, result: Result,
          shown: Callable[[float], float] = lambda value: value, unit: TemperatureUnit | None = None) -> float:
    """`value` limited to [low, high]; when it had to be limited, the result says so and from what.

    `shown` converts the reported numbers to the `unit` the caller asked in (e.g. °F).
    """
    limited = min(max(value, low), high)
    if limited != value:
        result.code = "out_of_range"
        result.clamp = Clamp(asked=shown(value), limited_to=shown(limited), min=shown(low), max=shown(high),
                             unit=unit)
    return limited


Handler = Callable[[Context, Any], Result]
HANDLERS: dict[type[ActionBase], Handler] = {}
FACTS: dict[type[ActionBase], tuple[type[Facts], ...]] = {}


def handles(*action_types: type[ActionBase],
            facts: type[Facts] | tuple[type[Facts], ...]) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for action_type in action_types:
            HANDLERS[action_type] = handler
            FACTS[action_type] = facts if isinstance(facts, tuple) else (facts,)
        return handler

    return register
