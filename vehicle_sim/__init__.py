"""A believable simulated car: climate, media, navigation in a small offline city, and body controls.

Every change is a typed action applied with `Vehicle.apply`, which returns an `Outcome` (status, diff,
reason code, facts); time passes only through `Vehicle.tick`. See `actions.py` for the action kinds.
"""

from vehicle_sim.actions import ACTION_ADAPTER, ACTION_KINDS, Action, parse_action
from vehicle_sim.errors import (
    DataFileError,
    InvalidActionError,
    InvalidStateError,
    UnknownPathError,
    VehicleSimError,
)
from vehicle_sim.outcome import Outcome, Status
from vehicle_sim.paths import Change
from vehicle_sim.render import describe
from vehicle_sim.simulator import LogEntry, Vehicle
from vehicle_sim.state import VehicleState
from vehicle_sim.units import (
    celsius_to_fahrenheit,
    fahrenheit_to_celsius,
    format_distance,
    format_temperature,
    km_to_miles,
    miles_to_km,
)
from vehicle_sim.world import World, default_world

__all__ = [
    "ACTION_ADAPTER", "ACTION_KINDS", "Action", "Change", "DataFileError", "InvalidActionError", "InvalidStateError",
    "LogEntry", "Outcome", "Status", "UnknownPathError", "Vehicle", "VehicleSimError", "VehicleState", "World",
    "celsius_to_fahrenheit", "default_world", "describe", "fahrenheit_to_celsius", "format_distance",
    "format_temperature", "km_to_miles", "miles_to_km", "parse_action",
]
