"""Climate actions: set points, relative changes, LO/HI, °F, sync, fan, switches, seats, cabin temperature."""

from __future__ import annotations

import pytest

from vehicle_sim import Vehicle


def test_set_temperature_changes_only_the_zone(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_temperature", "zone": "passenger", "value": 23.5})
    assert outcome.status == "done"
    assert [(c.path, c.before, c.after) for c in outcome.changes] == [("climate.passenger.set_point", 21.0, 23.5)]
    assert car.get("climate.driver.set_point") == 21.0


def test_set_temperature_all_zones(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "zone": "all", "value": 19})
    assert [car.get(f"climate.{zone}.set_point") for zone in ("driver", "passenger", "rear")] == [19.0] * 3


def test_set_temperature_rounds_to_half_degrees(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "value": 22.3})
    assert car.get("climate.driver.set_point") == 22.5


def test_out_of_range_temperature_is_clamped_and_says_so(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_temperature", "value": 35})
    assert outcome.status == "done" and outcome.clamped and outcome.code == "out_of_range"
    assert outcome.clamp.asked == 35 and outcome.clamp.limited_to == 28
    assert car.get("climate.driver.set_point") == 28.0


def test_fahrenheit_is_converted_and_clamps_report_fahrenheit(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "value": 72, "unit": "F"})
    assert car.get("climate.driver.set_point") == 22.0
    outcome = car.apply({"kind": "set_temperature", "value": 90, "unit": "F"})
    assert outcome.clamp.asked == 90 and outcome.clamp.limited_to == 82 and outcome.clamp.unit == "F"


def test_display_unit_is_the_default_unit(car: Vehicle) -> None:
    car.apply({"kind": "set_units", "temperature_unit": "F"})
    car.apply({"kind": "set_temperature", "value": 68})
    assert car.get("climate.driver.set_point") == 20.0


def test_levels_lo_and_hi(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "level": "HI"})
    assert car.get("climate.driver.set_point") == "HI"
    assert car.apply({"kind": "adjust_temperature", "delta": 1}).status == "no_change"
    car.apply({"kind": "adjust_temperature", "delta": -2})
    assert car.get("climate.driver.set_point") == 26.0


@pytest.mark.parametrize(("delta", "unit", "expected"), [(2, None, 23.0), (-1.5, None, 19.5), (4, "F", 23.0)])
def test_adjust_temperature_is_relative(car: Vehicle, delta: float, unit: str | None, expected: float) -> None:
    car.apply({"kind": "adjust_temperature", "delta": delta, "unit": unit})
    assert car.get("climate.driver.set_point") == expected


def test_adjust_beyond_the_range_is_clamped(car: Vehicle) -> None:
    outcome = car.apply({"kind": "adjust_temperature", "delta": -10})
    assert outcome.clamped and car.get("climate.driver.set_point") == 16.0


def test_sync_makes_zones_follow_the_driver(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "zone": "rear", "value": 18})
    outcome = car.apply({"kind": "set_climate_sync", "on": True})
    assert outcome.changed("climate.rear.set_point")
    car.apply({"kind": "set_temperature", "value": 24})
    assert car.get("climate.passenger.set_point") == car.get("climate.rear.set_point") == 24.0


def test_changing_a_passenger_zone_ends_sync(car: Vehicle) -> None:
    car.apply({"kind": "set_climate_sync", "on": True})
    outcome = car.apply({"kind": "set_temperature", "zone": "passenger", "value": 25})
    assert outcome.changed("climate.sync") and car.get("climate.sync") is False
    assert car.get("climate.driver.set_point") == 21.0


def test_set_fan_speed_leaves_auto(car: Vehicle) -> None:
    car.apply({"kind": "set_fan", "speed": 5})
    assert (car.get("climate.fan_speed"), car.get("climate.fan_auto")) == (5, False)
    car.apply({"kind": "set_fan", "speed": "auto"})
    assert car.get("climate.fan_auto") is True


def test_fan_is_clamped_to_its_levels(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_fan", "speed": 12})
    assert outcome.clamped and car.get("climate.fan_speed") == 7
    car.apply({"kind": "adjust_fan", "delta": -20})
    assert car.get("climate.fan_speed") == 0


def test_adjust_fan(car: Vehicle) -> None:
    car.apply({"kind": "adjust_fan", "delta": 2})
    assert car.get("climate.fan_speed") == 5


@pytest.mark.parametrize(("action", "path"), [
    ({"kind": "set_ac", "on": False}, "climate.ac"),
    ({"kind": "set_recirculation", "on": True}, "climate.recirculation"),
    ({"kind": "set_defrost", "window": "front", "on": True}, "climate.front_defrost"),
    ({"kind": "set_defrost", "window": "rear", "on": True}, "climate.rear_defrost"),
    ({"kind": "set_steering_wheel_heat", "on": True}, "climate.steering_wheel_heat"),
])
def test_switches_flip_one_flag(car: Vehicle, action: dict, path: str) -> None:
    outcome = car.apply(action)
    assert [change.path for change in outcome.changes] == [path]
    assert car.get(path) is action["on"]
    again = car.apply(action)
    assert again.status == "no_change" and again.code == "already_set"


def test_seat_heat_and_ventilation_exclude_each_other(car: Vehicle) -> None:
    car.apply({"kind": "set_seat_heat", "seat": "driver", "level": 2})
    car.apply({"kind": "set_seat_ventilation", "seat": "driver", "level": 1})
    assert (car.get("climate.seats.driver.heat"), car.get("climate.seats.driver.ventilation")) == (0, 1)


def test_seat_levels_are_clamped_and_all_seats_work(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_seat_heat", "seat": "all", "level": 5})
    assert outcome.clamped and outcome.clamp.limited_to == 3
    seats = ("driver", "passenger", "rear_left", "rear_right")
    assert all(car.get(f"climate.seats.{seat}.heat") == 3 for seat in seats)


def test_cabin_moves_towards_the_set_point(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "zone": "all", "value": 24})
    start = car.get("climate.driver.current_c")
    car.tick(120)
    middle = car.get("climate.driver.current_c")
    car.tick(3600)
    assert start < middle < 24.0
    assert car.get("climate.driver.current_c") == pytest.approx(24.0, abs=0.05)


def test_fan_off_lets_the_cabin_drift_to_outside(car: Vehicle) -> None:
    car.apply({"kind": "set_fan", "speed": 0})
    car.tick(4 * 3600)
    assert car.get("climate.rear.current_c") == pytest.approx(car.get("vehicle.outside_temp_c"), abs=0.2)


def test_query_cabin_temperature_reports_and_changes_nothing(car: Vehicle) -> None:
    outcome = car.apply({"kind": "query_cabin_temperature"})
    assert outcome.status == "done" and outcome.changes == []
    assert outcome.facts.current_c["driver"] == round(car.get("climate.driver.current_c"), 1)
    assert outcome.facts.set_points["driver"] == 21.0
