"""What to say about an action that went through: for each action kind, the phrase case and its fields.

`describe(outcome, units)` reads the outcome's facts (which the simulator gives in °C and km) and turns
them into speakable fields in the driver's units; `replies.py` picks the template.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_args

from carvoice.dialog.spoken import (
    UNIT_NAMES,
    Units,
    distance,
    duration,
    join,
    name,
    number,
    percent,
    reading,
    set_point,
    speed,
    temperature_in,
)
from vehicle_sim import Change, Outcome
from vehicle_sim.handlers.body import OpeningFacts, OutsideTemperatureFacts, RangeFacts, WindowFacts
from vehicle_sim.handlers.climate import CabinTemperatureFacts, FanFacts, SeatFacts, SetPointFacts
from vehicle_sim.handlers.media import (
    NowPlayingFacts,
    QueueFacts,
    RepeatFacts,
    SourceFacts,
    StationFacts,
    TrackFacts,
    VolumeFacts,
)
from vehicle_sim.handlers.navigation import CancelledFacts, RouteFacts, StopFacts, TripFacts
from vehicle_sim.outcome import Clamp, Facts
from vehicle_sim.state import SeatName, WindowName, ZoneName

ZONES: tuple[str, ...] = get_args(ZoneName)
SEATS: tuple[str, ...] = get_args(SeatName)
WINDOWS: tuple[str, ...] = get_args(WindowName)
ZONE_NAMES = {"driver": "driver side", "passenger": "passenger side", "rear": "rear zone"}
SOURCE_NAMES = {"fm": "FM radio", "am": "AM radio", "dab": "DAB radio", "bluetooth": "Bluetooth", "usb": "USB"}
CATEGORY_NAMES = {"ev_charging": "charging station", "fuel": "petrol station", "coffee": "coffee place",
                  "parking": "car park"}
DEFROST_WINDOWS = {"front": "windscreen", "rear": "rear window"}
SEAT_FEATURES = {"set_seat_heat": "heating", "set_seat_ventilation": "cooling"}
LABELLED_STATION = re.compile(r"^(?P<station>.+) \((?P<label>.+)\)$")

# What each kind of action is about, for replies that cannot be more specific ("the temperature change").
TOPICS = {
    "set_temperature": "temperature", "adjust_temperature": "temperature", "set_fan": "fan", "adjust_fan": "fan",
    "set_ac": "air conditioning", "set_recirculation": "recirculation", "set_defrost": "defrost",
    "set_seat_heat": "seat heating", "set_seat_ventilation": "seat cooling",
    "set_steering_wheel_heat": "steering wheel heating", "set_climate_sync": "climate sync",
    "query_cabin_temperature": "climate", "set_source": "audio source", "tune_radio": "radio",
    "set_shuffle": "shuffle", "set_repeat": "repeat", "set_volume": "volume", "adjust_volume": "volume",
    "set_mute": "sound", "set_window": "windows", "set_sunroof": "sunroof", "set_door_lock": "door locks",
    "query_range": "range", "query_outside_temperature": "outside temperature", "set_units": "display units",
    **dict.fromkeys(("play_artist", "play_album", "play_track", "play_playlist", "play_genre", "pause", "resume",
                     "skip", "query_now_playing"), "music"),
    **dict.fromkeys(("navigate_to", "add_stop", "cancel_route", "query_eta", "query_distance", "query_next_turn"),
                    "route"),
}


def topic(kind: str) -> str:
    return TOPICS.get(kind, name(kind))


@dataclass(frozen=True)
class Line:
    """A phrase case (`family`, or `family.case`) and the fields its templates are filled with."""

    family: str
    case: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.family}.{self.case}" if self.case else self.family


Wording = Callable[[Outcome, Units], Line]
WORDINGS: dict[str, Wording] = {}


def words(*kinds: str) -> Callable[[Wording], Wording]:
    def register(wording: Wording) -> Wording:
        WORDINGS.update(dict.fromkeys(kinds, wording))
        return wording

    return register


def describe(outcome: Outcome, units: Units) -> Line:
    """The phrase case and fields for an outcome that went through (done or already so)."""
    wording = WORDINGS.get(outcome.action.kind)
    if wording is None:
        return Line("already_set" if outcome.status == "no_change" else "done")
    return wording(outcome, units)


def clamp_fields(clamp: Clamp | None, units: Units) -> dict[str, str]:
    """What a limited value may say: which end it hit, the most it may be, and the speed behind a safety clamp."""
    if clamp is None:
        return {}
    fields = {"edge": "high" if clamp.asked > clamp.limited_to else "low"}
    if clamp.max is not None:
        fields["max"] = number(clamp.max)
    if clamp.speed_limit_kmh is not None:
        fields["limit"] = speed(clamp.speed_limit_kmh, units)
    return fields


F = TypeVar("F", bound=Facts)


def facts_of(outcome: Outcome, kind: type[F]) -> F:
    """The outcome's facts as the type its action's handler registered (another type is a bug in the car)."""
    if not isinstance(outcome.facts, kind):
        raise TypeError(f"{outcome.action.kind} gave {type(outcome.facts).__name__}, expected {kind.__name__}")
    return outcome.facts


def spoken_frequency(label: str, band: str) -> str:
    """`88.9 MHz` on FM -> `88.9 FM`; `990 kHz` -> `990 AM`; a DAB channel is just `DAB`."""
    return "DAB" if band == "dab" else f"{label.split(maxsplit=1)[0]} {band.upper()}"


def spoken_station(suggestion: str, band: str) -> str:
    """A station suggestion such as `Symphony Radio (90.5 MHz)` as `Symphony Radio on 90.5 FM`."""
    match = LABELLED_STATION.match(suggestion)
    return f"{match['station']} on {spoken_frequency(match['label'], band)}" if match else suggestion


def switch(outcome: Outcome, on: bool, **fields: str) -> Line:
    return Line(outcome.action.kind, "on" if on else "off", fields)


# --- climate -----------------------------------------------------------------------------------------------


@words("set_temperature", "adjust_temperature", "set_climate_sync")
def _temperature(outcome: Outcome, units: Units) -> Line:
    facts, action = facts_of(outcome, SetPointFacts), outcome.action
    zones = facts.zones
    first = zones[0]
    asked = getattr(action, "unit", None)
    fields = {
        "where": "all zones" if facts.sync or len(zones) == len(ZONES) else ZONE_NAMES[first],
        "temp": set_point(facts.set_points[first], units, asked),
        "direction": "up" if getattr(action, "delta", 0) > 0 else "down",
        **clamp_fields(outcome.clamp, units),
    }
    if outcome.clamp is not None and outcome.clamp.unit is not None:
        fields["limit"] = temperature_in(outcome.clamp.limited_to, outcome.clamp.unit, units)
    if action.kind == "set_climate_sync":
        return switch(outcome, action.on, **fields)
    return Line("set_temperature", "adjust" if action.kind == "adjust_temperature" else "", fields)


@words("set_fan", "adjust_fan")
def _fan(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, FanFacts)
    case = "auto" if facts.fan_auto else ("speed" if facts.fan_speed else "off")
    return Line("set_fan", case, {"speed": str(facts.fan_speed), **clamp_fields(outcome.clamp, units)})


@words("set_seat_heat", "set_seat_ventilation")
def _seat(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, SeatFacts)
    seats = facts.seats
    fields = {"seats": "all seats" if len(seats) == len(SEATS) else f"{name(seats[0])} seat",
              "feature": SEAT_FEATURES[outcome.action.kind], "level": str(facts.level),
              **clamp_fields(outcome.clamp, units)}
    return Line("seat", "on" if facts.level else "off", fields)


@words("set_ac", "set_recirculation", "set_steering_wheel_heat", "set_mute", "set_shuffle")
def _switch(outcome: Outcome, units: Units) -> Line:
    return switch(outcome, outcome.action.on)


@words("set_defrost")
def _defrost(outcome: Outcome, units: Units) -> Line:
    return switch(outcome, outcome.action.on, window=DEFROST_WINDOWS[outcome.action.window])


@words("query_cabin_temperature")
def _cabin(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, CabinTemperatureFacts)
    return Line("query_cabin_temperature", "", {"inside": reading(facts.current_c["driver"], units),
                                                "outside": reading(facts.outside_c, units)})


# --- media -------------------------------------------------------------------------------------------------


@words("play_artist", "play_album", "play_track", "play_playlist", "play_genre")
def _play(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, QueueFacts)
    queue = facts.queue.partition(": ")[2]
    fields = {"artist": facts.artist, "album": facts.album, "title": facts.title,
              "tracks": str(facts.tracks), "playlist": queue, "genre": queue}
    return Line(outcome.action.kind, "", fields)


@words("tune_radio")
def _tune(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, StationFacts)
    return Line("tune_radio", "", {"station": facts.station,
                                   "frequency": spoken_frequency(facts.frequency, facts.band)})


@words("set_source")
def _source(outcome: Outcome, units: Units) -> Line:
    return Line("set_source", "", {"source": SOURCE_NAMES[facts_of(outcome, SourceFacts).source]})


@words("pause", "resume")
def _transport(outcome: Outcome, units: Units) -> Line:
    return Line(outcome.action.kind)


@words("skip")
def _skip(outcome: Outcome, units: Units) -> Line:
    if isinstance(outcome.facts, StationFacts):
        return Line("skip", "station", {"station": outcome.facts.station})
    facts = facts_of(outcome, TrackFacts)
    return Line("skip", f"track.{outcome.action.direction}", {"title": facts.title, "artist": facts.artist})


@words("set_repeat")
def _repeat(outcome: Outcome, units: Units) -> Line:
    return Line("set_repeat", facts_of(outcome, RepeatFacts).repeat)


@words("set_volume", "adjust_volume")
def _volume(outcome: Outcome, units: Units) -> Line:
    volume = facts_of(outcome, VolumeFacts).volume
    return Line("set_volume", "", {"volume": str(volume), **clamp_fields(outcome.clamp, units)})


@words("query_now_playing")
def _now_playing(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, NowPlayingFacts)
    now = facts.now_playing
    if now is None:
        return Line("now_playing", "nothing")
    if not facts.playing:
        return Line("now_playing", "paused", {"title": now.title})
    if now.station is not None:
        return Line("now_playing", "station", {"station": now.station,
                                               "frequency": spoken_frequency(now.frequency or "", now.source)})
    return Line("now_playing", "track", {"title": now.title, "artist": now.artist or "unknown"})


# --- navigation --------------------------------------------------------------------------------------------


def _route_fields(destination: str, facts: RouteFacts | TripFacts, units: Units) -> dict[str, str]:
    return {"destination": destination, "eta": duration(facts.eta_min), "distance": distance(facts.distance_km, units)}


@words("navigate_to", "add_stop")
def _route(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, RouteFacts)
    fields = _route_fields(facts.destination, facts, units)
    if isinstance(facts, StopFacts):  # also a navigate_to "on the way" while a route is active
        return Line("add_stop", "", {**fields, "stop": facts.stop, "added": duration(facts.added_min)})
    category = facts.category or ""
    fields["category"] = CATEGORY_NAMES.get(category, name(category))
    return Line("navigate_to", "category" if getattr(outcome.action, "category", None) else "", fields)


@words("cancel_route")
def _cancel_route(outcome: Outcome, units: Units) -> Line:
    return Line("cancel_route", "", {"cancelled": facts_of(outcome, CancelledFacts).cancelled})


@words("query_eta", "query_distance", "query_next_turn")
def _route_query(outcome: Outcome, units: Units) -> Line:
    facts = outcome.facts
    if isinstance(facts, TripFacts):
        return Line(outcome.action.kind, "place", _route_fields(facts.place, facts, units))
    if not isinstance(facts, RouteFacts):
        return Line("no_active_route")
    fields = _route_fields(facts.destination, facts, units)
    if outcome.action.kind != "query_next_turn":
        return Line(outcome.action.kind, "", fields)
    turn = facts.next_turn
    if turn is None:
        return Line("next_turn", "none", fields)
    fields.update(direction=turn.direction, street=turn.street, distance=distance(turn.distance_m / 1000, units))
    case = turn.direction if turn.direction in ("straight", "arrive") else "turn"
    return Line("next_turn", case, fields)


# --- vehicle -----------------------------------------------------------------------------------------------


def opening_case(pct: float) -> str:
    return "closed" if pct == 0 else ("open" if pct == 100 else "partly")


def opening(pct: float) -> str:
    return {"closed": "closed", "open": "fully open"}.get(opening_case(pct), f"{percent(pct)} open")


def window_names(windows: list[str]) -> tuple[str, str]:
    """How to name the windows as a subject ("Rear left window") and as an object ("the rear left window")."""
    if len(windows) == len(WINDOWS):
        return "all windows", "all the windows"
    label = f"{join([name(window) for window in windows])} window"
    return label, f"the {label}"


@words("set_window")
def _window(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, WindowFacts)
    subject, object_ = window_names(list(facts.windows))
    fields = {"window": subject, "window_object": object_, "pct": percent(facts.open_pct),
              **clamp_fields(outcome.clamp, units)}
    return Line("set_window", opening_case(facts.open_pct), fields)


@words("set_sunroof")
def _sunroof(outcome: Outcome, units: Units) -> Line:
    open_pct = facts_of(outcome, OpeningFacts).open_pct
    fields = {"pct": percent(open_pct), **clamp_fields(outcome.clamp, units)}
    return Line("set_sunroof", opening_case(open_pct), fields)


@words("set_door_lock")
def _door_lock(outcome: Outcome, units: Units) -> Line:
    return Line("set_door_lock", "locked" if outcome.action.locked else "unlocked")


@words("query_range")
def _range(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, RangeFacts)
    return Line("query_range", facts.powertrain, {"range": distance(facts.range_km, units),
                                                  "energy": percent(facts.energy_pct)})


@words("query_outside_temperature")
def _outside(outcome: Outcome, units: Units) -> Line:
    outside_c = facts_of(outcome, OutsideTemperatureFacts).outside_c
    return Line("query_outside_temperature", "", {"outside": reading(outside_c, units)})


@words("set_units")
def _units(outcome: Outcome, units: Units) -> Line:
    action = outcome.action
    chosen = [UNIT_NAMES[unit] for unit in (action.temperature_unit, action.distance_unit) if unit]
    return Line("set_units", "", {"units": join(chosen)})


# --- undo ------------------------------------------------------------------------------------------------------

UNIT_SETTINGS = {"temperature_unit": "temperatures", "distance_unit": "distances"}
RESTORABLE: dict[str, tuple[str, Callable[[Any], str]]] = {
    "climate.fan_speed": ("the fan", str),
    "media.volume": ("the volume", str),
    "vehicle.sunroof_pct": ("the sunroof", opening),
    "media.source": ("the audio source", lambda source: SOURCE_NAMES[source]),
    **{f"settings.{setting}": (what, lambda unit: UNIT_NAMES[unit]) for setting, what in UNIT_SETTINGS.items()},
}


def restored(change: Change, units: Units) -> tuple[str, str] | None:
    """What an undone change put back, as (what, value): ("the temperature", "21 degrees"); None if unknown."""
    parts, value = change.path.split("."), change.after
    if parts[0] == "climate" and parts[-1] == "set_point":
        zone = parts[1]
        what = "the temperature" if zone == "driver" else f"the {ZONE_NAMES[zone]} temperature"
        return what, set_point(value, units)
    if parts[:2] == ["vehicle", "windows"]:
        return f"the {name(parts[2])} window", opening(value)
    if change.path not in RESTORABLE:
        return None
    what, spoken = RESTORABLE[change.path]
    return what, spoken(value)


# --- requests not yet done ---------------------------------------------------------------------------------


def request_words(action: dict[str, Any]) -> str:
    """An action the assistant has not done yet, as the rest of "do you want me to ...?"."""
    kind = action["kind"]
    if kind == "set_door_lock":
        return "lock the doors" if action.get("locked") else "unlock the doors"
    if kind in ("set_window", "set_sunroof"):
        window = action.get("window", "driver")
        windows = list(WINDOWS) if window == "all" else [window]
        what = "the sunroof" if kind == "set_sunroof" else window_names(windows)[1]
        pct = action.get("open_pct", 0)
        return f"close {what}" if pct == 0 else f"open {what}" + ("" if pct == 100 else f" {percent(pct)}")
    if kind in ("navigate_to", "add_stop"):
        category = action.get("category")
        target = action.get("place") or f"the nearest {CATEGORY_NAMES.get(category or '', name(category or ''))}"
        return f"start a route to {target}" if kind == "navigate_to" else f"add a stop at {target}"
    if kind == "cancel_route":
        return "cancel the route"
    if kind == "set_volume" and "level" in action:
        return f"set the volume to {action['level']}"
    return f"change the {topic(kind)}"
