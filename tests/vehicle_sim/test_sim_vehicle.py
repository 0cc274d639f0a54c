"""The simulator itself: construction and overrides, reading paths, the log, undo, determinism, threads."""

from __future__ import annotations

import json
import threading

import pytest

from vehicle_sim import (
    ACTION_ADAPTER,
    ACTION_KINDS,
    InvalidActionError,
    InvalidStateError,
    UnknownPathError,
    Vehicle,
    VehicleSimError,
    format_distance,
    format_temperature,
)


def test_overrides_are_merged_over_the_defaults() -> None:
    car = Vehicle(overrides={"vehicle": {"speed_kmh": 100}, "media": {"volume": 20}})
    assert car.get("vehicle.speed_kmh") == 100 and car.get("vehicle.gear") == "D"
    assert car.get("vehicle.driving_state") == "driving"
    assert car.get("media.volume") == 20 and car.get("climate.driver.set_point") == 21.0


@pytest.mark.parametrize(("overrides", "named"), [
    ({"vehicle": {"spead_kmh": 100}}, "vehicle.spead_kmh"),
    ({"media": {"volume": 99}}, "media.volume"),
    ({"climate": {"seats": {"driver": {"heat": 2, "ventilation": 2}}}}, "climate.seats.driver"),
    ({"vehicle": {"speed_kmh": 50, "gear": "P"}}, "cannot move in park"),
])
def test_invalid_overrides_name_the_problem(overrides: dict, named: str) -> None:
    with pytest.raises(InvalidStateError, match=named):
        Vehicle(overrides=overrides)


def test_starting_in_the_middle_of_a_route() -> None:
    car = Vehicle(overrides={"navigation": {"destination": {"name": "Work", "kind": "saved", "node_id": 61}}})
    assert car.get("navigation.route_nodes")[-1] == 61 and car.get("navigation.eta_min") > 0


def test_get_reads_dotted_paths_and_explains_unknown_ones(car: Vehicle) -> None:
    assert car.get("climate.driver.set_point") == 21.0
    assert car.get("navigation.destination") is None
    car.apply({"kind": "navigate_to", "poi": "City Museum"})
    car.apply({"kind": "add_stop", "poi": "Central Station"})
    assert car.get("navigation.stops.0.name") == "Central Station"
    with pytest.raises(UnknownPathError, match="set_point"):
        car.get("climate.driver.setpoint")


def test_snapshot_is_a_copy(car: Vehicle) -> None:
    snapshot = car.snapshot()
    snapshot.media.volume = 3
    assert car.get("media.volume") == 12
    json.loads(snapshot.model_dump_json())


def test_the_same_seed_gives_the_same_car() -> None:
    assert Vehicle(seed=5).snapshot() == Vehicle(seed=5).snapshot()
    assert Vehicle(seed=5).get("climate.driver.current_c") != Vehicle(seed=6).get("climate.driver.current_c")


def test_every_action_kind_has_a_handler() -> None:
    from vehicle_sim.handlers import HANDLERS

    assert sorted(model.model_fields["kind"].default for model in HANDLERS) == sorted(set(ACTION_KINDS) - {"undo"})


def test_actions_come_from_plain_dicts(car: Vehicle) -> None:
    action = ACTION_ADAPTER.validate_python({"kind": "adjust_volume", "delta": 2})
    assert car.apply(action).facts.volume == 14


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "fly_to_moon"}, "unknown action kind 'fly_to_moon'"),
    ({"kind": "set_volume"}, "level"),
    ({"kind": "set_seat_heat", "seat": "roof", "level": 1}, "seat"),
    ({"kind": "navigate_to", "poi": "a", "address": "b"}, "exactly one"),
])
def test_bad_action_dicts_raise_a_clear_error(car: Vehicle, data: dict, message: str) -> None:
    with pytest.raises(InvalidActionError, match=message):
        car.apply(data)


def test_outcomes_serialise_to_json(car: Vehicle) -> None:
    outcome = car.apply({"kind": "navigate_to", "category": "coffee"})
    assert json.loads(outcome.model_dump_json())["action"]["kind"] == "navigate_to"


def test_the_event_log_records_actions_with_times(car: Vehicle) -> None:
    car.apply({"kind": "set_volume", "level": 5})
    car.tick(10)
    car.apply({"kind": "play_artist", "artist": "nobody at all"})
    log = car.events()
    assert [(entry.time_s, entry.kind, entry.status) for entry in log] == [
        (0.0, "set_volume", "done"), (10.0, "play_artist", "not_found")]
    assert log[0].changes[0].path == "media.volume"


def test_undo_reverts_the_last_change_only(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "value": 24})
    car.apply({"kind": "set_volume", "level": 20})
    car.apply({"kind": "query_eta"})
    outcome = car.undo()
    assert outcome.status == "done" and outcome.facts.undone == "set_volume"
    assert car.get("media.volume") == 12 and car.get("climate.driver.set_point") == 24.0
    car.undo()
    assert car.get("climate.driver.set_point") == 21.0
    assert car.undo().code == "nothing_to_undo"


def test_undo_keeps_what_time_did(car: Vehicle) -> None:
    car.apply({"kind": "set_temperature", "value": 26})
    car.tick(300)
    warmed = car.get("climate.driver.current_c")
    car.undo()
    assert car.get("climate.driver.set_point") == 21.0 and car.get("climate.driver.current_c") == warmed


def test_undo_of_a_reroute_replans_from_where_the_car_is(car: Vehicle, assert_sound) -> None:
    car.apply({"kind": "navigate_to", "poi": "Brookfield Airport"})
    car.apply({"kind": "navigate_to", "poi": "City Museum"})
    car.tick(20)
    assert car.undo().status == "done"
    assert car.get("navigation.destination.name") == "Brookfield Airport"
    assert_sound(car)


def test_tick_rejects_bad_durations(car: Vehicle) -> None:
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(VehicleSimError):
            car.tick(bad)


def test_unit_helpers() -> None:
    assert format_temperature(21.5) == "21.5 °C" and format_temperature(22.0, "F") == "72 °F"
    assert format_distance(16.09344, "mi") == "10.0 mi"


def test_snapshots_stay_consistent_while_another_thread_acts(car: Vehicle) -> None:
    problems: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            state = car.snapshot()
            if state.climate.sync and state.climate.passenger.set_point != state.climate.driver.set_point:
                problems.append("torn read")

    thread = threading.Thread(target=reader)
    thread.start()
    for step in range(300):
        car.apply({"kind": "set_climate_sync", "on": True})
        car.apply({"kind": "adjust_temperature", "delta": 1 if step % 2 else -1})
        car.tick(1)
    stop.set()
    thread.join()
    assert problems == []
