"""Body and car actions: windows, sunroof, locks, units, driver input, energy and range."""

from __future__ import annotations

import pytest

from vehicle_sim import Vehicle
from vehicle_sim.handlers.body import OutsideTemperatureFacts, RangeFacts, UnitsFacts


def test_open_and_close_windows(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_window", "window": "passenger", "open_pct": 40})
    assert [change.path for change in outcome.changes] == ["vehicle.windows.passenger"]
    car.apply({"kind": "set_window", "window": "all", "open_pct": 0})
    assert car.get("vehicle.windows.passenger") == 0


def test_window_percentages_are_clamped(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_window", "window": "driver", "open_pct": 150})
    assert outcome.clamped and outcome.code == "out_of_range" and car.get("vehicle.windows.driver") == 100


def test_sunroof(car: Vehicle) -> None:
    car.apply({"kind": "set_sunroof", "open_pct": 45})
    assert car.get("vehicle.sunroof_pct") == 45


def test_door_lock(car: Vehicle) -> None:
    car.apply({"kind": "set_door_lock", "locked": False})
    assert car.get("vehicle.doors_locked") is False


def test_units_change_what_is_shown(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_units", "temperature_unit": "F", "distance_unit": "mi"})
    assert outcome.facts == UnitsFacts(temperature_unit="F", distance_unit="mi")
    assert car.get("settings.temperature_unit") == "F"


def test_driver_input_sets_speed_and_gear(car: Vehicle) -> None:
    car.apply({"kind": "driver_input", "gear": "D", "speed_kmh": 70})
    assert car.get("vehicle.driving_state") == "driving"
    outcome = car.apply({"kind": "driver_input", "speed_kmh": 80})
    assert outcome.changed("vehicle.speed_kmh")
    car.apply({"kind": "driver_input", "speed_kmh": 0})
    assert car.get("vehicle.driving_state") == "stopped"


def test_driver_input_cannot_move_in_park(car: Vehicle) -> None:
    outcome = car.apply({"kind": "driver_input", "speed_kmh": 30})
    assert outcome.status == "refused" and outcome.code == "cannot_move_in_park"


def test_free_driving_uses_energy_and_counts_distance(moving_car: Vehicle) -> None:
    energy, odometer = moving_car.get("vehicle.energy_pct"), moving_car.get("vehicle.odometer_km")
    moving_car.tick(3600)
    assert moving_car.get("vehicle.odometer_km") == pytest.approx(odometer + 110)
    assert moving_car.get("vehicle.energy_pct") == pytest.approx(energy - 110 / 420 * 100)
    assert moving_car.get("vehicle.range_km") == pytest.approx(336 - 110, abs=0.1)


def test_running_out_of_energy_stops_the_car() -> None:
    car = Vehicle(seed=1, overrides={"vehicle": {"speed_kmh": 100, "energy_pct": 1.0}})
    car.tick(3600)
    assert car.get("vehicle.energy_pct") == 0 and car.get("vehicle.speed_kmh") == 0
    assert car.get("vehicle.odometer_km") == pytest.approx(12480 + 4.2)
    assert [entry.kind for entry in car.events()] == ["out_of_energy"]


def test_range_and_outside_queries(car: Vehicle) -> None:
    assert car.apply({"kind": "query_range"}).facts == RangeFacts(range_km=336.0, energy_pct=80.0,
                                                                  powertrain="electric")
    assert car.apply({"kind": "query_outside_temperature"}).facts == OutsideTemperatureFacts(outside_c=12.0)


def test_petrol_car() -> None:
    car = Vehicle(overrides={"vehicle": {"powertrain": "petrol", "full_range_km": 650, "energy_pct": 50}})
    assert car.get("vehicle.range_km") == 325.0
