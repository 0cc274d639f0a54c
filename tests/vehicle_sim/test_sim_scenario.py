"""A short trip: set the climate, route to a POI with a coffee stop, play an artist, drive until arrival."""

from __future__ import annotations

import pytest

from vehicle_sim import Vehicle


def test_a_short_trip(assert_sound) -> None:
    car = Vehicle(seed=42, overrides={"vehicle": {"outside_temp_c": 4.0}})
    odometer, energy = car.get("vehicle.odometer_km"), car.get("vehicle.energy_pct")
    cabin_at_start = car.get("climate.driver.current_c")

    assert car.apply({"kind": "set_temperature", "zone": "all", "value": 22}).status == "done"
    assert car.apply({"kind": "set_seat_heat", "seat": "driver", "level": 2}).status == "done"
    route = car.apply({"kind": "navigate_to", "poi": "Grand Plaza Hotel"})
    assert route.status == "done" and route.facts.destination == "Grand Plaza Hotel"
    stop = car.apply({"kind": "add_stop", "category": "coffee", "along_route": True})
    assert stop.status == "done" and stop.facts.added_min >= 0
    assert car.apply({"kind": "play_artist", "artist": "Midnight Harbour"}).status == "done"
    trip_km, eta_min = car.get("navigation.distance_remaining_km"), car.get("navigation.eta_min")

    ticks = 0
    while car.get("navigation.destination") is not None:
        car.tick(10)
        ticks += 1
        assert_sound(car)
        assert ticks < 200, "the car never arrived"

    assert ticks * 10 == pytest.approx(eta_min * 60, abs=10)
    assert car.get("navigation.last_arrival.name") == "Grand Plaza Hotel"
    assert car.get("navigation.position.node_id") == car.get("navigation.last_arrival.node_id")
    assert car.get("vehicle.driving_state") == "parked" and car.get("vehicle.speed_kmh") == 0
    assert car.get("vehicle.odometer_km") == pytest.approx(odometer + trip_km, abs=0.01)
    assert car.get("vehicle.energy_pct") < energy
    cabin_gap_closed = (car.get("climate.driver.current_c") - cabin_at_start) / (22.0 - cabin_at_start)
    assert 0.5 < cabin_gap_closed < 1.0, "the cabin warms towards the set point during the trip"
    assert car.get("climate.seats.driver.heat") == 2
    assert car.get("media.now_playing.artist") == "Midnight Harbour" and car.get("media.playing") is True
    arrivals = [(entry.kind, entry.facts.place) for entry in car.events()
                if entry.kind in ("stop_reached", "arrived")]
    assert arrivals == [("stop_reached", stop.facts.stop), ("arrived", "Grand Plaza Hotel")]
