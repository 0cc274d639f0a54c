"""What the car did in one step of a turn, in words a driver reads at a glance, and how it went.

    from carvoice.dashboard.change_words import describe_step
    step = describe_step(outcome)       # a vehicle_sim Outcome; units=VehicleState.settings for °F / miles
    step.result.mark, step.words        # ('✓', 'fan 3'), ('✓', 'route to Central Station, 4 min, 2.1 km'),
                                        # ('⚠', "query ETA: no active route"), ('✗', 'set sunroof: ...')

The words come from the step's changes, grouped by what they are about (a whole route is one phrase, a fan
level and its auto switch are one "fan 3"); the car's own bookkeeping (the route's nodes, the queue's order)
is left out. A step is marked done only when the car really did it: a question it could not answer is a
failure even though the car reports it as done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from carvoice.dialog.spoken import join, name
from vehicle_sim import Outcome, format_distance, format_temperature, km_to_miles
from vehicle_sim.outcome import Facts, NoFacts
from vehicle_sim.paths import flatten, matches
from vehicle_sim.state import VOLUME_MAX, Settings, set_point_celsius

QUERY_PREFIX = "query_"
WORD_CASES = {"eta": "ETA", "ac": "A/C", "fm": "FM", "am": "AM", "dab": "DAB", "usb": "USB"}


class StepResult(Enum):
    """How one step went: (mark, the conversation's style part for it)."""

    DONE = ("✓", "done")
    UNCHANGED = ("=", "done")
    ASKING = ("…", "refused")
    NOT_FOUND = ("?", "refused")
    REFUSED = ("✗", "refused")
    FAILED = ("⚠", "error")

    @property
    def mark(self) -> str:
        return self.value[0]

    @property
    def style_part(self) -> str:
        return self.value[1]


STATUS_RESULTS = {"done": StepResult.DONE, "no_change": StepResult.UNCHANGED, "needs_confirmation": StepResult.ASKING,
                  "not_found": StepResult.NOT_FOUND, "refused": StepResult.REFUSED}


@dataclass(frozen=True)
class Step:
    result: StepResult
    words: str


def step_result(outcome: Outcome) -> StepResult:
    """The car reports a question it could not answer (no route to time) as done, with a reason code."""
    if outcome.status == "done" and outcome.action.kind.startswith(QUERY_PREFIX) and outcome.code:
        return StepResult.FAILED
    return STATUS_RESULTS[outcome.status]


def describe_step(outcome: Outcome, units: Settings | None = None) -> Step:
    result = step_result(outcome)
    action = humanised(outcome.action.kind)
    if result is not StepResult.DONE:
        return Step(result, f"{action}: {humanised(outcome.code or outcome.status)}")
    if outcome.action.kind.startswith(QUERY_PREFIX):
        return Step(result, f"{humanised(outcome.action.kind.removeprefix(QUERY_PREFIX))} answered")
    phrases = change_words(outcome, units or Settings())
    words = ", ".join(phrases) if phrases else f"{action} done"
    if outcome.action.kind == "undo":
        words = f"undone: {words}"
    if outcome.clamped and outcome.code:
        words += f" (limited: {humanised(outcome.code)})"
    return Step(result, words)


def humanised(identifier: str) -> str:
    """`query_eta` -> `query ETA`, `sunroof_unsafe_at_speed` -> `sunroof unsafe at speed`."""
    return " ".join(WORD_CASES.get(word, word) for word in identifier.split("_"))


# -- the changes in words ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diff:
    """Changed leaf values by dotted path, before and after, with the step's facts for what did not change
    (a fan switched from auto to manual keeps its level, which the driver still wants to read)."""

    before: dict[str, Any]
    after: dict[str, Any]
    facts: Facts = field(default_factory=NoFacts)
    units: Settings = field(default_factory=Settings)

    def new(self, path: str, fact: str = "") -> Any:
        return self.after[path] if path in self.after else self.facts.get(fact)

    def only(self, patterns: tuple[str, ...]) -> Diff:
        keep = [path for path in self.after if any(matches(path, pattern) for pattern in patterns)]
        return Diff({path: self.before[path] for path in keep}, {path: self.after[path] for path in keep},
                    self.facts, self.units)


def leaf_diff(outcome: Outcome, units: Settings) -> Diff:
    """A change of a whole sub-tree (a new destination, now playing from nothing) as one change per new leaf;
    a sub-tree set to nothing stays one change to None."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for change in outcome.changes:
        old = flatten(change.before, change.path) if isinstance(change.before, dict) else {change.path: change.before}
        new = flatten(change.after, change.path) if isinstance(change.after, dict) else {change.path: change.after}
        after.update(new)
        before.update({path: old.get(path) for path in new})
    return Diff(before, after, outcome.facts, units)


def change_words(outcome: Outcome, units: Settings) -> list[str]:
    """Each topic's phrase for the paths it explains; a path no topic knows is named as it is."""
    diff = leaf_diff(outcome, units)
    phrases: list[str] = []
    explained: set[str] = set()
    for topic in TOPICS:
        part = diff.only(topic.paths)
        if part.after:
            phrases += topic.words(part)
            explained |= part.after.keys()
    unknown = [path for path in sorted(diff.after) if path not in explained
               and not any(matches(path, pattern) for pattern in BOOKKEEPING)]
    return phrases + [f"{humanised(path.partition('.')[2]).replace('.', ' ')} {_plain(diff.after[path])}"
                      for path in unknown]


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return "none" if value is None else str(value)


@dataclass(frozen=True)
class Topic:
    paths: tuple[str, ...]
    """Globs of the state paths this topic puts in words."""
    words: Callable[[Diff], Iterable[str]]


SWITCHES = {
    "climate.ac": ("A/C on", "A/C off"), "climate.recirculation": ("recirculation on", "recirculation off"),
    "climate.front_defrost": ("front defrost on", "front defrost off"),
    "climate.rear_defrost": ("rear defrost on", "rear defrost off"),
    "climate.steering_wheel_heat": ("steering wheel heat on", "steering wheel heat off"),
    "climate.sync": ("zones synced", "zones unsynced"), "media.muted": ("muted", "unmuted"),
    "media.shuffle": ("shuffle on", "shuffle off"),
    "vehicle.doors_locked": ("doors locked", "doors unlocked"),
}
BOOKKEEPING = (
    "time_s", "climate.*.current_c", "media.sources.*", "media.now_playing.position_s", "media.now_playing.duration_s",
    "navigation.route_nodes", "navigation.eta_min", "navigation.distance_remaining_km", "navigation.next_turn*",
    "navigation.position.*", "navigation.last_arrival*", "vehicle.range_km", "vehicle.energy_pct",
    "vehicle.odometer_km", "vehicle.driving_state",
)
"""Paths the car keeps up to date by itself; they only change because something named elsewhere did."""


def _set_points(diff: Diff) -> Iterable[str]:
    """Zones set alike are one phrase: `driver and passenger 22.0 °C`."""
    zones_by_value: dict[Any, list[str]] = {}
    for path, value in diff.after.items():
        zones_by_value.setdefault(value, []).append(path.split(".")[1])
    for value, zones in zones_by_value.items():
        shown = value if isinstance(value, str) else format_temperature(set_point_celsius(value),
                                                                        diff.units.temperature_unit)
        yield f"{join(zones)} {shown}"


def _fan(diff: Diff) -> Iterable[str]:
    if diff.new("climate.fan_auto", "fan_auto"):
        yield "fan auto"
    else:
        speed = diff.new("climate.fan_speed", "fan_speed")
        yield "fan off" if speed == 0 else f"fan {speed}"


def _seats(diff: Diff) -> Iterable[str]:
    for path, level in diff.after.items():
        _, _, seat, feature = path.split(".")
        yield f"{name(seat)} seat {feature} {level or 'off'}"


def _switches(diff: Diff) -> Iterable[str]:
    return (SWITCHES[path][0 if on else 1] for path, on in diff.after.items())


def _media(diff: Diff) -> Iterable[str]:
    for path, value in diff.after.items():
        setting = path.rpartition(".")[2]
        shown = {"source": f"source {str(value).upper()}", "volume": f"volume {value}/{VOLUME_MAX}"}
        yield shown.get(setting, f"{setting} {value}")


def _playback(diff: Diff) -> Iterable[str]:
    """`now playing Blue Lamps — Midnight Harbour` says it plays; a bare `playing` or `paused` otherwise."""
    if "media.now_playing" in diff.after and diff.after["media.now_playing"] is None:
        yield "nothing playing"
    elif diff.after.get("media.playing") is False:
        yield "paused"
    elif any(path.startswith("media.now_playing.") for path in diff.after):
        yield f"now playing {_now_playing(diff)}"
    else:
        yield "playing"


def _now_playing(diff: Diff) -> str:
    station = diff.new("media.now_playing.station", "station")
    if station:
        return f"{station} {diff.new('media.now_playing.frequency', 'frequency') or ''}".rstrip()
    title, artist = diff.new("media.now_playing.title", "title"), diff.new("media.now_playing.artist", "artist")
    return f"{title} — {artist}" if artist else str(title)


def _route(diff: Diff) -> Iterable[str]:
    """`route to Central Station, 4 min, 2.1 km`; a new stop names the stop; a route set to nothing is cancelled."""
    if "navigation.destination" in diff.after and diff.after["navigation.destination"] is None:
        yield "route cancelled"
        return
    added = [stop for stop in _stop_names(diff.after) if stop not in _stop_names(diff.before)]
    destination = diff.after.get("navigation.destination.name")
    lead = f"route to {destination}" if destination else join([f"stop at {stop}" for stop in added]) or "route"
    yield ", ".join([lead, *_route_figures(diff)])


def _stop_names(values: dict[str, Any]) -> list[str]:
    return [stop["name"] for stop in values.get("navigation.stops") or []]


def _route_figures(diff: Diff) -> list[str]:
    eta, km = diff.new("navigation.eta_min", "eta_min"), diff.new("navigation.distance_remaining_km", "distance_km")
    return ([] if eta is None else [f"{eta:.0f} min"]) + \
        ([] if km is None else [format_distance(km, diff.units.distance_unit)])


def _openings(diff: Diff) -> Iterable[str]:
    for path, percent in diff.after.items():
        what = "sunroof" if path.endswith("sunroof_pct") else f"{name(path.rpartition('.')[2])} window"
        yield f"{what} {'closed' if percent == 0 else 'open' if percent == 100 else f'{percent} % open'}"


def _driving(diff: Diff) -> Iterable[str]:
    for path, value in diff.after.items():
        if path == "vehicle.gear":
            yield f"gear {value}"
        else:
            miles = diff.units.distance_unit == "mi"
            yield f"speed {km_to_miles(value) if miles else value:.0f} {'mph' if miles else 'km/h'}"


def _settings(diff: Diff) -> Iterable[str]:
    for path, unit in diff.after.items():
        yield f"temperatures in °{unit}" if path.endswith("temperature_unit") else f"distances in {unit}"


TOPICS = (
    Topic(("climate.*.set_point",), _set_points),
    Topic(("climate.fan_speed", "climate.fan_auto"), _fan),
    Topic(("climate.seats.*.*",), _seats),
    Topic(tuple(SWITCHES), _switches),
    Topic(("media.source", "media.volume", "media.repeat"), _media),
    Topic(("media.playing", "media.now_playing", "media.now_playing.*"), _playback),
    Topic(("navigation.destination", "navigation.destination.*", "navigation.stops"), _route),
    Topic(("vehicle.windows.*", "vehicle.sunroof_pct"), _openings),
    Topic(("vehicle.gear", "vehicle.speed_kmh"), _driving),
    Topic(("settings.*",), _settings),
)
