"""Media actions: playing from the library, radio, transport, shuffle/repeat, volume, per-source memory."""

from __future__ import annotations

import pytest

from vehicle_sim import Vehicle
from vehicle_sim.handlers.media import StationFacts


def _now(car: Vehicle, field: str):
    return car.get(f"media.now_playing.{field}")


def test_play_artist_queues_their_tracks_on_usb(car: Vehicle) -> None:
    outcome = car.apply({"kind": "play_artist", "artist": "marina vale"})
    assert outcome.status == "done" and outcome.facts.artist == "Marina Vale"
    assert car.get("media.source") == "usb" and car.get("media.playing") is True
    assert _now(car, "artist") == "Marina Vale"
    assert len(car.get("media.sources.usb.tracks")) == 4


@pytest.mark.parametrize("spoken", ["Velvet Lanterns", "the velvet lanterns!", "The Velvet Lantern"])
def test_artist_names_are_matched_tolerantly(car: Vehicle, spoken: str) -> None:
    car.apply({"kind": "play_artist", "artist": spoken})
    assert _now(car, "artist") == "The Velvet Lanterns"


def test_unknown_artist_is_not_found_with_suggestions(car: Vehicle) -> None:
    outcome = car.apply({"kind": "play_artist", "artist": "Marina Valley Band"})
    assert outcome.status == "not_found" and outcome.code == "artist_not_found"
    assert outcome.facts.query == "Marina Valley Band"
    assert "Marina Vale" in outcome.facts.suggestions
    assert outcome.changes == [] and car.get("media.source") == "fm"


def test_play_album_playlist_and_genre(car: Vehicle) -> None:
    car.apply({"kind": "play_album", "album": "night ferry"})
    assert _now(car, "album") == "Night Ferry"
    car.apply({"kind": "play_playlist", "playlist": "road trip"})
    assert car.get("media.sources.usb.label") == "playlist: Road Trip" and _now(car, "title") == "Open Road"
    car.apply({"kind": "play_genre", "genre": "Jazz"})
    assert _now(car, "genre") == "jazz"


def test_play_track_starts_inside_its_album(car: Vehicle) -> None:
    car.apply({"kind": "play_track", "title": "Slow Tide", "artist": "Velvet Lanterns"})
    assert _now(car, "title") == "Slow Tide"
    assert car.get("media.sources.usb.position") == 3


def test_play_track_by_another_artist_is_not_found(car: Vehicle) -> None:
    outcome = car.apply({"kind": "play_track", "title": "Slow Tide", "artist": "Marina Vale"})
    assert outcome.status == "not_found" and outcome.code == "track_not_found"


def test_play_on_bluetooth_stays_on_bluetooth(car: Vehicle) -> None:
    car.apply({"kind": "set_source", "source": "bluetooth"})
    car.apply({"kind": "play_artist", "artist": "Cold Coast"})
    assert car.get("media.source") == "bluetooth" and _now(car, "artist") == "Cold Coast"


def test_tune_radio_by_name_and_frequency(car: Vehicle) -> None:
    outcome = car.apply({"kind": "tune_radio", "station": "country roads"})
    assert outcome.facts == StationFacts(station="Country Roads", band="fm", frequency="99.5 MHz")
    car.apply({"kind": "tune_radio", "frequency": 810, "band": "am"})
    assert car.get("media.source") == "am" and _now(car, "station") == "Sports Radio"
    car.apply({"kind": "tune_radio", "station": "chill out radio"})
    assert car.get("media.source") == "dab" and _now(car, "frequency") == "DAB 12B"


def test_an_empty_frequency_suggests_the_nearest_stations(car: Vehicle) -> None:
    outcome = car.apply({"kind": "tune_radio", "frequency": 100.0})
    assert outcome.status == "not_found" and outcome.code == "station_not_found"
    assert outcome.facts.suggestions[0] == "Country Roads (99.5 MHz)"


def test_next_station_is_relative_and_wraps(car: Vehicle, world) -> None:
    fm = [station.name for station in world.library.stations_on("fm")]
    car.apply({"kind": "tune_radio", "station": fm[-1]})
    car.apply({"kind": "skip", "direction": "next"})
    assert car.get("media.sources.fm.station") == fm[0]
    car.apply({"kind": "skip", "direction": "previous", "count": 2})
    assert car.get("media.sources.fm.station") == fm[-2]


def test_skip_tracks_and_the_end_of_the_queue(car: Vehicle) -> None:
    car.apply({"kind": "play_album", "album": "Neon Heart"})
    car.apply({"kind": "skip", "count": 3})
    assert _now(car, "title") == "Lemonade Rain"
    outcome = car.apply({"kind": "skip"})
    assert outcome.status == "no_change" and outcome.code == "end_of_queue"
    car.apply({"kind": "set_repeat", "mode": "all"})
    car.apply({"kind": "skip"})
    assert _now(car, "title") == "Neon Heart"
    assert car.apply({"kind": "skip", "direction": "previous"}).facts.title == "Lemonade Rain"


def test_pause_and_resume(car: Vehicle) -> None:
    assert car.apply({"kind": "resume"}).status == "done"
    assert car.apply({"kind": "pause"}).changes[0].path == "media.playing"
    assert car.get("media.playing") is False


def test_resume_an_empty_source_is_refused(car: Vehicle) -> None:
    car.apply({"kind": "set_source", "source": "bluetooth"})
    outcome = car.apply({"kind": "resume"})
    assert outcome.status == "refused" and outcome.code == "nothing_to_play"


def test_position_advances_and_moves_on_to_the_next_track(car: Vehicle) -> None:
    car.apply({"kind": "play_album", "album": "Neon Heart"})  # 196 s, 183 s, ...
    car.tick(100)
    assert _now(car, "position_s") == 100
    car.tick(100)
    assert _now(car, "title") == "Call Me Tonight" and _now(car, "position_s") == 4


def test_playback_stops_at_the_end_without_repeat(car: Vehicle) -> None:
    car.apply({"kind": "play_album", "album": "Neon Heart"})
    car.tick(196 + 183 + 207 + 178 + 5)
    assert car.get("media.playing") is False


def test_repeat_one_replays_the_track(car: Vehicle) -> None:
    car.apply({"kind": "play_album", "album": "Neon Heart"})
    car.apply({"kind": "set_repeat", "mode": "one"})
    car.tick(196 * 3 + 10)
    assert _now(car, "title") == "Neon Heart" and _now(car, "position_s") == 10


def test_shuffle_is_seeded_and_keeps_the_current_track(world) -> None:
    orders = []
    for _ in range(2):
        car = Vehicle(seed=11)
        car.apply({"kind": "play_genre", "genre": "country"})
        car.apply({"kind": "set_shuffle", "on": True})
        assert _now(car, "title") == "Back Porch Blues"
        orders.append(car.get("media.sources.usb.order"))
    assert orders[0] == orders[1] and orders[0] != sorted(orders[0])
    car.apply({"kind": "set_shuffle", "on": False})
    assert car.get("media.sources.usb.order") == sorted(orders[0]) and _now(car, "title") == "Back Porch Blues"


def test_each_source_remembers_its_last_state(car: Vehicle) -> None:
    car.apply({"kind": "tune_radio", "station": "Jazz Lounge"})
    car.apply({"kind": "play_artist", "artist": "Pixel Drift"})
    car.tick(30)
    car.apply({"kind": "set_source", "source": "fm"})
    assert _now(car, "station") == "Jazz Lounge"
    car.apply({"kind": "set_source", "source": "usb"})
    assert _now(car, "artist") == "Pixel Drift" and _now(car, "position_s") == 30


def test_volume_absolute_relative_clamped_and_muted(car: Vehicle) -> None:
    car.apply({"kind": "set_volume", "level": 10})
    car.apply({"kind": "adjust_volume", "delta": 3})
    assert car.get("media.volume") == 13
    outcome = car.apply({"kind": "set_volume", "level": -4})
    assert outcome.clamped and outcome.code == "out_of_range" and car.get("media.volume") == 0
    car.apply({"kind": "set_mute", "on": True})
    car.apply({"kind": "adjust_volume", "delta": 2})
    assert car.get("media.muted") is False and car.get("media.volume") == 2


def test_query_now_playing(car: Vehicle) -> None:
    car.apply({"kind": "play_artist", "artist": "Hana Mori"})
    outcome = car.apply({"kind": "query_now_playing"})
    assert outcome.status == "done" and outcome.changes == []
    assert outcome.facts.now_playing.artist == "Hana Mori" and outcome.facts.playing is True
