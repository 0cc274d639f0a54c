"""A readable multi-line summary of a state, in the units the car is set to display."""

from __future__ import annotations

from vehicle_sim.state import Climate, Media, Navigation, Seats, SetPoint, VehicleState
from vehicle_sim.units import DistanceUnit, TemperatureUnit, format_distance, format_temperature


def _set_point(set_point: SetPoint, unit: TemperatureUnit) -> str:
    return set_point if isinstance(set_point, str) else format_temperature(set_point, unit)


def _on_off(flag: bool) -> str:
    return "on" if flag else "off"


def _vehicle_lines(state: VehicleState) -> list[str]:
    body, settings = state.vehicle, state.settings
    energy = "battery" if body.powertrain == "electric" else "fuel"
    range_text = format_distance(body.range_km, settings.distance_unit)
    open_windows = [f"{name} {pct}%" for name, pct in body.windows.model_dump().items() if pct]
    return [
        f"Vehicle     {body.driving_state}, gear {body.gear}, {body.speed_kmh:.0f} km/h, "
        f"odometer {format_distance(body.odometer_km, settings.distance_unit)}",
        f"            {energy} {body.energy_pct:.0f}% (range {range_text}), "
        f"outside {format_temperature(body.outside_temp_c, settings.temperature_unit)}",
        f"            doors {'locked' if body.doors_locked else 'unlocked'}, "
        f"windows {', '.join(open_windows) or 'closed'}, sunroof "
        f"{f'{body.sunroof_pct}% open' if body.sunroof_pct else 'closed'}",
    ]


def _seats(seats: Seats) -> str:
    active = [f"{name} {'heat' if seat['heat'] else 'vent'} {seat['heat'] or seat['ventilation']}"
              for name, seat in seats.model_dump().items() if seat["heat"] or seat["ventilation"]]
    return ", ".join(active) or "off"


def _climate_lines(climate: Climate, unit: TemperatureUnit) -> list[str]:
    zones = ", ".join(f"{name} {_set_point(climate.zone(name).set_point, unit)} "
                      f"(now {format_temperature(climate.zone(name).current_c, unit)})"
                      for name in ("driver", "passenger", "rear"))
    defrost = [name for name, on in (("front", climate.front_defrost), ("rear", climate.rear_defrost)) if on]
    return [
        f"Climate     {zones}{', synced' if climate.sync else ''}",
        f"            fan {'auto' if climate.fan_auto else climate.fan_speed}, A/C {_on_off(climate.ac)}, "
        f"recirculation {_on_off(climate.recirculation)}, defrost {', '.join(defrost) or 'off'}",
        f"            seats {_seats(climate.seats)}, steering wheel heat {_on_off(climate.steering_wheel_heat)}",
    ]


def _media_line(media: Media) -> str:
    now = media.now_playing
    if now is None:
        what = "nothing queued"
    elif now.station:
        what = f"{now.station} ({now.frequency})"
    else:
        what = f"'{now.title}' by {now.artist} ({now.position_s:.0f}/{now.duration_s:.0f} s)"
    state = "playing" if media.playing else "paused"
    volume = "muted" if media.muted else f"volume {media.volume}"
    modes = f"shuffle {_on_off(media.shuffle)}, repeat {media.repeat}"
    return f"Media       {media.source.upper()} {state}: {what}; {volume}, {modes}"


def _navigation_line(navigation: Navigation, unit: DistanceUnit) -> str:
    position = navigation.position
    where = f"Navigation  on {position.street} (node {position.node_id})"
    if navigation.destination is None:
        return f"{where}, no route"
    stops = f" via {', '.join(stop.name for stop in navigation.stops)}" if navigation.stops else ""
    turn = navigation.next_turn
    next_step = f"; next: {turn.direction} onto {turn.street} in {turn.distance_m:.0f} m" if turn else ""
    return (f"{where}, to {navigation.destination.name}{stops}: "
            f"{format_distance(navigation.distance_remaining_km or 0.0, unit)}, {navigation.eta_min} min{next_step}")


def describe(state: VehicleState) -> str:
    """The whole state in a few aligned lines."""
    unit = state.settings.temperature_unit
    lines = [f"Car at t = {state.time_s:.0f} s"]
    lines += _vehicle_lines(state)
    lines += _climate_lines(state.climate, unit)
    lines.append(_media_line(state.media))
    lines.append(_navigation_line(state.navigation, state.settings.distance_unit))
    return "\n".join(lines)
