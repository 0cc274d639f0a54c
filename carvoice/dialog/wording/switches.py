"""What the assistant says about the on/off settings of `vehicle_sim/handlers/switches.py`.

    from carvoice.dialog.wording import describe
    describe(Vehicle().apply({"kind": "set_ac", "on": False}), Units())   # Line(AC.off, {})
"""

from __future__ import annotations

from typing import Any

from carvoice.dialog.spoken import Units
from carvoice.dialog.wording.base import Area, Line, Phrases, Switch
from vehicle_sim import Outcome
from vehicle_sim.actions import SetAc, SetDefrost, SetDoorLock, SetMute, SetRecirculation, SetSteeringWheelHeat

AREA = Area()

AC = Switch(
    on=Phrases(("AC on.", "Air conditioning on.", "Okay, the AC is on."),
               ("The AC is already on.", "Air conditioning is already on.")),
    off=Phrases(("AC off.", "Air conditioning off.", "Okay, the AC is off."),
                ("The AC is already off.", "Air conditioning is already off.")),
)
RECIRCULATION = Switch(
    on=Phrases(("Recirculation on.", "Okay, recirculating the cabin air."), ("Recirculation is already on.",)),
    off=Phrases(("Recirculation off.", "Okay, fresh air from outside."),
                ("Recirculation is already off.", "We're already on fresh air.")),
)
DEFROST = Switch(
    on=Phrases(("{window} defrost on.", "Okay, defrosting the {window}."), ("The {window} defrost is already on.",)),
    off=Phrases(("{window} defrost off.", "Okay, the {window} defrost is off."),
                ("The {window} defrost is already off.",)),
)
DEFROST_WINDOWS = {"front": "windscreen", "rear": "rear window"}
STEERING_WHEEL_HEAT = Switch(
    on=Phrases(("Steering wheel heating on.", "Okay, warming the steering wheel."),
               ("The steering wheel heating is already on.",)),
    off=Phrases(("Steering wheel heating off.", "Okay, the wheel heating is off."),
                ("The steering wheel heating is already off.",)),
)
MUTE = Switch(
    on=Phrases(("Muted.", "Sound muted.", "Okay, muting."), ("It's already muted.",)),
    off=Phrases(("Unmuted.", "Sound back on.", "Okay, sound's on."), ("The sound is already on.",)),
)
DOOR_LOCK = Switch(
    on=Phrases(("Doors locked.", "Okay, locking the doors."), ("The doors are already locked.",)),
    off=Phrases(("Doors unlocked.", "Okay, unlocking the doors."), ("The doors are already unlocked.",)),
)


AREA.on_off(SetAc, "air conditioning", AC)
AREA.on_off(SetRecirculation, "recirculation", RECIRCULATION)
AREA.on_off(SetSteeringWheelHeat, "steering wheel heating", STEERING_WHEEL_HEAT)
AREA.on_off(SetMute, "sound", MUTE)


@AREA.words(SetDefrost, topic="defrost")
def _defrost(outcome: Outcome, units: Units) -> Line:
    return DEFROST.line(outcome.action.on, window=DEFROST_WINDOWS[outcome.action.window])


def _door_lock_request(action: dict[str, Any]) -> str:
    return "lock the doors" if action.get("locked") else "unlock the doors"


@AREA.words(SetDoorLock, topic="door locks", request=_door_lock_request)
def _door_lock(outcome: Outcome, units: Units) -> Line:
    return DOOR_LOCK.line(outcome.action.locked)
