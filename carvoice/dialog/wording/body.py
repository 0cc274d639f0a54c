"""What the assistant says about the body and car actions of `vehicle_sim/handlers/body.py`.

    from carvoice.dialog.wording import describe
    describe(Vehicle().apply({"kind": "set_sunroof", "open_pct": 40}), Units())   # Line(SUNROOF.partly, ...)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from carvoice.dialog.spoken import UNIT_NAMES, Units, distance, join, name, percent, reading
from carvoice.dialog.wording.base import DONE, Area, Line, Phrases, clamp_fields, facts_of
from vehicle_sim import Outcome
from vehicle_sim.actions import DriverInput, QueryOutsideTemperature, QueryRange, SetSunroof, SetUnits, SetWindow
from vehicle_sim.handlers.body import OpeningFacts, OutsideTemperatureFacts, RangeFacts, WindowFacts
from vehicle_sim.state import WindowName

WINDOWS: tuple[str, ...] = get_args(WindowName)
AREA = Area()


@dataclass(frozen=True)
class Openings:
    """The three cases of an opening: closed, fully open, and open part of the way."""

    closed: Phrases
    open: Phrases
    partly: Phrases

    def line(self, open_pct: float, **fields: str) -> Line:
        return Line(self.closed if open_pct == 0 else (self.open if open_pct == 100 else self.partly), fields)


WINDOW = Openings(
    closed=Phrases(("{window} closed.", "Okay, closing {window_object}."), ("{window} already closed.",)),
    open=Phrases(("{window} open.", "Okay, opening {window_object}."), ("{window} already open.",)),
    partly=Phrases(("{window} open {pct}.", "Okay, {window_object} at {pct}."), ("{window} already at {pct}.",)),
)
SUNROOF = Openings(
    closed=Phrases(("Sunroof closed.", "Okay, closing the sunroof."), ("The sunroof is already closed.",)),
    open=Phrases(("Sunroof open.", "Okay, opening the sunroof."), ("The sunroof is already open.",)),
    partly=Phrases(("Sunroof open {pct}.", "Okay, sunroof at {pct}."), ("The sunroof is already at {pct}.",)),
)
RANGE = {
    "electric": Phrases(("{range} of range left. Battery at {energy}.", "You can go about {range}.",
                         "Battery's at {energy}, good for {range}.")),
    "petrol": Phrases(("{range} of range left. Fuel at {energy}.", "You can go about {range}.",
                       "The tank is at {energy}, good for {range}.")),
}
OUTSIDE = Phrases(("It's {outside} outside.", "{outside} outside right now.", "Outside it's {outside}."))
UNITS = Phrases(("Okay, {units} from now on.", "Display switched to {units}.", "Showing {units} now."),
                ("The display already shows {units}.",))


def opening(pct: float) -> str:
    return "closed" if pct == 0 else ("fully open" if pct == 100 else f"{percent(pct)} open")


def window_names(windows: list[str]) -> tuple[str, str]:
    """How to name the windows as a subject ("Rear left window") and as an object ("the rear left window")."""
    if len(windows) == len(WINDOWS):
        return "all windows", "all the windows"
    label = f"{join([name(window) for window in windows])} window"
    return label, f"the {label}"


def _opening_request(action: dict[str, Any]) -> str:
    if action["kind"] == "set_sunroof":
        what = "the sunroof"
    else:
        window = action.get("window", "driver")
        what = window_names(list(WINDOWS) if window == "all" else [window])[1]
    pct = action.get("open_pct", 0)
    return f"close {what}" if pct == 0 else f"open {what}" + ("" if pct == 100 else f" {percent(pct)}")


@AREA.words(SetWindow, topic="windows", request=_opening_request)
def _window(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, WindowFacts)
    subject, object_ = window_names(list(facts.windows))
    return WINDOW.line(facts.open_pct, window=subject, window_object=object_, pct=percent(facts.open_pct),
                       **clamp_fields(outcome.clamp, units))


@AREA.words(SetSunroof, topic="sunroof", request=_opening_request)
def _sunroof(outcome: Outcome, units: Units) -> Line:
    open_pct = facts_of(outcome, OpeningFacts).open_pct
    return SUNROOF.line(open_pct, pct=percent(open_pct), **clamp_fields(outcome.clamp, units))


@AREA.words(QueryRange, topic="range")
def _range(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, RangeFacts)
    fields = {"range": distance(facts.range_km, units), "energy": percent(facts.energy_pct)}
    return Line(RANGE[facts.powertrain], fields)


@AREA.words(QueryOutsideTemperature, topic="outside temperature")
def _outside(outcome: Outcome, units: Units) -> Line:
    return Line(OUTSIDE, {"outside": reading(facts_of(outcome, OutsideTemperatureFacts).outside_c, units)})


@AREA.words(SetUnits, topic="display units")
def _units(outcome: Outcome, units: Units) -> Line:
    action = outcome.action
    chosen = [UNIT_NAMES[unit] for unit in (action.temperature_unit, action.distance_unit) if unit]  # type: ignore
    return Line(UNITS, {"units": join(chosen)})


@AREA.words(DriverInput, topic="driver input")
def _driving(outcome: Outcome, units: Units) -> Line:
    """The driver's own pedals and gear lever: the assistant never sends this, so it has no words of its own."""
    return Line(DONE)
