"""The dashboard's parts without the app or any model: the car's changes in words, the mark of each step, the
fixed latency scale, and values flowed onto lines without cutting them."""

from __future__ import annotations

import pytest
from rich.text import Text

from carvoice.dashboard.change_words import StepResult, describe_step
from carvoice.dashboard.latency import LatencyScale, bar, milliseconds, scale_header, trend
from carvoice.dashboard.state_panel import flow
from vehicle_sim import Vehicle


def _step(car: Vehicle, action: dict):
    return describe_step(car.apply(action), car.snapshot().settings)


def test_a_fan_taken_off_auto_reads_as_its_level():
    step = _step(Vehicle(), {"kind": "set_fan", "speed": 3})  # the level was already 3: only auto changed
    assert step.result is StepResult.DONE and step.words == "fan 3"


def test_a_route_reads_as_where_to_and_how_long():
    step = _step(Vehicle(), {"kind": "navigate_to", "place": "Central Station"})
    assert step.words == "route to Central Station, 4 min, 2.1 km"
    assert "navigation" not in step.words and "values" not in step.words


@pytest.mark.parametrize(("action", "words"), [
    ({"kind": "set_temperature", "zone": "driver", "value": 22}, "driver 22.0 °C"),
    ({"kind": "set_volume", "level": 20}, "volume 20/30"),
    ({"kind": "set_window", "window": "rear_left", "open_pct": 40}, "rear left window 40 % open"),
    ({"kind": "play_genre", "genre": "jazz"}, "source USB, now playing Blue Lamps — Midnight Harbour"),
])
def test_changes_read_as_words_with_units(action, words):
    assert _step(Vehicle(), action).words == words


def test_a_stop_names_the_whole_place_and_the_new_figures():
    car = Vehicle()
    car.apply({"kind": "navigate_to", "place": "Central Station"})
    assert _step(car, {"kind": "add_stop", "category": "ev_charging"}).words == \
        "stop at Volt Hub Market Square, 3 min, 2.7 km"


def test_temperatures_follow_the_cars_units():
    car = Vehicle()
    car.apply({"kind": "set_units", "temperature_unit": "F"})
    assert _step(car, {"kind": "set_temperature", "zone": "driver", "value": 75}).words == "driver 75 °F"


def test_a_question_the_car_cannot_answer_is_never_marked_done():
    step = _step(Vehicle(), {"kind": "query_eta"})  # no route: the car reports "done" with a reason
    assert step.result is StepResult.FAILED and step.result.mark != StepResult.DONE.mark
    assert step.words == "query ETA: no active route"


def test_a_refusal_has_its_own_mark():
    car = Vehicle()
    car.apply({"kind": "driver_input", "speed_kmh": 80, "gear": "D"})
    step = _step(car, {"kind": "set_door_lock", "locked": False})
    assert step.result is StepResult.REFUSED and step.result.mark == "✗"


def test_an_answered_question_is_done():
    car = Vehicle()
    car.apply({"kind": "navigate_to", "place": "Central Station"})
    step = _step(car, {"kind": "query_eta"})
    assert step.result is StepResult.DONE and step.words == "ETA answered"


def test_the_bar_is_drawn_against_the_target_with_its_mark():
    assert bar(500, 1000, cells=10) == "█████     │"
    assert bar(1000, 1000, cells=10) == "██████████│"
    assert bar(2500, 1000, cells=10) == "██████████▶"  # past the target: full, and an arrow for the mark


def test_the_scale_does_not_follow_the_turns():
    target = LatencyScale().target_ms
    assert target == 1000.0
    assert trend([250.0], 1, target) == trend([250.0, 4000.0], 2, target)[0]  # a slow turn rescales nothing
    assert trend([0.0, 500.0, 1000.0, 3000.0], 4, target) == "▁▅██"


def test_figures_and_the_scale_carry_units():
    assert milliseconds(0.6464) == "646 ms" and milliseconds(None) == "—"
    assert scale_header(1000, 16) == "  target 1000 ms│" and scale_header(1000, 8) == " 1000 ms│"


def test_values_flow_onto_new_lines_whole():
    pieces = [Text("defrost off"), Text("seats driver heat 2"), Text("wheel off")]
    assert flow(pieces, 43).plain == "defrost off  seats driver heat 2  wheel off"
    assert flow(pieces, 26).plain == "defrost off\nseats driver heat 2\nwheel off"
