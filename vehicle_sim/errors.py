"""Errors the simulator raises for bad input: each message says what was wrong and where."""


class VehicleSimError(Exception):
    """Base of every error `vehicle_sim` raises on purpose."""


class DataFileError(VehicleSimError):
    """A shipped data file (map, media library, safety policy) is missing or malformed; names the file and field."""


class InvalidActionError(VehicleSimError):
    """A plain dict could not be turned into an action (unknown kind, missing or badly typed field)."""


class InvalidStateError(VehicleSimError):
    """Initial-state overrides do not describe a valid car (unknown field or out-of-range value)."""


class UnknownPathError(VehicleSimError):
    """A dotted path such as `climate.driver.set_point` does not exist in the vehicle state."""
