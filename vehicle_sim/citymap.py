"""The offline city map: a street graph with house numbers, POIs and saved places, and Dijkstra over it."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vehicle_sim.data_files import DATA_DIR, load_model
from vehicle_sim.errors import DataFileError
from vehicle_sim.matching import NameIndex


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NodeEntry(_Strict):
    id: int = Field(ge=0)
    x: float
    y: float


class StreetEntry(_Strict):
    name: str = Field(min_length=1)
    speed_kmh: int = Field(gt=0, le=130)
    nodes: list[int] = Field(min_length=2)
    house_numbers: list[tuple[int, int]] = Field(description="one [first, last] range per segment")

    @model_validator(mode="after")
    def _one_range_per_segment(self) -> StreetEntry:
        if len(self.house_numbers) != len(self.nodes) - 1:
            raise ValueError(f"street {self.name!r} has {len(self.nodes) - 1} segments "
                             f"but {len(self.house_numbers)} house-number ranges")
        if any(first > last for first, last in self.house_numbers):
            raise ValueError(f"street {self.name!r} has a house-number range that runs backwards")
        if any(a == b for a, b in pairwise(self.nodes)):
            raise ValueError(f"street {self.name!r} repeats a node in a row")
        return self


class PlaceEntry(_Strict):
    name: str = Field(min_length=1)
    node: int
    address: str


class PoiEntry(PlaceEntry):
    category: str


class SavedPlaces(_Strict):
    home: PlaceEntry
    work: PlaceEntry
    favourites: list[PlaceEntry] = []

    def all(self) -> list[tuple[str, PlaceEntry]]:
        """(label, place): "home", "work", then each favourite under its own name."""
        return [("home", self.home), ("work", self.work)] + [(place.name, place) for place in self.favourites]


class CityFile(_Strict):
    """The layout of `city.json` (written by `make_city.py`)."""

    name: str
    nodes: list[NodeEntry] = Field(min_length=2)
    streets: list[StreetEntry] = Field(min_length=1)
    categories: dict[str, list[str]]
    pois: list[PoiEntry]
    saved_places: SavedPlaces

    @model_validator(mode="after")
    def _references_resolve(self) -> CityFile:
        if [node.id for node in self.nodes] != list(range(len(self.nodes))):
            raise ValueError("nodes must be numbered 0, 1, 2, ... in order")
        places = [*self.pois, *(place for _, place in self.saved_places.all())]
        for owner, node_ids in [(f"street {s.name!r}", s.nodes) for s in self.streets] + \
                               [(f"place {p.name!r}", [p.node]) for p in places]:
            unknown = [n for n in node_ids if not 0 <= n < len(self.nodes)]
            if unknown:
                raise ValueError(f"{owner} refers to unknown node(s) {unknown}")
        for poi in self.pois:
            if poi.category not in self.categories:
                raise ValueError(f"POI {poi.name!r} has the unknown category {poi.category!r}")
        return self


@dataclass(frozen=True)
class Edge:
    """One direction of a street segment between two neighbouring nodes."""

    start: int
    end: int
    street: str
    length_m: float
    speed_kmh: int

    @property
    def time_s(self) -> float:
        return self.length_m / (self.speed_kmh / 3.6)


class CityMap:
    """The road graph and the places on it. Immutable once built, so it is safe to share between threads."""

    def __init__(self, data: CityFile):
        self.name = data.name
        self.coordinates = {node.id: (node.x, node.y) for node in data.nodes}
        self.streets = {street.name: street for street in data.streets}
        self.categories = data.categories
        self.pois = data.pois
        self.saved_places = data.saved_places
        self.adjacency: dict[int, list[Edge]] = {node_id: [] for node_id in self.coordinates}
        self._shortest_from: dict[int, tuple[dict[int, float], dict[int, int]]] = {}
        for street in data.streets:
            for a, b in pairwise(street.nodes):
                length = math.dist(self.coordinates[a], self.coordinates[b])
                self.adjacency[a].append(Edge(a, b, street.name, length, street.speed_kmh))
                self.adjacency[b].append(Edge(b, a, street.name, length, street.speed_kmh))
        unreachable = set(self.coordinates) - set(self.distances_from(0))
        if unreachable:
            raise ValueError(f"the road graph is not connected: nodes {sorted(unreachable)[:10]} cannot be reached")

    def edge(self, start: int, end: int) -> Edge:
        return next(edge for edge in self.adjacency[start] if edge.end == end)

    def streets_at(self, node_id: int) -> list[str]:
        return sorted({edge.street for edge in self.adjacency[node_id]})

    def _dijkstra(self, source: int) -> tuple[dict[int, float], dict[int, int]]:
        """Distances and predecessors from `source`, computed once per source (the map never changes)."""
        if source not in self._shortest_from:
            self._shortest_from[source] = self._search(source)
        return self._shortest_from[source]

    def _search(self, source: int) -> tuple[dict[int, float], dict[int, int]]:
        distance = {source: 0.0}
        previous: dict[int, int] = {}
        heap = [(0.0, source)]
        settled: set[int] = set()
        while heap:
            dist, node = heapq.heappop(heap)
            if node in settled:
                continue
            settled.add(node)
            for edge in self.adjacency[node]:
                candidate = dist + edge.length_m
                if candidate < distance.get(edge.end, math.inf):
                    distance[edge.end] = candidate
                    previous[edge.end] = node
                    heapq.heappush(heap, (candidate, edge.end))
        return distance, previous

    def distances_from(self, source: int) -> dict[int, float]:
        """Shortest road distance in metres from `source` to every node."""
        return self._dijkstra(source)[0]

    def shortest_path(self, source: int, target: int) -> list[int]:
        """Nodes from `source` to `target` inclusive along the shortest road route."""
        previous = self._dijkstra(source)[1]
        path = [target]
        while path[-1] != source:
            path.append(previous[path[-1]])
        return path[::-1]

    def path_length_m(self, path: list[int]) -> float:
        return sum(self.edge(a, b).length_m for a, b in pairwise(path))

    def path_time_s(self, path: list[int]) -> float:
        return sum(self.edge(a, b).time_s for a, b in pairwise(path))

    @cached_property
    def street_index(self) -> NameIndex[str]:
        return NameIndex((name, name) for name in self.streets)

    @cached_property
    def poi_index(self) -> NameIndex[PoiEntry]:
        return NameIndex((poi.name, poi) for poi in self.pois)

    @cached_property
    def category_index(self) -> NameIndex[str]:
        aliases = [(alias, category) for category, names in self.categories.items() for alias in names]
        return NameIndex([(category.replace("_", " "), category) for category in self.categories] + aliases)

    @cached_property
    def saved_index(self) -> NameIndex[PlaceEntry]:
        return NameIndex(self.saved_places.all())


def load_city(path: Path = DATA_DIR / "city.json") -> CityMap:
    data = load_model(path, CityFile)
    try:
        return CityMap(data)
    except ValueError as error:
        raise DataFileError(f"{path}: {error}") from error
