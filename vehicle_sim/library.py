"""The offline media library (artists, albums, tracks, playlists) and the radio stations, loaded from data."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vehicle_sim.data_files import DATA_DIR, load_model
from vehicle_sim.matching import NameIndex

Band = Literal["fm", "am", "dab"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlbumEntry(_Strict):
    title: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)
    tracks: list[tuple[str, int]] = Field(min_length=1)


class ArtistEntry(_Strict):
    name: str = Field(min_length=1)
    genre: str = Field(min_length=1)
    albums: list[AlbumEntry] = Field(min_length=1)


class PlaylistEntry(_Strict):
    name: str = Field(min_length=1)
    tracks: list[tuple[str, str]] = Field(min_length=1)


class Station(_Strict):
    name: str = Field(min_length=1)
    band: Band
    frequency: float = Field(gt=0, description="MHz for FM and DAB, kHz for AM")
    channel: str | None = None
    genre: str

    @property
    def frequency_label(self) -> str:
        if self.band == "am":
            return f"{self.frequency:.0f} kHz"
        if self.band == "dab":
            return f"DAB {self.channel}"
        return f"{self.frequency:.1f} MHz"


class Track(_Strict):
    id: str
    title: str
    artist: str
    album: str
    genre: str
    duration_s: int = Field(gt=0)


def track_id(artist: str, title: str) -> str:
    return f"{slug(artist)}/{slug(title)}"


class LibraryFile(_Strict):
    """The layout of `media.yaml`; checks that names are unique and playlists name real tracks."""

    artists: list[ArtistEntry] = Field(min_length=1)
    playlists: list[PlaylistEntry] = []
    stations: list[Station] = Field(min_length=1)

    def all_tracks(self) -> list[Track]:
        return [Track(id=track_id(artist.name, title), title=title, artist=artist.name, album=album.title,
                      genre=artist.genre, duration_s=duration)
                for artist in self.artists for album in artist.albums for title, duration in album.tracks]

    @model_validator(mode="after")
    def _names_are_unique(self) -> LibraryFile:
        for label, names in (("artists", [a.name for a in self.artists]),
                             ("stations", [s.name for s in self.stations]),
                             ("tracks of one artist", [t.id for t in self.all_tracks()])):
            duplicates = sorted({name for name in names if names.count(name) > 1})
            if duplicates:
                raise ValueError(f"{label} listed twice: {', '.join(duplicates)}")
        return self

    @model_validator(mode="after")
    def _playlists_name_real_tracks(self) -> LibraryFile:
        known = {track.id for track in self.all_tracks()}
        for playlist in self.playlists:
            missing = [f"{title!r} by {artist}" for artist, title in playlist.tracks
                       if track_id(artist, title) not in known]
            if missing:
                raise ValueError(f"playlist {playlist.name!r} names tracks not in the library: {', '.join(missing)}")
        return self


class MediaLibrary:
    """Read-only indexes over the library: tracks by id, by artist, album, genre and playlist; stations by band."""

    def __init__(self, data: LibraryFile):
        self.tracks: dict[str, Track] = {track.id: track for track in data.all_tracks()}
        self.artists = [artist.name for artist in data.artists]
        self.playlists = {playlist.name: [track_id(*pair) for pair in playlist.tracks] for playlist in data.playlists}
        self.stations = sorted(data.stations, key=lambda station: (station.band, station.frequency))
        self._indexes: dict[str, NameIndex[str]] = {}

    def tracks_where(self, field: Literal["artist", "album", "genre"], value: str) -> list[str]:
        return [track.id for track in self.tracks.values() if getattr(track, field) == value]

    def stations_on(self, band: Band) -> list[Station]:
        return [station for station in self.stations if station.band == band]

    def station(self, name: str) -> Station:
        return next(station for station in self.stations if station.name == name)

    def index_of(self, field: Literal["artist", "album", "genre"]) -> NameIndex[str]:
        """Names of artists, albums or genres, for tolerant lookup."""
        if field not in self._indexes:
            self._indexes[field] = NameIndex((getattr(track, field),) * 2 for track in self.tracks.values())
        return self._indexes[field]

    @cached_property
    def playlist_index(self) -> NameIndex[str]:
        return NameIndex((name, name) for name in self.playlists)

    @cached_property
    def station_index(self) -> NameIndex[Station]:
        return NameIndex((station.name, station) for station in self.stations)

    def title_index(self, artist: str | None = None) -> NameIndex[str]:
        return NameIndex((track.title, track.id) for track in self.tracks.values()
                         if artist is None or track.artist == artist)


def load_library(path: Path = DATA_DIR / "media.yaml") -> MediaLibrary:
    return MediaLibrary(load_model(path, LibraryFile))
