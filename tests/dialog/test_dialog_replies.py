"""Every action kind, status and reason code gets a short, natural reply that carries its facts.

Each case is rendered with every template variant (`template_at`), so no template can hide a missing fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from carvoice.dialog import ReplyWriter, action_for
from carvoice.nlu.catalog import Call
from vehicle_sim import Outcome, Vehicle, parse_action

MOVING = {"vehicle": {"speed_kmh": 110}}
FAST = {"vehicle": {"speed_kmh": 130}}
IMPERIAL = {"settings": {"temperature_unit": "F", "distance_unit": "mi"}}
ROUTE = [{"kind": "navigate_to", "place": "Central Station"}]
VARIANTS = 3


@dataclass(frozen=True)
class Case:
    intent: str
    slots: dict[str, Any]
    expected: tuple[str, ...]
    setup: list[dict[str, Any]] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    status: str = "done"


CASES = {
    # climate
    "set temperature": Case("set_temperature", {"value": 22}, ("driver side", "22 degrees")),
    "set temperature everywhere, fahrenheit": Case("set_temperature", {"value": 72, "zone": "all"},
                                                  ("all zones", "72 degrees fahrenheit")),
    "set temperature to HI": Case("set_temperature", {"level": "HI", "zone": "passenger"},
                                  ("passenger side", "full heat")),
    "cooler in the back": Case("adjust_temperature", {"delta": -2, "zone": "rear"}, ("rear zone", "19 degrees")),
    "fan speed": Case("set_fan", {"speed": 5}, ("fan", "5")),
    "fan auto": Case("set_fan", {"speed": "auto"}, ("fan", "auto"), setup=[{"kind": "set_fan", "speed": 2}]),
    "fan off": Case("set_fan", {"speed": 0}, ("fan", "off")),
    "less fan": Case("adjust_fan", {"delta": -1}, ("fan", "2")),
    "ac off": Case("set_ac", {"on": False}, ("off",)),
    "recirculation": Case("set_recirculation", {"on": True}, ("recirculat",)),
    "rear defrost": Case("set_defrost", {"on": True, "window": "rear"}, ("rear window",)),
    "seat heat": Case("set_seat_heat", {"seat": "passenger", "level": 3}, ("passenger seat", "heating", "3")),
    "seat cooling": Case("set_seat_ventilation", {"level": 1}, ("driver seat", "cooling", "1")),
    "seat heat off": Case("set_seat_heat", {"seat": "all", "level": 0}, ("all seats", "heating", "off"),
                          setup=[{"kind": "set_seat_heat", "seat": "all", "level": 2}]),
    "steering wheel": Case("set_steering_wheel_heat", {"on": True}, ("steering wheel",)),
    "sync": Case("set_climate_sync", {"on": True}, ("sync",)),
    "cabin temperature": Case("query_cabin_temperature", {}, ("23 degrees", "12 degrees"),
                              overrides={"climate": {"driver": {"current_c": 23.2}}}),
    # media
    "artist": Case("play_artist", {"artist": "Marina Vale"}, ("Marina Vale",)),
    "album": Case("play_album", {"album": "Blue Lamps"}, ("Blue Lamps", "Midnight Harbour")),
    "track": Case("play_track", {"title": "Paper Hearts"}, ("Paper Hearts",)),
    "playlist": Case("play_playlist", {"playlist": "road trip"}, ("Road Trip",)),
    "genre": Case("play_genre", {"genre": "jazz"}, ("jazz",)),
    "radio frequency": Case("tune_radio", {"frequency": 98.1}, ("Valley Sound",)),
    "radio station": Case("tune_radio", {"station": "radio harbour"}, ("Radio Harbour",)),
    "source": Case("set_source", {"source": "bluetooth"}, ("Bluetooth",)),
    "pause": Case("pause", {}, ("paus",), setup=[{"kind": "play_genre", "genre": "jazz"}]),
    "resume": Case("resume", {}, ("",), setup=[{"kind": "play_genre", "genre": "jazz"}, {"kind": "pause"}]),
    "next track": Case("skip", {}, ("Rainy Boulevard",), setup=[{"kind": "play_album", "album": "Blue Lamps"}]),
    "next station": Case("skip", {}, ("Symphony Radio",)),
    "shuffle": Case("set_shuffle", {"on": True}, ("shuffl",)),
    "repeat one": Case("set_repeat", {"mode": "one"}, ("repeat",)),
    "volume": Case("set_volume", {"level": 15}, ("volume", "15")),
    "quieter": Case("adjust_volume", {"delta": -4}, ("volume", "8")),
    "mute": Case("set_mute", {"on": True}, ("mut",)),
    "now playing": Case("query_now_playing", {}, ("Paper Hearts", "Olivia Park"),
                        setup=[{"kind": "play_track", "title": "Paper Hearts"}]),
    "now playing radio": Case("query_now_playing", {}, ("Symphony Radio", "90.5 FM"),
                              setup=[{"kind": "tune_radio", "station": "Symphony Radio"}]),
    # navigation
    "navigate": Case("navigate_to", {"place": "Central Station"}, ("Central Station", "4 minutes")),
    "nearest coffee": Case("navigate_to", {"category": "coffee"}, ("Maple Leaf Cafe",)),
    "add a stop": Case("add_stop", {"category": "coffee", "along_route": True}, ("Maple Leaf Cafe",), setup=ROUTE),
    "cancel route": Case("cancel_route", {}, ("Central Station",), setup=ROUTE),
    "eta": Case("query_eta", {}, ("4 minutes",), setup=ROUTE),
    "distance": Case("query_distance", {}, ("2.1 kilometres",), setup=ROUTE),
    "next turn": Case("query_next_turn", {}, ("right", "Birch Avenue", "600 metres"), setup=ROUTE),
    "eta without a route": Case("query_eta", {}, ("route",)),
    # vehicle
    "window": Case("set_window", {"window": "passenger", "open_pct": 20}, ("passenger window", "20 percent")),
    "close all windows": Case("set_window", {"window": "all", "open_pct": 0}, ("all", "windows", "clos"),
                              setup=[{"kind": "set_window", "window": "all", "open_pct": 50}]),
    "sunroof": Case("set_sunroof", {"open_pct": 100}, ("sunroof", "open")),
    "unlock": Case("set_door_lock", {"locked": False}, ("unlock",)),
    "range": Case("query_range", {}, ("336 kilometres",)),
    "outside": Case("query_outside_temperature", {}, ("12 degrees",)),
    "units": Case("set_units", {"temperature_unit": "F"}, ("Fahrenheit",)),
    "undo": Case("undo", {}, ("temperature", "21 degrees"), setup=[{"kind": "set_temperature", "value": 25}]),
    "undo units": Case("undo", {}, ("temperatures", "Celsius"), setup=[{"kind": "set_units", "temperature_unit": "F"}]),
    "undo window": Case("undo", {}, ("passenger window", "closed"),
                        setup=[{"kind": "set_window", "window": "passenger", "open_pct": 40}]),
    "undo a switch": Case("undo", {}, ("air conditioning",), setup=[{"kind": "set_ac", "on": False}]),
    # clamped values say so
    "temperature above range": Case("set_temperature", {"value": 35}, ("28 degrees", "highest")),
    "fan above range": Case("set_fan", {"speed": 9}, ("7", "high")),
    "volume cap": Case("set_volume", {"level": 30}, ("26",)),
    "window at speed": Case("set_window", {"window": "driver", "open_pct": 100}, ("50 percent",), overrides=MOVING),
    "sunroof at speed": Case("set_sunroof", {"open_pct": 100}, ("30 percent",),
                             overrides={"vehicle": {"speed_kmh": 90}}),
    # nothing to do
    "already on": Case("set_ac", {"on": True}, ("already",), status="no_change"),
    "already at max": Case("adjust_temperature", {"delta": 3}, ("already", "28 degrees"), status="no_change",
                           setup=[{"kind": "set_temperature", "value": 28}]),
    "already there": Case("navigate_to", {"place": "home"}, ("already", "Home"), status="no_change"),
    "stop already on route": Case("add_stop", {"place": "Central Station"}, ("already", "Central Station"),
                                  setup=ROUTE, status="no_change"),
    "no route to cancel": Case("cancel_route", {}, ("no route",), status="no_change"),
    "end of queue": Case("skip", {"count": 20}, ("last",), setup=[{"kind": "play_album", "album": "Blue Lamps"}],
                         status="no_change"),
    "nothing to undo": Case("undo", {}, ("nothing to undo",), status="no_change"),
    # refusals explain themselves
    "sunroof too fast": Case("set_sunroof", {"open_pct": 100}, ("120 km/h",), overrides=FAST, status="refused"),
    "unlock while moving": Case("set_door_lock", {"locked": False}, ("doors",), overrides=MOVING, status="refused"),
    "nothing to play": Case("resume", {}, ("Bluetooth",), setup=[{"kind": "set_source", "source": "bluetooth"}],
                            status="refused"),
    "stop without route": Case("add_stop", {"category": "coffee"}, ("route",), status="refused"),
    # questions
    "rear window while driving": Case("set_window", {"window": "rear_left", "open_pct": 100},
                                      ("rear left window", "?"), overrides=MOVING, status="needs_confirmation"),
    "defrost off in the cold": Case("set_defrost", {"on": False}, ("defrost", "?"), status="needs_confirmation",
                                    overrides={"vehicle": {"speed_kmh": 50, "outside_temp_c": 1},
                                               "climate": {"front_defrost": True}}),
    "cancel route while driving": Case("cancel_route", {}, ("?",), setup=ROUTE, overrides=MOVING,
                                       status="needs_confirmation"),
    # not found
    "artist not found": Case("play_artist", {"artist": "Zzyzx Quartet"}, ("artist", "Zzyzx Quartet"),
                             status="not_found"),
    "one suggestion": Case("play_playlist", {"playlist": "roadtrip songs"}, ("roadtrip songs", "Road Trip?"),
                           status="not_found"),
    "several suggestions": Case("play_genre", {"genre": "polka"}, ("polka", "folk", "pop"), status="not_found"),
    "no station on a frequency": Case("tune_radio", {"frequency": 91.3}, ("91.3 FM", "Symphony Radio on 90.5 FM"),
                                      status="not_found"),
    "house number": Case("navigate_to", {"place": "Maple Avenue 999"}, ("Maple Avenue", "1", "240"),
                         status="not_found"),
    "unknown place": Case("navigate_to", {"place": "Zorbulon"}, ("Zorbulon",), status="not_found"),
    # the driver's units
    "range in miles": Case("query_range", {}, ("209 miles",), overrides=IMPERIAL),
    "outside in fahrenheit": Case("query_outside_temperature", {}, ("54 degrees",), overrides=IMPERIAL),
    "route in miles": Case("query_distance", {}, ("1.3 miles",), setup=ROUTE, overrides=IMPERIAL),
    "turn in miles": Case("query_next_turn", {}, ("0.4 miles",), overrides=IMPERIAL,
                         setup=[{"kind": "navigate_to", "category": "coffee"}]),
    "fahrenheit car, celsius number": Case("set_temperature", {"value": 22}, ("22 degrees celsius",),
                                           overrides=IMPERIAL),
    "fahrenheit car, fahrenheit number": Case("set_temperature", {"value": 72}, ("72 degrees.",), overrides=IMPERIAL),
    "speed limit in mph": Case("set_sunroof", {"open_pct": 100}, ("75 mph",), overrides={**FAST, **IMPERIAL},
                               status="refused"),
}


def _outcome(case: Case, catalog) -> tuple[Outcome, Vehicle]:
    vehicle = Vehicle(seed=3, overrides=case.overrides)
    for action in case.setup:
        assert vehicle.apply(action).ok, action
    outcome = vehicle.apply(action_for(Call(name=case.intent, slots=case.slots), catalog))
    return outcome, vehicle


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_variant_of_the_reply_carries_the_facts(case: Case, catalog, template_at) -> None:
    outcome, vehicle = _outcome(case, catalog)
    assert outcome.status == case.status, outcome
    for index in range(VARIANTS):
        reply = ReplyWriter(template_at(index)).outcome(outcome, vehicle.snapshot())
        assert reply and not reply[0].islower() and reply.rstrip()[-1] in ".?", reply
        for fact in case.expected:
            assert fact.lower() in reply.lower(), (fact, reply)


def test_the_cases_cover_every_action_kind_of_the_catalog(catalog) -> None:
    kinds = {intent.action for intent in catalog.intents if intent.action}
    assert kinds <= {catalog.by_name[case.intent].action for case in CASES.values()}


def test_the_first_sentence_is_short(catalog, template_at) -> None:
    for case in CASES.values():
        outcome, vehicle = _outcome(case, catalog)
        for index in range(VARIANTS):
            reply = ReplyWriter(template_at(index)).outcome(outcome, vehicle.snapshot())
            first = reply.split(". ")[0]
            assert len(first.split()) <= 14, reply


def test_a_refusal_with_an_unknown_code_explains_itself_with_the_rule(template_at) -> None:
    outcome = Outcome(status="refused", action=parse_action({"kind": "set_ac", "on": True}), code="ac_rule_of_2030",
                      message="The AC stays off while the engine warms up")
    reply = ReplyWriter(template_at(0)).outcome(outcome, Vehicle().snapshot())
    assert "The AC stays off while the engine warms up." in reply


def test_a_question_with_an_unknown_code_asks_with_the_rule(template_at) -> None:
    outcome = Outcome(status="needs_confirmation", action=parse_action({"kind": "set_fan", "speed": 7}),
                      code="fan_rule", message="Full fan is loud while parked.")
    reply = ReplyWriter(template_at(0)).outcome(outcome, Vehicle().snapshot())
    assert reply.startswith("Full fan is loud while parked.") and reply.endswith("?")
