"""What the assistant says about the climate actions of `vehicle_sim/handlers/climate.py`.

    from carvoice.dialog.wording import describe
    describe(Vehicle().apply({"kind": "set_fan", "speed": 5}), Units())   # Line(FAN_SPEED, {"speed": "5"})
"""

from __future__ import annotations

from typing import get_args

from carvoice.dialog.spoken import Units, name, reading, set_point, temperature_in
from carvoice.dialog.wording.base import Area, Line, Phrases, Switch, clamp_fields, facts_of
from vehicle_sim import Outcome
from vehicle_sim.actions import (
    AdjustFan,
    AdjustTemperature,
    QueryCabinTemperature,
    SetClimateSync,
    SetFan,
    SetSeatHeat,
    SetSeatVentilation,
    SetTemperature,
)
from vehicle_sim.handlers.climate import CabinTemperatureFacts, FanFacts, SeatFacts, SetPointFacts
from vehicle_sim.state import SeatName, ZoneName

ZONES: tuple[str, ...] = get_args(ZoneName)
SEATS: tuple[str, ...] = get_args(SeatName)
ZONE_NAMES = {"driver": "driver side", "passenger": "passenger side", "rear": "rear zone"}
AREA = Area()

TEMPERATURE_ALREADY = ("{where} is already at {temp}.", "{where} was already {temp}.")
TEMPERATURE_LIMITED = ("{where} set to {limit}, the {edge}est it goes.",
                       "The {edge}est setting is {limit}, so {where} is there now.")
TEMPERATURE_SET = Phrases(("{where} set to {temp}.", "Okay, {where} at {temp}.", "{where} now at {temp}."),
                          TEMPERATURE_ALREADY, TEMPERATURE_LIMITED)
TEMPERATURE_ADJUSTED = Phrases(("{where} {direction} to {temp}.", "Okay, {where} now at {temp}.",
                                "{where} at {temp} now."), TEMPERATURE_ALREADY, TEMPERATURE_LIMITED)
SYNC = Switch(
    on=Phrases(("Sync on: all zones follow the driver.", "Sync on. Every zone is at {temp} now.",
                "Okay, zones synced to the driver."), ("The zones are already synced.",)),
    off=Phrases(("Sync off.", "Okay, each zone has its own temperature again."), ("Sync is already off.",)),
)

FAN_LIMITED = ("Fan on {speed}, as {edge} as it goes.", "The fan is at its {edge}est, {speed}.")
FAN_SPEED = Phrases(("Fan set to {speed}.", "Fan on {speed}.", "Okay, fan speed {speed}."),
                    ("The fan is already on {speed}.", "Fan's already at {speed}."), FAN_LIMITED)
FAN_OFF = Phrases(("Fan off.", "Okay, the fan is off."), ("The fan is already off.",), FAN_LIMITED)
FAN_AUTO = Phrases(("Fan on automatic.", "Okay, the fan is on auto."),
                   ("The fan is already on automatic.", "Fan's already on auto."), FAN_LIMITED)

SEAT_LIMITED = ("{seats} {feature} on {level}, as {edge} as it goes.",
                "{feature} goes from 0 to 3; {seats} is on {level}.")
SEAT_ON = Phrases(("{seats} {feature} on {level}.", "Okay, {seats} {feature} at level {level}."),
                  ("{seats} {feature} is already on {level}.",), SEAT_LIMITED)
SEAT_OFF = Phrases(("{seats} {feature} off.", "Okay, {seats} {feature} is off."),
                   ("{seats} {feature} is already off.",), SEAT_LIMITED)

CABIN = Phrases(("It's {inside} in here and {outside} outside.", "The cabin is at {inside}. Outside it's {outside}.",
                 "{inside} inside, {outside} outside."))


@AREA.words(SetTemperature, AdjustTemperature, topic="temperature")
@AREA.words(SetClimateSync, topic="climate sync")
def _temperature(outcome: Outcome, units: Units) -> Line:
    facts, action, clamp = facts_of(outcome, SetPointFacts), outcome.action, outcome.clamp
    first = facts.zones[0]
    fields = {
        "where": "all zones" if facts.sync or len(facts.zones) == len(ZONES) else ZONE_NAMES[first],
        "temp": set_point(facts.set_points[first], units, getattr(action, "unit", None)),
        "direction": "up" if getattr(action, "delta", 0) > 0 else "down",
        **clamp_fields(clamp, units),
    }
    if clamp is not None and clamp.unit is not None:
        fields["limit"] = temperature_in(clamp.limited_to, clamp.unit, units)
    if isinstance(action, SetClimateSync):
        return SYNC.line(action.on, **fields)
    return Line(TEMPERATURE_ADJUSTED if isinstance(action, AdjustTemperature) else TEMPERATURE_SET, fields)


@AREA.words(SetFan, AdjustFan, topic="fan")
def _fan(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, FanFacts)
    phrases = FAN_AUTO if facts.fan_auto else (FAN_SPEED if facts.fan_speed else FAN_OFF)
    return Line(phrases, {"speed": str(facts.fan_speed), **clamp_fields(outcome.clamp, units)})


@AREA.words(SetSeatHeat, topic="seat heating")
@AREA.words(SetSeatVentilation, topic="seat cooling")
def _seat(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, SeatFacts)
    seats = facts.seats
    fields = {"seats": "all seats" if len(seats) == len(SEATS) else f"{name(seats[0])} seat",
              "feature": "heating" if isinstance(outcome.action, SetSeatHeat) else "cooling",
              "level": str(facts.level), **clamp_fields(outcome.clamp, units)}
    return Line(SEAT_ON if facts.level else SEAT_OFF, fields)


@AREA.words(QueryCabinTemperature, topic="climate")
def _cabin(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, CabinTemperatureFacts)
    fields = {"inside": reading(facts.current_c["driver"], units), "outside": reading(facts.outside_c, units)}
    return Line(CABIN, fields)
