"""The shipped data: sizes, a real street graph, reproducible generation, and clear errors for broken files."""

from __future__ import annotations

import json
import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from vehicle_sim import DataFileError, World
from vehicle_sim.data.make_city import build_city
from vehicle_sim.data_files import DATA_DIR

REQUIRED_CATEGORIES = {"fuel", "ev_charging", "parking", "restaurant", "coffee", "hospital", "pharmacy",
                       "supermarket", "hotel"}


def test_media_library_is_big_enough(world: World) -> None:
    library = world.library
    assert len(library.artists) >= 40
    assert len(library.tracks) >= 150
    assert len(library.stations) >= 20
    assert {station.band for station in library.stations} == {"fm", "am", "dab"}
    assert len(library.playlists) >= 3
    assert len({track.album for track in library.tracks.values()}) >= 40
    assert len({track.genre for track in library.tracks.values()}) >= 10


def test_station_frequencies_are_plausible(world: World) -> None:
    for station in world.library.stations:
        low, high = {"fm": (87.5, 108.0), "am": (530, 1710), "dab": (174.0, 240.0)}[station.band]
        assert low <= station.frequency <= high, station
        assert (station.channel is not None) == (station.band == "dab")


def test_city_is_big_enough(world: World) -> None:
    city = world.city
    assert len(city.coordinates) >= 150
    assert len(city.pois) >= 60
    assert {poi.category for poi in city.pois} >= REQUIRED_CATEGORIES
    assert city.saved_places.home and city.saved_places.work and city.saved_places.favourites


def test_streets_are_runs_of_neighbouring_nodes_that_share_crossings(world: World) -> None:
    city = world.city
    streets_per_node: dict[int, set[str]] = {}
    for street in city.streets.values():
        for a, b in pairwise(street.nodes):
            assert city.edge(a, b).street == street.name
        for node in street.nodes:
            streets_per_node.setdefault(node, set()).add(street.name)
    crossings = [node for node, names in streets_per_node.items() if len(names) > 1]
    assert len(crossings) >= 100
    assert set(streets_per_node) == set(city.coordinates), "every node lies on a street"


def test_every_node_is_reachable_from_home(world: World) -> None:
    city = world.city
    assert set(city.distances_from(city.saved_places.home.node)) == set(city.coordinates)


def test_committed_city_matches_the_generator() -> None:
    committed = json.loads((DATA_DIR / "city.json").read_text(encoding="utf-8"))
    assert committed == build_city()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for name in ("city.json", "media.yaml", "safety.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copy_of_the_data_loads(data_copy: Path) -> None:
    assert len(World.load(data_copy).city.pois) >= 60


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("media.yaml", "genre: pop\n", "genre: pop\n    mood: happy\n", "mood"),
    ("media.yaml", "[Northbound Echo, Open Road]", "[Northbound Echo, Closed Road]", "Closed Road"),
    ("media.yaml", "band: fm, frequency: 101.3", "band: xm, frequency: 101.3", "band"),
    ("city.json", '"speed_kmh": 30', '"speed_kmh": -30', "speed_kmh"),
    ("city.json", '"category": "fuel"', '"category": "fuel_cells"', "fuel_cells"),
    ("safety.yaml", "  set_sunroof:", "  open_sunroof:", "open_sunroof"),
    ("safety.yaml", "      max: 30\n", "", "needs max"),
    ("safety.yaml", "path: vehicle.sunroof_pct", "path: vehicle.moonroof_pct", "vehicle.moonroof_pct"),
    ("safety.yaml", "effect: refuse", "effect: ignore", "effect"),
])
def test_a_broken_file_names_file_and_field(data_copy: Path, file: str, old: str, new: str, expected: str) -> None:
    _edit(data_copy / file, old, new)
    with pytest.raises(DataFileError) as error:
        World.load(data_copy)
    assert file in str(error.value)
    assert expected in str(error.value)


def test_a_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "city.json").unlink()
    with pytest.raises(DataFileError, match=r"city\.json"):
        World.load(data_copy)


def test_a_file_that_is_not_yaml_is_named(data_copy: Path) -> None:
    (data_copy / "media.yaml").write_text("artists: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"media\.yaml: not valid YAML"):
        World.load(data_copy)
