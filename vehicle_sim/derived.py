"""Recomputing the derived fields of the state (range, driving state, position details, route, now playing)."""

from __future__ import annotations

from vehicle_sim.routing import next_turn, plan_route, waypoints
from vehicle_sim.state import PLAYER_SOURCES, NowPlaying, VehicleState
from vehicle_sim.world import World


def refresh(state: VehicleState, world: World) -> None:
    """Bring every derived field in line with the source-of-truth fields, in place."""
    _refresh_body(state)
    _refresh_position(state, world)
    refresh_route(state, world)
    state.media.now_playing = _now_playing(state, world)


def _refresh_body(state: VehicleState) -> None:
    body = state.vehicle
    body.range_km = round(body.energy_pct / 100 * body.full_range_km, 1)
    if body.speed_kmh > 0:
        body.driving_state = "driving"
    else:
        body.driving_state = "parked" if body.gear == "P" else "stopped"


def _refresh_position(state: VehicleState, world: World) -> None:
    position = state.navigation.position
    city = world.city
    x, y = city.coordinates[position.node_id]
    if position.next_node_id is None:
        position.street = city.streets_at(position.node_id)[0]
    else:
        edge = city.edge(position.node_id, position.next_node_id)
        x2, y2 = city.coordinates[position.next_node_id]
        share = min(position.offset_m / edge.length_m, 1.0)
        x, y = x + (x2 - x) * share, y + (y2 - y) * share
        position.street = edge.street
    position.x_m, position.y_m = round(x, 1), round(y, 1)


def refresh_route(state: VehicleState, world: World) -> None:
    navigation = state.navigation
    if navigation.destination is None:
        navigation.route_nodes, navigation.distance_remaining_km = [], None
        navigation.eta_min, navigation.next_turn = None, None
        return
    plan = plan_route(world.city, navigation.position, waypoints(navigation))
    navigation.route_nodes = plan.nodes
    navigation.distance_remaining_km = round(plan.distance_m / 1000, 2)
    navigation.eta_min = round(plan.time_s / 60, 1)
    navigation.next_turn = next_turn(world.city, navigation.position, plan)


def _now_playing(state: VehicleState, world: World) -> NowPlaying | None:
    media = state.media
    if media.source in PLAYER_SOURCES:
        player = media.player(media.source)
        if player.current_track is None:
            return None
        track = world.library.tracks[player.current_track]
        return NowPlaying(source=media.source, title=track.title, artist=track.artist, album=track.album,
                          genre=track.genre, duration_s=track.duration_s, position_s=round(player.elapsed_s, 1))
    name = media.radio(media.source).station
    if name is None:
        return None
    station = world.library.station(name)
    return NowPlaying(source=media.source, title=station.name, station=station.name, genre=station.genre,
                      frequency=station.frequency_label)
