"""On/off settings that are a single flag in the state: one generic handler, a table of where each flag lives.

    Vehicle().apply({"kind": "set_ac", "on": False}).facts   # SwitchFacts(setting='climate.ac', value=False)
"""

from __future__ import annotations

from functools import reduce

from vehicle_sim.actions import (
    SetAc,
    SetDefrost,
    SetDoorLock,
    SetMute,
    SetRecirculation,
    SetSteeringWheelHeat,
    SwitchBase,
)
from vehicle_sim.handlers.base import Context, Result, handles
from vehicle_sim.outcome import Facts

SWITCH_PATHS: dict[type[SwitchBase], str] = {
    SetAc: "climate.ac",
    SetRecirculation: "climate.recirculation",
    SetSteeringWheelHeat: "climate.steering_wheel_heat",
    SetMute: "media.muted",
}


class SwitchFacts(Facts):
    """The flag that was set (its state path) and its value now."""

    setting: str
    value: bool


def _set_flag(ctx: Context, path: str, value: bool) -> Result:
    *parents, name = path.split(".")
    owner = reduce(getattr, parents, ctx.state)
    setattr(owner, name, value)
    return Result(facts=SwitchFacts(setting=path, value=value))


@handles(*SWITCH_PATHS, facts=SwitchFacts)
def set_switch(ctx: Context, action: SwitchBase) -> Result:
    return _set_flag(ctx, SWITCH_PATHS[type(action)], action.on)


@handles(SetDefrost, facts=SwitchFacts)
def set_defrost(ctx: Context, action: SetDefrost) -> Result:
    return _set_flag(ctx, f"climate.{action.window}_defrost", action.on)


@handles(SetDoorLock, facts=SwitchFacts)
def set_door_lock(ctx: Context, action: SetDoorLock) -> Result:
    return _set_flag(ctx, "vehicle.doors_locked", action.locked)
