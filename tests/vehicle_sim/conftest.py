"""Fixtures for the vehicle simulator tests: a fresh car per test, the shared world, and an invariant check."""

from __future__ import annotations

import pytest

from vehicle_sim import Vehicle, World, default_world
from vehicle_sim.invariants import violations


@pytest.fixture(scope="session")
def world() -> World:
    return default_world()


@pytest.fixture
def car() -> Vehicle:
    return Vehicle(seed=7)


@pytest.fixture
def moving_car() -> Vehicle:
    """A car at 110 km/h on the open road (no route), for safety-policy tests."""
    return Vehicle(seed=7, overrides={"vehicle": {"speed_kmh": 110}})


@pytest.fixture
def assert_sound(world: World):
    def check(vehicle: Vehicle) -> None:
        problems = violations(vehicle.snapshot(), world)
        assert problems == [], problems

    return check
