"""The head unit's panels: climate, media, navigation (with the route map) and the car itself."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from carvoice.dashboard.route_map import RouteMap
from carvoice.dashboard.state_panel import Piece, Row, StatePanel
from vehicle_sim.citymap import CityMap
from vehicle_sim.state import (
    FAN_MAX,
    VOLUME_MAX,
    Climate,
    Media,
    SetPoint,
    VehicleState,
)
from vehicle_sim.units import (
    TemperatureUnit,
    format_distance,
    format_temperature,
    km_to_miles,
)

TURN_ARROWS = {"left": "↰", "right": "↱", "straight": "↑", "arrive": "⚑"}
METER_CELLS = 10


def _on_off(name: str, on: bool) -> str:
    return f"{name} {'on' if on else 'off'}"


def _set_point(set_point: SetPoint, unit: TemperatureUnit) -> str:
    return set_point if isinstance(set_point, str) else format_temperature(set_point, unit)


def meter(value: float, maximum: float, cells: int = METER_CELLS, marks: str = "▮▯") -> str:
    """A level as filled and empty marks: `▮▮▮▯▯▯▯▯▯▯`."""
    filled = round(cells * min(max(value / maximum, 0.0), 1.0)) if maximum else 0
    return marks[0] * filled + marks[1] * (cells - filled)


def clock_time(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


class ClimatePanel(StatePanel):
    def rows(self, state: VehicleState) -> list[Row]:
        climate, unit = state.climate, state.settings.temperature_unit
        zones = [
            Row(name.capitalize(), (
                Piece(_set_point(climate.zone(name).set_point, unit).rjust(7), (f"climate.{name}.set_point",)),
                Piece(f"cabin {format_temperature(climate.zone(name).current_c, unit)}"),
            ))
            for name in ("driver", "passenger", "rear")
        ]
        if climate.sync:
            zones[0] = Row("Driver", (*zones[0].pieces, Piece("sync", ("climate.sync",))))
        air = Row("Air", (
            Piece(f"fan {'auto' if climate.fan_auto else f'{climate.fan_speed}/{FAN_MAX}'}", ("climate.fan_*",)),
            Piece(_on_off("A/C", climate.ac), ("climate.ac",)),
            Piece(_on_off("recirc", climate.recirculation), ("climate.recirculation",)),
        ))
        heat = Row("Heat", (
            Piece(f"defrost {_defrost(climate)}", ("climate.*_defrost",)),
            Piece(f"seats {_seats(climate)}", ("climate.seats.*",)),
            Piece(_on_off("wheel", climate.steering_wheel_heat), ("climate.steering_wheel_heat",)),
        ))
        return [*zones, air, heat]


def _defrost(climate: Climate) -> str:
    return "+".join(name for name, on in (("front", climate.front_defrost), ("rear", climate.rear_defrost)) if on) \
        or "off"


def _seats(climate: Climate) -> str:
    active = [f"{name.replace('_', ' ')} {'heat' if seat.heat else 'vent'} {seat.heat or seat.ventilation}"
              for name, seat in climate.seats if seat.heat or seat.ventilation]
    return ", ".join(active) or "off"


class MediaPanel(StatePanel):
    def rows(self, state: VehicleState) -> list[Row]:
        media = state.media
        playing = "▶ playing" if media.playing else "❚❚ paused"
        rows = [
            Row("Source", (Piece(media.source.upper(), ("media.source",)), Piece(playing, ("media.playing",)))),
            Row("Now", (Piece(_now_playing(media), ("media.now_playing.*", "media.sources.*")),)),
        ]
        now = media.now_playing
        if now is not None and now.duration_s:
            position = now.position_s or 0.0
            rows.append(Row("", (Piece(meter(position, now.duration_s, cells=16, marks="━─")),
                                 Piece(f"{clock_time(position)} / {clock_time(now.duration_s)}"))))
        volume = "muted" if media.muted else f"{meter(media.volume, VOLUME_MAX)} {media.volume}/{VOLUME_MAX}"
        rows.append(Row("Volume", (
            Piece(volume, ("media.volume", "media.muted")),
            Piece(_on_off("shuffle", media.shuffle), ("media.shuffle",)),
            Piece(f"repeat {media.repeat}", ("media.repeat",)),
        )))
        return rows


def _now_playing(media: Media) -> str:
    now = media.now_playing
    if now is None:
        return "nothing queued"
    if now.station:
        return f"{now.station} {now.frequency or ''}".strip()
    return f"{now.title} — {now.artist}" if now.artist else now.title


class NavigationSummary(StatePanel):
    def rows(self, state: VehicleState) -> list[Row]:
        navigation, unit = state.navigation, state.settings.distance_unit
        here = Row("On", (Piece(navigation.position.street or "—"),))
        if navigation.destination is None:
            return [Row("To", (Piece("no route", ("navigation.destination*",)),)), here]
        via = f" via {', '.join(stop.name for stop in navigation.stops)}" if navigation.stops else ""
        eta = f"{navigation.eta_min:.0f} min" if navigation.eta_min is not None else "—"
        rows = [
            Row("To", (Piece(navigation.destination.name + via, ("navigation.destination*", "navigation.stops")),)),
            Row("ETA", (Piece(eta, ("navigation.eta_min",)),
                        Piece(format_distance(navigation.distance_remaining_km or 0.0, unit),
                              ("navigation.distance_remaining_km",)))),
        ]
        turn = navigation.next_turn
        if turn is not None:
            rows.append(Row("Next", (Piece(f"{TURN_ARROWS[turn.direction]} {turn.direction} {turn.street}",
                                           ("navigation.next_turn*",)),
                                     Piece(f"{turn.distance_m:.0f} m"))))
        return [*rows, here]


class NavigationPanel(Horizontal):
    """The route in words beside the map."""

    def __init__(self, city: CityMap, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.city = city

    def compose(self) -> ComposeResult:
        yield NavigationSummary(id="navigation-summary")
        yield RouteMap(self.city, id="route-map")

    def show(self, state: VehicleState, changed_paths: Iterable[str] = ()) -> None:
        self.query_one(NavigationSummary).show(state, changed_paths)
        self.query_one(RouteMap).show(state.navigation)


class CarPanel(StatePanel):
    def rows(self, state: VehicleState) -> list[Row]:
        body, settings = state.vehicle, state.settings
        speed = km_to_miles(body.speed_kmh) if settings.distance_unit == "mi" else body.speed_kmh
        energy = "battery" if body.powertrain == "electric" else "fuel"
        return [Row("Gear", (
            Piece(f"{body.gear}", ("vehicle.gear",)),
            Piece(f"{speed:.0f} {'mph' if settings.distance_unit == 'mi' else 'km/h'}", ("vehicle.speed_kmh",)),
            Piece(f"{energy} {body.energy_pct:.0f} %"),
            Piece(f"range {format_distance(body.range_km, settings.distance_unit)}"),
        ))]


class VehiclePanels(Vertical):
    """All the car's panels, fed one state at a time."""

    def __init__(self, city: CityMap, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.city = city

    def compose(self) -> ComposeResult:
        for panel, title in ((ClimatePanel(id="climate"), "Climate"), (MediaPanel(id="media"), "Media"),
                             (NavigationPanel(self.city, id="navigation"), "Navigation"),
                             (CarPanel(id="car"), "Vehicle")):
            panel.border_title = title
            yield panel

    def show(self, state: VehicleState, changed_paths: Iterable[str] = ()) -> None:
        """Every panel shows `state`; a state that comes before the panels are mounted (models already loaded
        when the app starts, on a busy machine) is shown after the next refresh instead."""
        changed = tuple(changed_paths)
        panels = [*self.query(ClimatePanel), *self.query(MediaPanel), *self.query(NavigationPanel),
                  *self.query(CarPanel)]
        if len(panels) < 4:
            self.call_after_refresh(self.show, state, changed)
            return
        for panel in panels:
            panel.show(state, changed)
