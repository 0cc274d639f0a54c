"""Generate `city.json`, the offline map of Brookfield, a small fictional city.

Run `python -m vehicle_sim.data.make_city` to regenerate it; the output is deterministic (fixed seed),
so the committed file only changes when this script does.

The map is a street graph: a jittered grid of named streets (every street is a run of consecutive nodes,
crossings share a node), a diagonal road, a dead-end quay and an expressway out to the airport.
Every street segment carries a house-number range; POIs and saved places sit on nodes.
"""

from __future__ import annotations

import json
import math
import random
from itertools import pairwise
from pathlib import Path

SEED = 2024
COLS = 13
ROWS = 12
SEGMENT_HOUSE_NUMBERS = 20
OUTPUT = Path(__file__).with_name("city.json")

ROW_STREETS = [  # south to north, each runs west to east
    "Harbour Street", "Mill Lane", "Church Street", "Maple Avenue", "King Street", "Station Road",
    "Queen Street", "Park Avenue", "Oak Street", "Elm Street", "Hill Road", "North Road",
]
COLUMN_STREETS = [  # west to east, each runs south to north
    "West Street", "Cedar Lane", "Bridge Street", "Market Street", "Birch Avenue", "High Street",
    "Garden Road", "Victoria Road", "Willow Lane", "Chestnut Avenue", "Castle Street", "Lake Road",
    "East Street",
]
MAIN_ROADS = {"Maple Avenue", "Station Road", "Oak Street", "Market Street", "Victoria Road", "Castle Street"}

CATEGORIES = {
    "fuel": ["fuel", "gas station", "petrol station", "gas", "petrol", "filling station", "fuel station"],
    "ev_charging": ["ev charging", "charger", "charging station", "charging point", "electric charging",
                    "ev charger", "fast charger"],
    "parking": ["parking", "car park", "parking garage", "parking lot", "place to park"],
    "restaurant": ["restaurant", "food", "place to eat", "dinner", "lunch"],
    "coffee": ["coffee", "cafe", "coffee shop", "coffee place", "coffee house"],
    "hospital": ["hospital", "emergency room", "clinic"],
    "pharmacy": ["pharmacy", "chemist", "drugstore"],
    "supermarket": ["supermarket", "grocery store", "groceries", "food shop"],
    "hotel": ["hotel", "motel", "place to stay"],
    "train_station": ["train station", "railway station", "station"],
    "airport": ["airport"],
    "museum": ["museum"],
    "park": ["park", "garden"],
    "cinema": ["cinema", "movie theater", "movies"],
    "gym": ["gym", "fitness centre"],
    "school": ["school"],
    "post_office": ["post office"],
    "police": ["police station", "police"],
    "library": ["library"],
}

POIS = {
    "fuel": ["Northside Fuel", "Harbour Gas Station", "Quick Fill Petrol", "Bridge Street Fuel Stop"],
    "ev_charging": ["Volt Hub Market Square", "Green Charge Station", "City Hall Chargers",
                    "Riverside Charging Point", "Airport Fast Charger", "Lakeside Supercharger"],
    "parking": ["Central Car Park", "Station Parking Garage", "Market Square Parking", "Harbour Car Park",
                "Hospital Parking", "Old Town Parking"],
    "restaurant": ["The Golden Fork", "Luigi's Trattoria", "Blue Lagoon Seafood", "Bombay Palace", "Sakura Sushi",
                   "The Hungry Bear Grill", "Casa Miguel", "The Old Mill Restaurant", "Green Garden Kitchen",
                   "Dragon Pearl"],
    "coffee": ["Green Bean Coffee", "Morning Cup", "Cafe Aroma", "The Daily Grind", "Bean There Cafe",
               "Harbour Coffee House", "Espresso Corner", "Maple Leaf Cafe"],
    "hospital": ["Saint Mary's Hospital", "Brookfield General Hospital"],
    "pharmacy": ["City Pharmacy", "Wellbeing Chemist", "Harbour Pharmacy", "Night and Day Pharmacy"],
    "supermarket": ["Fresh Market", "Value Foods", "Green Grocer Supermarket", "Corner Supermarket", "Daily Fresh"],
    "hotel": ["Grand Plaza Hotel", "Harbour View Hotel", "Station Inn", "Parkside Hotel"],
    "train_station": ["Central Station", "North Station"],
    "museum": ["City Museum", "Maritime Museum", "Science Centre"],
    "park": ["City Park", "Riverside Park", "Botanical Garden"],
    "cinema": ["Starlight Cinema", "Grand Cinema"],
    "gym": ["Fit Zone Gym", "Power House Gym"],
    "school": ["Brookfield High School", "Oakwood Primary School"],
    "post_office": ["Main Post Office"],
    "police": ["Central Police Station"],
    "library": ["Public Library"],
}


def _axis(rng: random.Random, count: int) -> list[float]:
    """Positions along one axis, in metres, with irregular block sizes."""
    positions = [0.0]
    for _ in range(count - 1):
        positions.append(positions[-1] + rng.uniform(220.0, 380.0))
    return positions


def _grid_nodes(rng: random.Random) -> list[dict]:
    xs, ys = _axis(rng, COLS), _axis(rng, ROWS)
    return [
        {"id": row * COLS + col, "x": round(xs[col] + rng.uniform(-15, 15), 1),
         "y": round(ys[row] + rng.uniform(-15, 15), 1)}
        for row in range(ROWS) for col in range(COLS)
    ]


def _grid_id(row: int, col: int) -> int:
    return row * COLS + col


def _street(name: str, nodes: list[int], speed_kmh: int) -> dict:
    ranges = [[i * SEGMENT_HOUSE_NUMBERS + 1, (i + 1) * SEGMENT_HOUSE_NUMBERS] for i in range(len(nodes) - 1)]
    return {"name": name, "speed_kmh": speed_kmh, "nodes": nodes, "house_numbers": ranges}


def _extend(nodes: list[dict], start: int, step: tuple[float, float], count: int) -> list[int]:
    """Append `count` nodes in a straight line from node `start`; return the new street's node ids."""
    origin = nodes[start]
    ids = [start]
    for i in range(1, count + 1):
        new_id = len(nodes)
        nodes.append({"id": new_id, "x": round(origin["x"] + step[0] * i, 1),
                      "y": round(origin["y"] + step[1] * i, 1)})
        ids.append(new_id)
    return ids


def _streets(nodes: list[dict]) -> list[dict]:
    def speed(name: str) -> int:
        return 50 if name in MAIN_ROADS else 30

    streets = [_street(name, [_grid_id(row, c) for c in range(COLS)], speed(name))
               for row, name in enumerate(ROW_STREETS)]
    streets += [_street(name, [_grid_id(r, col) for r in range(ROWS)], speed(name))
                for col, name in enumerate(COLUMN_STREETS)]
    streets.append(_street("Harbour Road", [_grid_id(k, k) for k in range(ROWS)], 50))
    streets.append(_street("Harbour Quay", _extend(nodes, _grid_id(0, 6), (0.0, -210.0), 3), 30))
    streets.append(_street("Airport Expressway", _extend(nodes, _grid_id(5, COLS - 1), (820.0, 60.0), 6), 90))
    return streets


def _house_number(streets: list[dict], node_id: int) -> str:
    """The address of a node: the first street through it and the house number where that street reaches it."""
    for street in streets:
        if node_id in street["nodes"]:
            index = street["nodes"].index(node_id)
            ranges = street["house_numbers"]
            number = ranges[index][0] if index < len(ranges) else ranges[-1][1]
            return f"{street['name']} {number}"
    raise ValueError(f"node {node_id} is on no street")


def _pois(rng: random.Random, streets: list[dict], nodes: list[dict]) -> list[dict]:
    fixed = {"Central Station": _grid_id(6, 6), "Harbour Car Park": streets[-2]["nodes"][-1],
             "Maritime Museum": streets[-2]["nodes"][-2], "Airport Fast Charger": streets[-1]["nodes"][-2]}
    grid_ids = [node["id"] for node in nodes[: ROWS * COLS]]
    pois = []
    for category, names in POIS.items():
        for name in names:
            node_id = fixed.get(name, rng.choice(grid_ids))
            pois.append({"name": name, "category": category, "node": node_id,
                         "address": _house_number(streets, node_id)})
    airport = streets[-1]["nodes"][-1]
    pois.append({"name": "Brookfield Airport", "category": "airport", "node": airport,
                 "address": _house_number(streets, airport)})
    return pois


def _saved_places(streets: list[dict]) -> dict:
    def place(name: str, node_id: int) -> dict:
        return {"name": name, "node": node_id, "address": _house_number(streets, node_id)}

    return {
        "home": place("Home", _grid_id(9, 2)),
        "work": place("Work", _grid_id(4, 9)),
        "favourites": [place("Grandma's House", _grid_id(2, 11)), place("Tennis Club", _grid_id(10, 8)),
                       place("Football Ground", _grid_id(1, 4))],
    }


def build_city() -> dict:
    rng = random.Random(SEED)
    nodes = _grid_nodes(rng)
    streets = _streets(nodes)
    return {
        "name": "Brookfield",
        "nodes": nodes,
        "streets": streets,
        "categories": CATEGORIES,
        "pois": _pois(rng, streets, nodes),
        "saved_places": _saved_places(streets),
    }


def _to_json(city: dict) -> str:
    """Pretty JSON with one node, street or POI per line, so diffs of the committed file stay readable."""
    def value(item: object) -> str:
        if isinstance(item, list) and item and isinstance(item[0], dict):
            return "[\n  " + ",\n  ".join(json.dumps(element) for element in item) + "\n ]"
        return json.dumps(item)

    return "{\n" + ",\n".join(f" {json.dumps(key)}: {value(item)}" for key, item in city.items()) + "\n}\n"


def main() -> None:
    city = build_city()
    OUTPUT.write_text(_to_json(city), encoding="utf-8")
    length_km = sum(
        math.dist((city["nodes"][a]["x"], city["nodes"][a]["y"]), (city["nodes"][b]["x"], city["nodes"][b]["y"]))
        for street in city["streets"] for a, b in pairwise(street["nodes"])
    ) / 1000
    print(f"wrote {OUTPUT}: {len(city['nodes'])} nodes, {len(city['streets'])} streets, "
          f"{len(city['pois'])} POIs, {length_km:.1f} km of road")


if __name__ == "__main__":
    main()
