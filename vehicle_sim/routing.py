"""Routes on the city map: planning from the car's position through stops, the next turn, distances."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from vehicle_sim.citymap import CityMap
from vehicle_sim.state import Navigation, NextTurn, Position

_STRAIGHT_DEGREES = 30.0


@dataclass(frozen=True)
class RoutePlan:
    nodes: list[int]  # from the node the car is at or heading to, through every waypoint, to the last one
    distance_m: float
    time_s: float


def _head(city: CityMap, position: Position) -> tuple[int, float, float]:
    """The first node of any route (the one ahead), and the distance and time still to go to reach it."""
    if position.next_node_id is None:
        return position.node_id, 0.0, 0.0
    edge = city.edge(position.node_id, position.next_node_id)
    left = edge.length_m - position.offset_m
    return position.next_node_id, left, left / edge.length_m * edge.time_s


def distance_from(city: CityMap, position: Position, node_id: int) -> float:
    """Road distance in metres from the car to `node_id`."""
    head, left_m, _ = _head(city, position)
    return left_m + city.distances_from(head)[node_id]


def plan_route(city: CityMap, position: Position, waypoints: list[int]) -> RoutePlan:
    head, left_m, left_s = _head(city, position)
    nodes = [head]
    for waypoint in waypoints:
        nodes += city.shortest_path(nodes[-1], waypoint)[1:]
    return RoutePlan(nodes, left_m + city.path_length_m(nodes), left_s + city.path_time_s(nodes))


def _turn_direction(city: CityMap, before: int, at: int, after: int) -> str:
    (x0, y0), (x1, y1), (x2, y2) = (city.coordinates[n] for n in (before, at, after))
    heading_in = math.atan2(y1 - y0, x1 - x0)
    heading_out = math.atan2(y2 - y1, x2 - x1)
    angle = math.degrees((heading_out - heading_in + math.pi) % (2 * math.pi) - math.pi)
    if abs(angle) < _STRAIGHT_DEGREES:
        return "straight"
    return "left" if angle > 0 else "right"


def next_turn(city: CityMap, position: Position, plan: RoutePlan) -> NextTurn:
    """The first point on the route where the street changes, or the arrival when it never does."""
    nodes = plan.nodes
    _, distance, _ = _head(city, position)
    previous = position.node_id if position.next_node_id is not None else None
    street = city.edge(previous, nodes[0]).street if previous is not None else None
    for index, (at, after) in enumerate(pairwise(nodes)):
        edge = city.edge(at, after)
        before = previous if index == 0 else nodes[index - 1]
        if street is not None and before is not None and edge.street != street:
            return NextTurn(direction=_turn_direction(city, before, at, after), street=edge.street,
                            distance_m=round(distance, 1))
        street = edge.street
        distance += edge.length_m
    final_street = street or city.streets_at(nodes[-1])[0]
    return NextTurn(direction="arrive", street=final_street, distance_m=round(distance, 1))


def waypoints(navigation: Navigation) -> list[int]:
    """Nodes still to reach, in order: every stop, then the destination (empty without a route)."""
    if navigation.destination is None:
        return []
    return [stop.node_id for stop in navigation.stops] + [navigation.destination.node_id]
