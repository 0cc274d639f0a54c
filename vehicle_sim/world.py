"""The static world a car lives in: the city map, the media library and the safety policy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vehicle_sim.citymap import CityMap, load_city
from vehicle_sim.data_files import DATA_DIR
from vehicle_sim.library import MediaLibrary, load_library
from vehicle_sim.safety import SafetyPolicy, load_policy


@dataclass(frozen=True)
class World:
    city: CityMap
    library: MediaLibrary
    policy: SafetyPolicy

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> World:
        """Load `city.json`, `media.yaml` and `safety.yaml` from `data_dir`; DataFileError names any bad field."""
        return cls(load_city(data_dir / "city.json"), load_library(data_dir / "media.yaml"),
                   load_policy(data_dir / "safety.yaml"))


@lru_cache(maxsize=1)
def default_world() -> World:
    """The shipped world, loaded once per process (it is read-only and safe to share)."""
    return World.load()
