"""Body and car actions: windows, sunroof, display units, driver input, and range / outside queries."""

from __future__ import annotations

from typing import get_args

from vehicle_sim.actions import DriverInput, QueryOutsideTemperature, QueryRange, SetSunroof, SetUnits, SetWindow
from vehicle_sim.handlers.base import Context, Rejected, Result, clamp, handles
from vehicle_sim.state import WindowName

WINDOWS: tuple[WindowName, ...] = get_args(WindowName)
MAX_SPEED_KMH = 250.0


@handles(SetWindow)
def set_window(ctx: Context, action: SetWindow) -> Result:
    result = Result()
    percent = round(clamp(action.open_pct, 0, 100, result))
    windows = WINDOWS if action.window == "all" else (action.window,)
    for window in windows:
        setattr(ctx.state.vehicle.windows, window, percent)
    result.facts["windows"] = list(windows)
    result.reads["open_pct"] = f"vehicle.windows.{windows[0]}"
    return result


@handles(SetSunroof)
def set_sunroof(ctx: Context, action: SetSunroof) -> Result:
    result = Result()
    ctx.state.vehicle.sunroof_pct = round(clamp(action.open_pct, 0, 100, result))
    result.reads["open_pct"] = "vehicle.sunroof_pct"
    return result


@handles(SetUnits)
def set_units(ctx: Context, action: SetUnits) -> Result:
    settings = ctx.state.settings
    settings.temperature_unit = action.temperature_unit or settings.temperature_unit
    settings.distance_unit = action.distance_unit or settings.distance_unit
    return Result(facts=settings.model_dump())


@handles(DriverInput)
def driver_input(ctx: Context, action: DriverInput) -> Result:
    result = Result()
    body = ctx.state.vehicle
    speed = body.speed_kmh if action.speed_kmh is None else clamp(action.speed_kmh, 0, MAX_SPEED_KMH, result)
    gear = action.gear or body.gear
    if gear == "P" and speed > 0:
        raise Rejected("refused", "cannot_move_in_park", "the car cannot move in park; select a gear first",
                       speed_kmh=speed)
    body.speed_kmh, body.gear = speed, gear
    result.facts.update(speed_kmh=speed, gear=gear)
    return result


@handles(QueryRange)
def query_range(ctx: Context, action: QueryRange) -> Result:
    body = ctx.state.vehicle
    return Result(facts={"range_km": round(body.range_km, 1), "energy_pct": round(body.energy_pct, 1),
                         "powertrain": body.powertrain})


@handles(QueryOutsideTemperature)
def query_outside_temperature(ctx: Context, action: QueryOutsideTemperature) -> Result:
    return Result(facts={"outside_c": ctx.state.vehicle.outside_temp_c})
