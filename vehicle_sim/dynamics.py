"""How the car changes as time passes: driving along the route, energy use, cabin temperature, playback.

Everything is computed in closed form or segment by segment, so one `advance(state, world, 600)` gives the
same result as six hundred one-second steps (up to float rounding) and no randomness is involved.

With a route the simulated driver follows it at each street's speed limit, starting from park if needed,
and parks on arrival. Without a route the car keeps the speed the driver set, but its position on the map
stays put (we do not know where an unguided driver goes); only the odometer and the energy level move.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vehicle_sim import playback
from vehicle_sim.routing import plan_route, waypoints
from vehicle_sim.state import PLAYER_SOURCES, ClimateZone, Place, VehicleState, set_point_celsius
from vehicle_sim.world import World

_LO_TARGET_C = 14.0
_HI_TARGET_C = 32.0
_AUTO_FAN_LEVEL = 4
_FAN_TIME_CONSTANT_S = 900.0  # divided by the fan level: level 1 settles in ~15 min, level 7 in ~2
_DRIFT_TIME_CONSTANT_S = 1800.0  # with the fan off the cabin drifts to the outside temperature
_EPSILON = 1e-9


@dataclass(frozen=True)
class Event:
    """Something that happened while time passed: `arrived`, `stop_reached` or `out_of_energy`."""

    kind: str
    time_s: float
    place: Place | None = None


def advance(state: VehicleState, world: World, dt_s: float) -> list[Event]:
    """Move `state` forward by `dt_s` seconds, in place; return what happened on the way."""
    events = _drive(state, world, dt_s)
    _climate(state, dt_s)
    _playback(state, world, dt_s)
    state.time_s += dt_s
    return events


# --- driving -----------------------------------------------------------------------------------------------


def _drive(state: VehicleState, world: World, dt_s: float) -> list[Event]:
    body = state.vehicle
    budget_m = body.energy_pct / 100 * body.full_range_km * 1000
    if state.navigation.destination is not None:
        travelled_m, events = _follow_route(state, world, dt_s, budget_m)
    else:
        travelled_m, events = min(body.speed_kmh / 3.6 * dt_s, budget_m), []
    body.odometer_km += travelled_m / 1000
    body.energy_pct = max(0.0, body.energy_pct - travelled_m / 1000 / body.full_range_km * 100)
    if body.energy_pct == 0.0 and body.speed_kmh > 0:
        body.speed_kmh = 0.0
        events.append(Event("out_of_energy", state.time_s + dt_s))
    return events


def _follow_route(state: VehicleState, world: World, dt_s: float, budget_m: float) -> tuple[float, list[Event]]:
    navigation, body, city = state.navigation, state.vehicle, world.city
    position = navigation.position
    time_left, travelled, events = dt_s, 0.0, []
    while time_left > _EPSILON and budget_m - travelled > _EPSILON:
        if position.next_node_id is None:
            events += _reach_node(state, state.time_s + dt_s - time_left)
            if navigation.destination is None:
                break
            position.next_node_id = plan_route(city, position, waypoints(navigation)).nodes[1]
        edge = city.edge(position.node_id, position.next_node_id)
        speed_ms = edge.speed_kmh / 3.6
        body.speed_kmh, body.gear = float(edge.speed_kmh), "D"
        step = min(edge.length_m - position.offset_m, speed_ms * time_left, budget_m - travelled)
        position.offset_m += step
        travelled += step
        time_left -= step / speed_ms
        if position.offset_m >= edge.length_m - _EPSILON:
            position.node_id, position.next_node_id, position.offset_m = edge.end, None, 0.0
    if position.next_node_id is None and navigation.destination is not None:
        events += _reach_node(state, state.time_s + dt_s - time_left)
    return travelled, events


def _reach_node(state: VehicleState, time_s: float) -> list[Event]:
    """The car stands at a node: tick off a stop there, or arrive and park at the destination."""
    navigation, body = state.navigation, state.vehicle
    node = navigation.position.node_id
    events = []
    while navigation.stops and navigation.stops[0].node_id == node:
        events.append(Event("stop_reached", time_s, navigation.stops.pop(0)))
    if not navigation.stops and navigation.destination is not None and navigation.destination.node_id == node:
        events.append(Event("arrived", time_s, navigation.destination))
        navigation.last_arrival, navigation.destination = navigation.destination, None
        body.speed_kmh, body.gear = 0.0, "P"
    return events


# --- cabin -------------------------------------------------------------------------------------------------


def _climate(state: VehicleState, dt_s: float) -> None:
    climate = state.climate
    fan = _AUTO_FAN_LEVEL if climate.fan_auto else climate.fan_speed
    for zone in (climate.driver, climate.passenger, climate.rear):
        if fan == 0:
            _approach(zone, state.vehicle.outside_temp_c, _DRIFT_TIME_CONSTANT_S, dt_s)
        else:
            target_c = set_point_celsius(zone.set_point, _LO_TARGET_C, _HI_TARGET_C)
            _approach(zone, target_c, _FAN_TIME_CONSTANT_S / fan, dt_s)


def _approach(zone: ClimateZone, target_c: float, time_constant_s: float, dt_s: float) -> None:
    """Exponential approach of the zone's air temperature to `target_c`."""
    zone.current_c = target_c + (zone.current_c - target_c) * math.exp(-dt_s / time_constant_s)


# --- playback ----------------------------------------------------------------------------------------------


def _playback(state: VehicleState, world: World, dt_s: float) -> None:
    media = state.media
    if not media.playing or media.source not in PLAYER_SOURCES:
        return
    player = media.player(media.source)
    time_left = dt_s
    while time_left > 0 and media.playing:
        duration = world.library.tracks[player.current_track or ""].duration_s
        remaining = duration - player.elapsed_s
        if time_left < remaining:
            player.elapsed_s += time_left
            return
        time_left -= remaining
        media.playing = playback.finish_track(player, media.repeat)
