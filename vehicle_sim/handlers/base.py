"""What every action handler gets and gives back, and the registry that maps action types to handlers.

A handler mutates `ctx.state` (a private working copy) and returns a `Result`; to decline it raises
`Rejected`. The simulator then diffs, applies the safety policy, validates and commits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vehicle_sim.actions import ActionBase
from vehicle_sim.rejection import Rejected
from vehicle_sim.state import VehicleState
from vehicle_sim.world import World

__all__ = ["HANDLERS", "Context", "Rejected", "Result", "clamp", "handles"]


@dataclass
class Context:
    state: VehicleState
    world: World
    rng: random.Random


@dataclass
class Result:
    """Facts for the reply; `reads` names facts to read from the committed state (after any safety clamp)."""

    facts: dict[str, Any] = field(default_factory=dict)
    reads: dict[str, str] = field(default_factory=dict)
    code: str | None = None
    clamped: bool = False


def clamp(value: float, low: float, high: float, result: Result,
          shown: Callable[[float], float] = lambda value: value) -> float:
    """`value` limited to [low, high]; when it had to be limited, the result says so and from what.

    `shown` converts the reported numbers to the unit the caller asked in (e.g. °F).
    """
    limited = min(max(value, low), high)
    if limited != value:
        result.clamped = True
        result.code = "out_of_range"
        result.facts.update(clamped_from=shown(value), clamped_to=shown(limited), min=shown(low), max=shown(high))
    return limited


Handler = Callable[[Context, Any], Result]
HANDLERS: dict[type[ActionBase], Handler] = {}


def handles(*action_types: type[ActionBase]) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for action_type in action_types:
            HANDLERS[action_type] = handler
        return handler

    return register
