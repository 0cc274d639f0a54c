"""Turning what the driver asked for (an address, a POI, a category, a saved place) into a place on the map."""

from __future__ import annotations

import re
from collections.abc import Callable

from vehicle_sim.actions import PlaceTarget
from vehicle_sim.citymap import CityMap, PoiEntry
from vehicle_sim.rejection import NotFoundFacts, Rejected, not_found, require
from vehicle_sim.routing import distance_from
from vehicle_sim.state import Navigation, Place

_NUMBER_FIRST = re.compile(r"^\s*(\d+)\s*,?\s+(.+)$")
_NUMBER_LAST = re.compile(r"^(.+?)\s*,?\s+(?:number\s+)?(\d+)\s*$")


class HouseNumberFacts(NotFoundFacts):
    """The street exists but has no such number: the numbers it does have."""

    street: str
    lowest: int
    highest: int


def _split_address(text: str) -> tuple[str, int | None]:
    """'Maple Avenue 12', '12 Maple Avenue' or 'Maple Avenue' -> (street, house number or None)."""
    for pattern, street_group, number_group in ((_NUMBER_FIRST, 2, 1), (_NUMBER_LAST, 1, 2)):
        match = pattern.match(text)
        if match:
            return match.group(street_group), int(match.group(number_group))
    return text, None


def resolve_address(city: CityMap, text: str) -> Place:
    street_query, number = _split_address(text)
    street = city.streets[require(city.street_index.find(street_query), "street_not_found", "street", street_query)]
    if number is None:
        middle = street.nodes[len(street.nodes) // 2]
        return Place(name=street.name, kind="street", node_id=middle, address=street.name)
    for index, (first, last) in enumerate(street.house_numbers):
        if first <= number <= last:
            nearer_end = 1 if number - first > (last - first) / 2 else 0
            name = f"{street.name} {number}"
            return Place(name=name, kind="address", node_id=street.nodes[index + nearer_end], address=name)
    lowest, highest = street.house_numbers[0][0], street.house_numbers[-1][1]
    raise Rejected("not_found", "house_number_not_found",
                   f"{street.name} has numbers {lowest} to {highest}, not {number}",
                   HouseNumberFacts(query=text, street=street.name, lowest=lowest, highest=highest))


def _poi_place(poi: PoiEntry) -> Place:
    return Place(name=poi.name, kind="poi", node_id=poi.node, address=poi.address, category=poi.category)


def resolve_poi(city: CityMap, name: str) -> Place:
    return _poi_place(require(city.poi_index.find(name), "poi_not_found", "place", name))


def resolve_saved(city: CityMap, name: str) -> Place:
    saved = require(city.saved_index.find(name), "saved_place_not_found", "saved place", name)
    return Place(name=saved.name, kind="saved", node_id=saved.node, address=saved.address)


def resolve_category(city: CityMap, name: str, navigation: Navigation, along_route: bool) -> Place:
    """The nearest POI of a category by road; on the way (smallest detour) when asked and a route is active."""
    category = require(city.category_index.find(name), "category_not_found", "kind of place", name)
    candidates = sorted((poi for poi in city.pois if poi.category == category), key=lambda poi: poi.name)
    position = navigation.position

    def from_here(node_id: int) -> float:
        return distance_from(city, position, node_id)

    if not (along_route and navigation.destination is not None):
        return _poi_place(min(candidates, key=lambda poi: from_here(poi.node)))
    destination = navigation.destination.node_id
    # The new stop goes after the existing ones, so the detour is measured on the last leg.
    last_stop = navigation.stops[-1].node_id if navigation.stops else None

    def from_leg_start(node_id: int) -> float:
        return from_here(node_id) if last_stop is None else city.distances_from(last_stop)[node_id]

    def detour(poi: PoiEntry) -> float:
        return from_leg_start(poi.node) + city.distances_from(poi.node)[destination] - from_leg_start(destination)

    return _poi_place(min(candidates, key=detour))


def resolve_any(city: CityMap, text: str, navigation: Navigation) -> Place:
    """A name of unknown type: the first kind of place it matches, saved places first."""
    resolvers: list[Callable[[], Place]] = [
        lambda: resolve_saved(city, text),
        lambda: resolve_poi(city, text),
        lambda: resolve_category(city, text, navigation, along_route=False),
        lambda: resolve_address(city, text),
    ]
    suggestions: list[str] = []
    for resolve in resolvers:
        try:
            return resolve()
        except Rejected as rejection:
            if rejection.code == "house_number_not_found":
                raise
            if isinstance(rejection.facts, NotFoundFacts):
                suggestions += rejection.facts.suggestions
    raise not_found("place_not_found", "place", text, suggestions[:3])


def resolve(city: CityMap, target: PlaceTarget, navigation: Navigation) -> Place:
    if target.address is not None:
        return resolve_address(city, target.address)
    if target.poi is not None:
        return resolve_poi(city, target.poi)
    if target.category is not None:
        return resolve_category(city, target.category, navigation, target.along_route)
    if target.saved_place is not None:
        return resolve_saved(city, target.saved_place)
    return resolve_any(city, target.place or "", navigation)
