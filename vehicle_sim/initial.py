"""The state of a fresh car: parked at home, radio on the first stations, cabin a little warmer than outside.

Callers may merge a nested dict over these defaults (`{"vehicle": {"speed_kmh": 100}}`); the result is
validated like any other state, so a typo or an impossible value fails with the path that is wrong.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from vehicle_sim.data_files import describe_validation_error
from vehicle_sim.errors import InvalidStateError
from vehicle_sim.state import VehicleState
from vehicle_sim.world import World

_SUN_WARMING_C = (1.5, 6.0)


def _defaults(world: World) -> dict[str, Any]:
    library = world.library
    state = VehicleState().model_dump(mode="json")
    state["navigation"]["position"]["node_id"] = world.city.saved_places.home.node
    for band in ("fm", "am", "dab"):
        state["media"]["sources"][band]["station"] = library.stations_on(band)[0].name
    all_tracks = list(library.tracks)
    state["media"]["sources"]["usb"].update(tracks=all_tracks, order=list(range(len(all_tracks))),
                                            label="all tracks")
    return state


def _merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _given(overrides: Mapping[str, Any], *path: str) -> bool:
    node: Any = overrides
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def initial_state(world: World, rng: random.Random, overrides: Mapping[str, Any] | None = None) -> VehicleState:
    """Defaults with `overrides` merged over them; a moving car without a gear given is put in drive."""
    overrides = overrides or {}
    state = _merge(_defaults(world), overrides)
    if state["vehicle"]["speed_kmh"] and not _given(overrides, "vehicle", "gear"):
        state["vehicle"]["gear"] = "D"
    cabin_c = state["vehicle"]["outside_temp_c"] + rng.uniform(*_SUN_WARMING_C)
    for zone in ("driver", "passenger", "rear"):
        if not _given(overrides, "climate", zone, "current_c"):
            state["climate"][zone]["current_c"] = round(cabin_c, 1)
    try:
        return VehicleState.model_validate(state)
    except ValidationError as error:
        raise InvalidStateError(f"the initial-state overrides do not describe a valid car: "
                                f"{describe_validation_error(error)}") from error
