"""Body and car actions: windows, sunroof, display units, driver input, and range / outside queries, with their facts.

    Vehicle().apply({"kind": "query_range"}).facts
    # RangeFacts(range_km=336.0, energy_pct=80.0, powertrain='electric')
"""

from __future__ import annotations

from typing import get_args

from vehicle_sim.actions import DriverInput, QueryOutsideTemperature, QueryRange, SetSunroof, SetUnits, SetWindow
from vehicle_sim.handlers.base import Context, Rejected, Result, clamp, handles
from vehicle_sim.outcome import Facts
from vehicle_sim.state import Gear, Powertrain, VehicleState, WindowName
from vehicle_sim.units import DistanceUnit, TemperatureUnit

WINDOWS: tuple[WindowName, ...] = get_args(WindowName)
MAX_SPEED_KMH = 250.0


class OpeningFacts(Facts):
    """How far the sunroof, or the first of the windows set, is open now (after any safety limit)."""

    open_pct: int


class WindowFacts(OpeningFacts):
    windows: list[WindowName]


class UnitsFacts(Facts):
    temperature_unit: TemperatureUnit
    distance_unit: DistanceUnit


class DrivingFacts(Facts):
    speed_kmh: float
    gear: Gear


class RangeFacts(Facts):
    range_km: float
    energy_pct: float
    powertrain: Powertrain


class OutsideTemperatureFacts(Facts):
    outside_c: float


@handles(SetWindow, facts=WindowFacts)
def set_window(ctx: Context, action: SetWindow) -> Result:
    result = Result()
    percent = round(clamp(action.open_pct, 0, 100, result))
    windows = WINDOWS if action.window == "all" else (action.window,)
    for window in windows:
        setattr(ctx.state.vehicle.windows, window, percent)

    def read(state: VehicleState) -> WindowFacts:
        return WindowFacts(windows=list(windows), open_pct=getattr(state.vehicle.windows, windows[0]))

    result.read_after = read
    return result


def _sunroof_facts(state: VehicleState) -> OpeningFacts:
    return OpeningFacts(open_pct=state.vehicle.sunroof_pct)


@handles(SetSunroof, facts=OpeningFacts)
def set_sunroof(ctx: Context, action: SetSunroof) -> Result:
    result = Result(read_after=_sunroof_facts)
    ctx.state.vehicle.sunroof_pct = round(clamp(action.open_pct, 0, 100, result))
    return result


@handles(SetUnits, facts=UnitsFacts)
def set_units(ctx: Context, action: SetUnits) -> Result:
    settings = ctx.state.settings
    settings.temperature_unit = action.temperature_unit or settings.temperature_unit
    settings.distance_unit = action.distance_unit or settings.distance_unit
    return Result(facts=UnitsFacts(temperature_unit=settings.temperature_unit, distance_unit=settings.distance_unit))


@handles(DriverInput, facts=DrivingFacts)
def driver_input(ctx: Context, action: DriverInput) -> Result:
    result = Result()
    body = ctx.state.vehicle
    speed = body.speed_kmh if action.speed_kmh is None else clamp(action.speed_kmh, 0, MAX_SPEED_KMH, result)
    gear = action.gear or body.gear
    if gear == "P" and speed > 0:
        raise Rejected("refused", "cannot_move_in_park", "the car cannot move in park; select a gear first",
                       DrivingFacts(speed_kmh=speed, gear=gear))
    body.speed_kmh, body.gear = speed, gear
    result.facts = DrivingFacts(speed_kmh=speed, gear=gear)
    return result


@handles(QueryRange, facts=RangeFacts)
def query_range(ctx: Context, action: QueryRange) -> Result:
    body = ctx.state.vehicle
    return Result(facts=RangeFacts(range_km=round(body.range_km, 1), energy_pct=round(body.energy_pct, 1),
                                   powertrain=body.powertrain))


@handles(QueryOutsideTemperature, facts=OutsideTemperatureFacts)
def query_outside_temperature(ctx: Context, action: QueryOutsideTemperature) -> Result:
    return Result(facts=OutsideTemperatureFacts(outside_c=ctx.state.vehicle.outside_temp_c))
