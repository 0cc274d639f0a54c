"""Checks that need the world as well as the state: the car is on a real road, names refer to real things.

The pydantic validators in `state.py` hold the rules that need only the state; `violations` adds these.
Tests run it after every step; a UI or a long-running harness may call it as a health check.
"""

from __future__ import annotations

from itertools import pairwise

from vehicle_sim.derived import refresh
from vehicle_sim.state import PLAYER_SOURCES, RADIO_SOURCES, VehicleState
from vehicle_sim.world import World


def _position_problems(state: VehicleState, world: World) -> list[str]:
    position, city = state.navigation.position, world.city
    if position.node_id not in city.coordinates:
        return [f"position node {position.node_id} is not on the map"]
    if position.next_node_id is None:
        return []
    ahead = {edge.end: edge for edge in city.adjacency[position.node_id]}
    if position.next_node_id not in ahead:
        return [f"no road from node {position.node_id} to {position.next_node_id}"]
    if position.offset_m > ahead[position.next_node_id].length_m:
        return ["position offset is longer than its road segment"]
    return []


def _route_problems(state: VehicleState, world: World) -> list[str]:
    navigation, city = state.navigation, world.city
    if navigation.destination is None:
        return ["a route without a destination"] if navigation.route_nodes else []
    nodes = navigation.route_nodes
    problems = [f"route has no road from {a} to {b}" for a, b in pairwise(nodes)
                if b not in {edge.end for edge in city.adjacency[a]}]
    if not nodes or nodes[-1] != navigation.destination.node_id:
        problems.append("route does not end at the destination")
    return problems


def _media_problems(state: VehicleState, world: World) -> list[str]:
    library, sources = world.library, state.media.sources
    problems = [f"{source} is tuned to unknown station {getattr(sources, source).station!r}"
                for source in RADIO_SOURCES
                if getattr(sources, source).station not in {None, *(s.name for s in library.stations)}]
    for source in PLAYER_SOURCES:
        player = getattr(sources, source)
        problems += [f"{source} queue holds unknown track {track!r}"
                     for track in player.tracks if track not in library.tracks]
        current = player.current_track
        if current in library.tracks and player.elapsed_s > library.tracks[current].duration_s:
            problems.append(f"{source} is past the end of its track")
    return problems


def _derived_problems(state: VehicleState, world: World) -> list[str]:
    fresh = state.model_copy(deep=True)
    refresh(fresh, world)
    return [] if fresh == state else ["derived fields are out of date"]


def violations(state: VehicleState, world: World) -> list[str]:
    """Every broken invariant, as sentences; empty when the state is sound."""
    try:
        VehicleState.model_validate(state.model_dump())
    except ValueError as error:
        return [f"state does not validate: {error}"]
    return (_position_problems(state, world) + _route_problems(state, world) + _media_problems(state, world)
            + _derived_problems(state, world))
