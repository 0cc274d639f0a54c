"""Climate actions: set points per zone (with sync), fan, seats, and the cabin-temperature query, with their facts.

    Vehicle().apply({"kind": "set_seat_heat", "seat": "all", "level": 2}).facts
    # SeatFacts(seats=['driver', 'passenger', 'rear_left', 'rear_right'], level=2)
"""

from __future__ import annotations

from typing import get_args

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
from vehicle_sim.handlers.base import Context, Result, clamp, handles
from vehicle_sim.outcome import Facts
from vehicle_sim.state import (
    FAN_MAX,
    SEAT_LEVEL_MAX,
    SET_POINT_MAX_C,
    SET_POINT_MIN_C,
    Climate,
    SeatName,
    SetPoint,
    ZoneName,
    set_point_celsius,
)
from vehicle_sim.units import celsius_to_fahrenheit, to_celsius

ZONES: tuple[ZoneName, ...] = get_args(ZoneName)
SEATS: tuple[SeatName, ...] = get_args(SeatName)


class SetPointFacts(Facts):
    """The zones an action set and their set points now; with `sync` on, every zone follows the driver."""

    zones: list[ZoneName]
    set_points: dict[ZoneName, SetPoint]
    sync: bool


class FanFacts(Facts):
    fan_speed: int
    fan_auto: bool


class SeatFacts(Facts):
    """The seats whose heating or ventilation was set, and the level."""

    seats: list[SeatName]
    level: int


class CabinTemperatureFacts(Facts):
    """The measured temperature in each zone and outside, with each zone's set point."""

    current_c: dict[ZoneName, float]
    outside_c: float
    set_points: dict[ZoneName, SetPoint]


def _zones(zone: ZoneName | str) -> tuple[ZoneName, ...]:
    return ZONES if zone == "all" else (zone,)  # type: ignore[return-value]


def _write_set_points(climate: Climate, values: dict[ZoneName, SetPoint]) -> None:
    """Set zones; with sync on, a driver change carries to every zone and any other change ends sync."""
    for zone, value in values.items():
        climate.zone(zone).set_point = value
    if climate.sync and "driver" in values:
        for zone in ZONES:
            climate.zone(zone).set_point = values["driver"]
    elif climate.sync:
        climate.sync = False


def _limited_celsius(celsius: float, unit: str, result: Result) -> float:
    """Clamp to the set-point range and round to the display's 0.5 °C step; report in the unit asked in."""
    def shown(value: float) -> float:
        return round(celsius_to_fahrenheit(value)) if unit == "F" else round(value, 1)

    limited = clamp(celsius, SET_POINT_MIN_C, SET_POINT_MAX_C, result, shown, unit)
    return round(limited * 2) / 2


def _set_point_facts(climate: Climate, zones: tuple[ZoneName, ...], result: Result) -> Result:
    result.facts = SetPointFacts(zones=list(zones), set_points={zone: climate.zone(zone).set_point for zone in zones},
                                 sync=climate.sync)
    return result


@handles(SetTemperature, facts=SetPointFacts)
def set_temperature(ctx: Context, action: SetTemperature) -> Result:
    result = Result()
    zones = _zones(action.zone)
    if action.level is not None:
        value: SetPoint = action.level
    else:
        unit = action.unit or ctx.state.settings.temperature_unit
        value = _limited_celsius(to_celsius(action.value or 0.0, unit), unit, result)
    _write_set_points(ctx.state.climate, {zone: value for zone in zones})
    return _set_point_facts(ctx.state.climate, zones, result)


@handles(AdjustTemperature, facts=SetPointFacts)
def adjust_temperature(ctx: Context, action: AdjustTemperature) -> Result:
    result = Result()
    climate = ctx.state.climate
    unit = action.unit or ctx.state.settings.temperature_unit
    delta_c = action.delta * 5 / 9 if unit == "F" else action.delta
    zones = _zones(action.zone)
    values: dict[ZoneName, SetPoint] = {}
    for zone in zones:
        current = climate.zone(zone).set_point
        beyond_end = (current == "HI" and delta_c > 0) or (current == "LO" and delta_c < 0)
        target = set_point_celsius(current) + delta_c
        values[zone] = current if beyond_end else _limited_celsius(target, unit, result)
    _write_set_points(climate, values)
    return _set_point_facts(climate, zones, result)


@handles(SetFan, facts=FanFacts)
def set_fan(ctx: Context, action: SetFan) -> Result:
    result = Result()
    climate = ctx.state.climate
    if action.speed == "auto":
        climate.fan_auto = True
    else:
        climate.fan_speed = int(clamp(action.speed, 0, FAN_MAX, result))
        climate.fan_auto = False
    result.facts = FanFacts(fan_speed=climate.fan_speed, fan_auto=climate.fan_auto)
    return result


@handles(AdjustFan, facts=FanFacts)
def adjust_fan(ctx: Context, action: AdjustFan) -> Result:
    return set_fan(ctx, SetFan(speed=ctx.state.climate.fan_speed + action.delta))


@handles(SetClimateSync, facts=SetPointFacts)
def set_climate_sync(ctx: Context, action: SetClimateSync) -> Result:
    climate = ctx.state.climate
    climate.sync = action.on
    if action.on:
        _write_set_points(climate, {"driver": climate.driver.set_point})
    return _set_point_facts(climate, ZONES, Result())


def _set_seats(ctx: Context, seat: str, level: int, feature: str, opposite: str) -> Result:
    """Seat heating and ventilation exclude each other: turning one on turns the other off."""
    result = Result()
    level = int(clamp(level, 0, SEAT_LEVEL_MAX, result))
    seats = SEATS if seat == "all" else (seat,)
    for name in seats:
        target = getattr(ctx.state.climate.seats, name)
        setattr(target, feature, level)
        if level:
            setattr(target, opposite, 0)
    result.facts = SeatFacts(seats=list(seats), level=level)
    return result


@handles(SetSeatHeat, facts=SeatFacts)
def set_seat_heat(ctx: Context, action: SetSeatHeat) -> Result:
    return _set_seats(ctx, action.seat, action.level, "heat", "ventilation")


@handles(SetSeatVentilation, facts=SeatFacts)
def set_seat_ventilation(ctx: Context, action: SetSeatVentilation) -> Result:
    return _set_seats(ctx, action.seat, action.level, "ventilation", "heat")


@handles(QueryCabinTemperature, facts=CabinTemperatureFacts)
def query_cabin_temperature(ctx: Context, action: QueryCabinTemperature) -> Result:
    climate = ctx.state.climate
    return Result(facts=CabinTemperatureFacts(
        current_c={zone: round(climate.zone(zone).current_c, 1) for zone in ZONES},
        outside_c=ctx.state.vehicle.outside_temp_c,
        set_points={zone: climate.zone(zone).set_point for zone in ZONES}))
