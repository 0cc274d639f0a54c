"""What the assistant says about an undo (the simulator's own action): what it put back, or why it could not.

    from carvoice.dialog.wording.undo import restored
    restored(Change(path="media.volume", before=20, after=12), Units())   # ('the volume', '12')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carvoice.dialog.spoken import UNIT_NAMES, Units, name, set_point
from carvoice.dialog.wording.base import DONE, Area, Line, Templates
from carvoice.dialog.wording.body import opening
from carvoice.dialog.wording.climate import ZONE_NAMES
from carvoice.dialog.wording.media import SOURCE_NAMES
from vehicle_sim import Change, Outcome
from vehicle_sim.actions import Undo

AREA = Area(codes={
    "nothing_to_undo": ("There's nothing to undo.", "Nothing to undo yet."),
    "undo_conflict": ("Too much has changed to undo the {topic} now.",
                      "I can't undo the {topic} change any more; too much has changed since."),
})
RESTORED: Templates = ("Okay, I've put {what} back to {value}.", "Done, {what} back to {value}.")
UNDONE: Templates = ("Okay, I've undone the {topic} change.", "Undone: the last {topic} change.")

UNIT_SETTINGS = {"temperature_unit": "temperatures", "distance_unit": "distances"}
RESTORABLE: dict[str, tuple[str, Callable[[Any], str]]] = {
    "climate.fan_speed": ("the fan", str),
    "media.volume": ("the volume", str),
    "vehicle.sunroof_pct": ("the sunroof", opening),
    "media.source": ("the audio source", lambda source: SOURCE_NAMES[source]),
    **{f"settings.{setting}": (what, lambda unit: UNIT_NAMES[unit]) for setting, what in UNIT_SETTINGS.items()},
}


@AREA.words(Undo, topic="undo", question=("You're driving. Undo that anyway?", "We're moving. Still undo it?"))
def _undo(outcome: Outcome, units: Units) -> Line:
    """An undo that went through is worded by what it put back (`restored`); this is one that changed nothing."""
    return Line(DONE)


def restored(change: Change, units: Units) -> tuple[str, str] | None:
    """What an undone change put back, as (what, value): ("the temperature", "21 degrees"); None if unknown."""
    parts, value = change.path.split("."), change.after
    if parts[0] == "climate" and parts[-1] == "set_point":
        zone = parts[1]
        what = "the temperature" if zone == "driver" else f"the {ZONE_NAMES[zone]} temperature"
        return what, set_point(value, units)
    if parts[:2] == ["vehicle", "windows"]:
        return f"the {name(parts[2])} window", opening(value)
    if change.path not in RESTORABLE:
        return None
    what, spoken = RESTORABLE[change.path]
    return what, spoken(value)
