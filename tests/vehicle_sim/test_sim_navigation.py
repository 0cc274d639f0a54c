"""Navigation: resolving places, shortest paths, stops, queries, and the car moving along the route."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from vehicle_sim import Vehicle
from vehicle_sim.routing import distance_from


def _bellman_ford(city, source: int) -> dict[int, float]:
    """A slow, obviously correct shortest-distance reference for Dijkstra."""
    distance = {node: math.inf for node in city.coordinates}
    distance[source] = 0.0
    for _ in range(len(distance)):
        for edges in city.adjacency.values():
            for edge in edges:
                distance[edge.end] = min(distance[edge.end], distance[edge.start] + edge.length_m)
    return distance


def test_dijkstra_matches_a_reference(world) -> None:
    city = world.city
    for source in (0, 77, 160):
        reference = _bellman_ford(city, source)
        found = city.distances_from(source)
        assert all(found[node] == pytest.approx(reference[node]) for node in city.coordinates)
        target = max(found, key=found.get)
        assert city.path_length_m(city.shortest_path(source, target)) == pytest.approx(found[target])


@pytest.mark.parametrize("spoken", ["Maple Avenue 12", "12 Maple Avenue", "maple avenue, number 12"])
def test_navigate_to_an_address(car: Vehicle, spoken: str) -> None:
    outcome = car.apply({"kind": "navigate_to", "address": spoken})
    assert outcome.status == "done"
    assert car.get("navigation.destination.name") == "Maple Avenue 12"
    assert outcome.facts.distance_km > 0 and outcome.facts.eta_min > 0


def test_a_street_without_number_goes_to_the_street(car: Vehicle) -> None:
    car.apply({"kind": "navigate_to", "address": "Lake Road"})
    assert car.get("navigation.destination.kind") == "street"


def test_a_house_number_beyond_the_street_is_not_found(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "address": "Harbour Quay 900"})
    assert outcome.status == "not_found" and outcome.code == "house_number_not_found"
    assert (outcome.facts.lowest, outcome.facts.highest) == (1, 60)


def test_unknown_street_suggests_near_names(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "address": "Mapel Avenoo Street 3"})
    assert outcome.status == "not_found" and outcome.code == "street_not_found"
    assert "Maple Avenue" in outcome.facts.suggestions


def test_navigate_to_a_poi_by_name(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "poi": "saint marys hospital"})
    assert car.get("navigation.destination.name") == "Saint Mary's Hospital"
    assert outcome.facts.category == "hospital"


def test_unknown_poi_suggests_near_names(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "poi": "North Stadium"})
    assert outcome.status == "not_found" and outcome.code == "poi_not_found"
    assert "North Station" in outcome.facts.suggestions


@pytest.mark.parametrize("spoken", ["grand hotel plaza", "Central Stadion", "luigis trattoria"])
def test_poi_names_are_matched_tolerantly(car: Vehicle, spoken: str) -> None:
    assert car.apply({"kind": "navigate_to", "poi": spoken}).status == "done"


@pytest.mark.parametrize("category", ["charger", "EV charging", "charging stations", "gas station", "cafe"])
def test_nearest_of_a_category_is_nearest_by_road(car: Vehicle, world, category: str) -> None:
    car.apply({"kind": "navigate_to", "category": category})
    wanted = car.get("navigation.destination.category")
    position = car.snapshot().navigation.position
    best = min(distance_from(world.city, position, poi.node) for poi in world.city.pois if poi.category == wanted)
    assert car.get("navigation.distance_remaining_km") == pytest.approx(best / 1000, abs=0.01)


def test_unknown_category_is_not_found(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "category": "casino"})
    assert outcome.status == "not_found" and outcome.code == "category_not_found"


@pytest.mark.parametrize(("saved", "name"), [("home", "Home"), ("work", "Work"), ("grandmas house", "Grandma's House")])
def test_saved_places(saved: str, name: str) -> None:
    car = Vehicle(seed=1, overrides={"navigation": {"position": {"node_id": 0}}})
    car.apply({"kind": "navigate_to", "saved_place": saved})
    assert car.get("navigation.destination.name") == name


def test_already_at_the_place(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "saved_place": "home"})
    assert outcome.status == "no_change" and outcome.code == "already_there"


@pytest.mark.parametrize(("place", "kind"), [("work", "saved"), ("Fresh Market", "poi"), ("pharmacy", "poi"),
                                             ("Oak Street 40", "address")])
def test_a_place_of_unknown_type(car: Vehicle, place: str, kind: str) -> None:
    assert car.apply({"kind": "navigate_to", "place": place}).status == "done"
    assert car.get("navigation.destination.kind") == kind


def test_add_stop_needs_a_route(car: Vehicle) -> None:
    outcome = car.apply({"kind": "add_stop", "category": "coffee"})
    assert outcome.status == "refused" and outcome.code == "no_active_route"


def test_a_stop_on_the_way_has_the_smallest_detour(car: Vehicle, world) -> None:
    city = world.city
    car.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    before_km = car.get("navigation.distance_remaining_km")
    outcome = car.apply({"kind": "navigate_to", "category": "coffee", "along_route": True})
    assert car.get("navigation.destination.name") == "Brookfield Airport"
    assert car.get("navigation.stops.0.category") == "coffee"
    position = car.snapshot().navigation.position
    airport = car.get("navigation.destination.node_id")

    def detour(node: int) -> float:
        return distance_from(city, position, node) + city.distances_from(node)[airport]

    best = min(detour(poi.node) for poi in city.pois if poi.category == "coffee")
    assert car.get("navigation.distance_remaining_km") == pytest.approx(best / 1000, abs=0.01)
    assert outcome.facts.added_km == pytest.approx(car.get("navigation.distance_remaining_km") - before_km, abs=0.02)


def test_a_stop_already_on_the_route_is_no_change(car: Vehicle) -> None:
    car.apply({"kind": "navigate_to", "poi": "Central Station"})
    outcome = car.apply({"kind": "add_stop", "poi": "Central Station"})
    assert outcome.status == "no_change" and outcome.code == "already_on_route"


def test_cancel_route(car: Vehicle) -> None:
    assert car.apply({"kind": "cancel_route"}).code == "no_active_route"
    car.apply({"kind": "navigate_to", "poi": "City Museum"})
    outcome = car.apply({"kind": "cancel_route"})
    assert outcome.status == "done" and outcome.facts.cancelled == "City Museum"
    assert car.get("navigation.destination") is None and car.get("navigation.route_nodes") == []


@pytest.mark.parametrize("kind", ["query_eta", "query_distance", "query_next_turn"])
def test_route_queries(car: Vehicle, kind: str) -> None:
    assert car.apply({"kind": kind}).code == "no_active_route"
    car.apply({"kind": "navigate_to", "poi": "Central Station"})
    outcome = car.apply({"kind": kind})
    assert outcome.status == "done" and outcome.changes == []
    assert outcome.facts.eta_min == car.get("navigation.eta_min")
    assert outcome.facts.distance_km == car.get("navigation.distance_remaining_km")
    assert outcome.facts.next_turn.direction in {"left", "right", "straight", "arrive"}


def test_next_turn_is_where_the_street_changes(car: Vehicle, world) -> None:
    car.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    state = car.snapshot().navigation
    nodes, turn = state.route_nodes, state.next_turn
    streets = [world.city.edge(a, b).street for a, b in pairwise(nodes)]
    assert turn.street == next(street for street in streets if street != streets[0])
    assert 0 < turn.distance_m < state.distance_remaining_km * 1000


def test_driving_along_the_route(car: Vehicle, assert_sound) -> None:
    outcome = car.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    total_km, eta = outcome.facts.distance_km, outcome.facts.eta_min
    car.tick(60)
    assert car.get("vehicle.driving_state") == "driving" and car.get("vehicle.gear") == "D"
    assert car.get("navigation.distance_remaining_km") < total_km
    assert car.get("navigation.eta_min") == pytest.approx(eta - 1, abs=0.1)
    assert_sound(car)
    car.tick(eta * 60)
    assert car.get("navigation.destination") is None
    assert car.get("navigation.last_arrival.name") == "Brookfield Airport"
    assert car.get("vehicle.odometer_km") == pytest.approx(12480 + total_km, abs=0.01)
    assert car.get("vehicle.driving_state") == "parked"


def test_small_and_large_ticks_reach_the_same_place(car: Vehicle) -> None:
    other = Vehicle(seed=7)
    for vehicle in (car, other):
        vehicle.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    car.tick(200)
    for _ in range(40):
        other.tick(5)
    for path in ("navigation.position.node_id", "navigation.position.next_node_id", "vehicle.odometer_km"):
        assert car.get(path) == pytest.approx(other.get(path))


def test_stops_are_passed_in_order(car: Vehicle) -> None:
    car.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    car.apply({"kind": "add_stop", "poi": "City Museum"})
    kinds = [(entry.kind, entry.facts.get("place")) for entry in car.tick(3600)]
    assert kinds == [("stop_reached", "City Museum"), ("arrived", "Brookfield Airport")]


@pytest.mark.parametrize("kind", ["query_eta", "query_distance"])
def test_a_question_about_a_place_answers_without_touching_the_route(car: Vehicle, kind: str) -> None:
    car.apply({"kind": "navigate_to", "poi": "Central Station"})
    before = car.snapshot().navigation
    outcome = car.apply({"kind": kind, "place": "City Museum"})
    assert outcome.status == "done" and outcome.facts.place == "City Museum"
    assert outcome.facts.distance_km > 0 and outcome.facts.eta_min > 0
    assert car.snapshot().navigation == before


def test_a_question_about_the_nearest_of_a_category_works_without_a_route(car: Vehicle) -> None:
    outcome = car.apply({"kind": "query_distance", "category": "pharmacy"})
    assert outcome.status == "done" and outcome.facts.category == "pharmacy"
    assert car.snapshot().navigation.destination is None
