"""The safety policy from data/safety.yaml: refusals, clamps and confirmations explain themselves."""

from __future__ import annotations

import pytest

from vehicle_sim import Vehicle


def _car(speed_kmh: float, **vehicle) -> Vehicle:
    return Vehicle(seed=3, overrides={"vehicle": {"speed_kmh": speed_kmh, **vehicle}})


def test_sunroof_is_refused_at_high_speed() -> None:
    car = _car(130)
    outcome = car.apply({"kind": "set_sunroof", "open_pct": 100})
    assert outcome.status == "refused" and outcome.code == "sunroof_unsafe_at_speed"
    assert outcome.facts.speed_kmh == 130 and outcome.facts.speed_limit_kmh == 120
    assert "120 km/h" in outcome.message
    assert car.get("vehicle.sunroof_pct") == 0


def test_sunroof_is_clamped_at_motorway_speed(moving_car: Vehicle) -> None:
    outcome = moving_car.apply({"kind": "set_sunroof", "open_pct": 100})
    assert outcome.status == "done" and outcome.clamped and outcome.code == "sunroof_limited_at_speed"
    assert outcome.clamp.asked == 100 and outcome.clamp.limited_to == 30
    assert outcome.facts.open_pct == 30 and moving_car.get("vehicle.sunroof_pct") == 30


def test_closing_is_never_blocked() -> None:
    car = _car(130, sunroof_pct=60, windows={"driver": 80})
    assert car.apply({"kind": "set_sunroof", "open_pct": 10}).status == "done"
    assert car.apply({"kind": "set_window", "window": "driver", "open_pct": 0}).status == "done"


def test_windows_open_halfway_at_most_above_100(moving_car: Vehicle) -> None:
    outcome = moving_car.apply({"kind": "set_window", "window": "driver", "open_pct": 100})
    assert outcome.code == "window_limited_at_speed" and moving_car.get("vehicle.windows.driver") == 50


def test_rear_windows_need_confirmation_while_driving() -> None:
    car = _car(40)
    outcome = car.apply({"kind": "set_window", "window": "rear_left", "open_pct": 100})
    assert outcome.status == "needs_confirmation" and outcome.code == "rear_window_open_while_driving"
    assert car.get("vehicle.windows.rear_left") == 0
    assert car.apply({"kind": "set_window", "window": "rear_left", "open_pct": 100}, confirmed=True).status == "done"
    assert car.get("vehicle.windows.rear_left") == 100


def test_confirmed_rear_window_is_still_clamped_at_speed(moving_car: Vehicle) -> None:
    outcome = moving_car.apply({"kind": "set_window", "window": "all", "open_pct": 100}, confirmed=True)
    assert outcome.clamped
    assert all(moving_car.get(f"vehicle.windows.{w}") == 50 for w in ("driver", "passenger", "rear_left", "rear_right"))


def test_doors_cannot_be_unlocked_while_moving(moving_car: Vehicle, car: Vehicle) -> None:
    assert moving_car.apply({"kind": "set_door_lock", "locked": False}).code == "unlock_while_moving"
    assert car.apply({"kind": "set_door_lock", "locked": False}).status == "done"


def test_volume_is_capped_for_every_action(car: Vehicle) -> None:
    outcome = car.apply({"kind": "set_volume", "level": 30})
    assert outcome.code == "volume_cap" and outcome.facts.volume == 26
    car.apply({"kind": "adjust_volume", "delta": -6})
    outcome = car.apply({"kind": "adjust_volume", "delta": 10})
    assert outcome.clamped and car.get("media.volume") == 26


def test_defrost_off_in_the_cold_needs_confirmation() -> None:
    car = Vehicle(seed=3, overrides={"vehicle": {"speed_kmh": 50, "outside_temp_c": -2},
                                     "climate": {"front_defrost": True}})
    assert car.apply({"kind": "set_defrost", "on": False}).status == "needs_confirmation"
    assert car.apply({"kind": "set_defrost", "on": False}, confirmed=True).status == "done"


def test_cancel_route_while_driving_needs_confirmation(car: Vehicle) -> None:
    car.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    car.tick(30)
    outcome = car.apply({"kind": "cancel_route"})
    assert outcome.status == "needs_confirmation" and outcome.code == "cancel_route_while_driving"
    assert car.get("navigation.destination.name") == "Brookfield Airport"
    assert car.apply({"kind": "cancel_route"}, confirmed=True).status == "done"


def test_reverse_is_refused_at_speed(moving_car: Vehicle) -> None:
    outcome = moving_car.apply({"kind": "driver_input", "gear": "R"})
    assert outcome.status == "refused" and outcome.code == "gear_change_at_speed"
    assert moving_car.get("vehicle.gear") == "D"


@pytest.mark.parametrize(("speed", "status", "sunroof"), [(0, "done", 100), (90, "done", 30), (130, "refused", 0)])
def test_undo_obeys_the_rules_of_the_action_it_reverts(speed: float, status: str, sunroof: int) -> None:
    car = _car(speed, sunroof_pct=100)
    car.apply({"kind": "set_sunroof", "open_pct": 0})
    outcome = car.undo()
    assert outcome.status == status and car.get("vehicle.sunroof_pct") == sunroof
