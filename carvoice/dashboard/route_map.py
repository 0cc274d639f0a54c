"""A small map of the city in braille dots: the streets, the route still to drive, the car and the destination.

Each terminal cell holds 2 x 4 braille dots, which are about square, so the map keeps the city's proportions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from vehicle_sim.citymap import CityMap
from vehicle_sim.state import Navigation

BRAILLE_BLANK = 0x2800
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""The bit of each dot in a braille cell, by [row][column]."""
CAR_MARK = "●"
DESTINATION_MARK = "⚑"

MAP_PARTS = ("street", "route", "car", "destination")
"""The map's layers, bottom to top; each is styled by the CSS class `route-map--<part>`."""
MIN_SPAN_M = 1200.0
"""The smallest stretch of city the map shows, so a short route or a parked car still shows streets around."""
MARGIN = 0.15

Point = tuple[float, float]


@dataclass(frozen=True)
class MapStyles:
    street: Style
    route: Style
    car: Style
    destination: Style


class DotCanvas:
    """A grid of braille cells; dots are drawn in layers (0 streets, 1 route) and a cell takes its top layer's style."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.bits = [[0] * width for _ in range(height)]
        self.layer = [[-1] * width for _ in range(height)]
        self.marks: dict[tuple[int, int], tuple[str, int]] = {}

    def dot(self, x: float, y: float, layer: int) -> None:
        column, row = math.floor(x), math.floor(y)
        if not (0 <= column < self.width * 2 and 0 <= row < self.height * 4):
            return
        cell_x, cell_y = column // 2, row // 4
        self.bits[cell_y][cell_x] |= DOT_BITS[row % 4][column % 2]
        self.layer[cell_y][cell_x] = max(self.layer[cell_y][cell_x], layer)

    def line(self, start: Point, end: Point, layer: int) -> None:
        if not self._may_cross(start, end):
            return
        steps = max(1, math.ceil(math.dist(start, end) * 2))
        for step in range(steps + 1):
            share = step / steps
            self.dot(start[0] + (end[0] - start[0]) * share, start[1] + (end[1] - start[1]) * share, layer)

    def _may_cross(self, start: Point, end: Point) -> bool:
        """False when the segment's bounding box misses the canvas (most streets, when zoomed in)."""
        return (max(start[0], end[0]) >= 0 and min(start[0], end[0]) < self.width * 2
                and max(start[1], end[1]) >= 0 and min(start[1], end[1]) < self.height * 4)

    def mark(self, point: Point, character: str, layer: int) -> None:
        cell = (math.floor(point[0]) // 2, math.floor(point[1]) // 4)
        if 0 <= cell[0] < self.width and 0 <= cell[1] < self.height:
            self.marks[cell] = (character, layer)

    def to_text(self, layer_styles: list[Style]) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        for y in range(self.height):
            for x in range(self.width):
                if (x, y) in self.marks:
                    character, layer = self.marks[(x, y)]
                    text.append(character, layer_styles[layer])
                else:
                    layer = self.layer[y][x]
                    text.append(chr(BRAILLE_BLANK + self.bits[y][x]), layer_styles[layer] if layer >= 0 else None)
            if y < self.height - 1:
                text.append("\n")
        return text


class _Projection:
    """City metres to canvas dots, framing `points` (at least `MIN_SPAN_M` across): one scale for both axes,
    centred, north up."""

    def __init__(self, points: list[Point], dots_wide: int, dots_high: int) -> None:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        centre_x, centre_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        span_x = max(max(xs) - min(xs), MIN_SPAN_M) * (1 + MARGIN)
        span_y = max(max(ys) - min(ys), MIN_SPAN_M) * (1 + MARGIN)
        self.scale = min((dots_wide - 1) / span_x, (dots_high - 1) / span_y)
        self.left = centre_x - (dots_wide - 1) / 2 / self.scale
        self.top = centre_y + (dots_high - 1) / 2 / self.scale

    def __call__(self, x: float, y: float) -> Point:
        return ((x - self.left) * self.scale, (self.top - y) * self.scale)


def draw_route_map(city: CityMap, navigation: Navigation, width: int, height: int, styles: MapStyles) -> Text:
    """The streets around the car and the route still to drive, fitted into `width` x `height` cells."""
    canvas = DotCanvas(width, height)
    car_m = (navigation.position.x_m, navigation.position.y_m)
    project = _Projection([car_m] + [city.coordinates[node] for node in navigation.route_nodes], width * 2,
                          height * 4)
    node_point = {node: project(*xy) for node, xy in city.coordinates.items()}
    for street in city.streets.values():
        for a, b in pairwise(street.nodes):
            canvas.line(node_point[a], node_point[b], layer=0)
    car = project(*car_m)
    route = [car] + [node_point[node] for node in navigation.route_nodes]
    for start, end in pairwise(route):
        canvas.line(start, end, layer=1)
    if navigation.destination is not None:
        canvas.mark(node_point[navigation.destination.node_id], DESTINATION_MARK, layer=3)
    canvas.mark(car, CAR_MARK, layer=2)
    return canvas.to_text([styles.street, styles.route, styles.car, styles.destination])


class RouteMap(Widget):
    """The map widget: redraws at its own size whenever the navigation state changes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"route-map--{part}" for part in MAP_PARTS}

    def __init__(self, city: CityMap, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.city = city
        self.navigation = Navigation()

    def show(self, navigation: Navigation) -> None:
        if navigation != self.navigation:
            self.navigation = navigation
            self.refresh()

    def render(self) -> Text:
        styles = MapStyles(*(self.get_component_rich_style(f"route-map--{part}") for part in MAP_PARTS))
        return draw_route_map(self.city, self.navigation, max(self.size.width, 1), max(self.size.height, 1), styles)
