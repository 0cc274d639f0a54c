"""Media actions: sources, playing from the library, radio tuning, transport, shuffle/repeat, volume, with their facts.

    Vehicle().apply({"kind": "tune_radio", "station": "Country Roads"}).facts
    # StationFacts(station='Country Roads', band='fm', frequency='99.5 MHz')
"""

from __future__ import annotations

from typing import Literal

from vehicle_sim import playback
from vehicle_sim.actions import (
    AdjustVolume,
    Pause,
    PlayAlbum,
    PlayArtist,
    PlayGenre,
    PlayPlaylist,
    PlayTrack,
    QueryNowPlaying,
    Resume,
    SetRepeat,
    SetShuffle,
    SetSource,
    SetVolume,
    Skip,
    TuneRadio,
)
from vehicle_sim.handlers.base import Context, Rejected, Result, clamp, handles
from vehicle_sim.library import Band, Station
from vehicle_sim.outcome import Facts
from vehicle_sim.rejection import require
from vehicle_sim.state import (
    PLAYER_SOURCES,
    RADIO_SOURCES,
    VOLUME_MAX,
    Media,
    NowPlaying,
    RepeatMode,
    Source,
    VehicleState,
)

LIBRARY_SOURCE: Source = "usb"


class SourceFacts(Facts):
    """The source now active and whether it plays; a refusal or end of queue names the source too."""

    source: Source
    playing: bool


class QueueFacts(Facts):
    """What started playing: the queue (`artist: Marina Vale`), its length, and its first track."""

    source: Source
    queue: str
    tracks: int
    title: str
    artist: str
    album: str


class StationFacts(Facts):
    station: str
    band: Band
    frequency: str


class TrackFacts(Facts):
    """The track a skip landed on."""

    title: str
    artist: str
    source: Source


class NoStationFacts(Facts):
    """No station broadcasts on `frequency`; the nearest ones, as `name (frequency)`."""

    frequency: float
    band: Band
    suggestions: list[str]


class ShuffleFacts(Facts):
    shuffle: bool


class RepeatFacts(Facts):
    repeat: RepeatMode


class VolumeFacts(Facts):
    volume: int


class NowPlayingFacts(Facts):
    now_playing: NowPlaying | None
    playing: bool
    volume: int
    muted: bool


def _has_content(media: Media, source: Source) -> bool:
    if source in RADIO_SOURCES:
        return media.radio(source).station is not None
    return bool(media.player(source).tracks)


def _source_facts(media: Media) -> SourceFacts:
    return SourceFacts(source=media.source, playing=media.playing)


@handles(SetSource, facts=SourceFacts)
def set_source(ctx: Context, action: SetSource) -> Result:
    media = ctx.state.media
    media.source = action.source
    media.playing = media.playing and _has_content(media, action.source)
    return Result(facts=_source_facts(media))


def _play_queue(ctx: Context, tracks: list[str], label: str, start: int = 0) -> Result:
    """Play `tracks` on the current player source (the library's USB source when the radio is on)."""
    media = ctx.state.media
    source = media.source if media.source in PLAYER_SOURCES else LIBRARY_SOURCE
    playback.load_queue(media.player(source), tracks, label, start, media.shuffle, ctx.rng)
    media.source = source
    media.playing = True
    first = ctx.world.library.tracks[media.player(source).current_track or tracks[start]]
    return Result(facts=QueueFacts(source=source, queue=label, tracks=len(tracks), title=first.title,
                                   artist=first.artist, album=first.album))


def _play_matching(ctx: Context, field: Literal["artist", "album", "genre"], query: str) -> Result:
    """Play every track whose artist, album or genre is the one `query` names."""
    library = ctx.world.library
    value = require(library.index_of(field).find(query), f"{field}_not_found", field, query)
    return _play_queue(ctx, library.tracks_where(field, value), f"{field}: {value}")


@handles(PlayArtist, facts=QueueFacts)
def play_artist(ctx: Context, action: PlayArtist) -> Result:
    return _play_matching(ctx, "artist", action.artist)


@handles(PlayAlbum, facts=QueueFacts)
def play_album(ctx: Context, action: PlayAlbum) -> Result:
    return _play_matching(ctx, "album", action.album)


@handles(PlayGenre, facts=QueueFacts)
def play_genre(ctx: Context, action: PlayGenre) -> Result:
    return _play_matching(ctx, "genre", action.genre)


@handles(PlayPlaylist, facts=QueueFacts)
def play_playlist(ctx: Context, action: PlayPlaylist) -> Result:
    library = ctx.world.library
    name = require(library.playlist_index.find(action.playlist), "playlist_not_found", "playlist", action.playlist)
    return _play_queue(ctx, list(library.playlists[name]), f"playlist: {name}")


@handles(PlayTrack, facts=QueueFacts)
def play_track(ctx: Context, action: PlayTrack) -> Result:
    """Play the track, followed by the rest of its album."""
    library = ctx.world.library
    artist = None
    if action.artist is not None:
        artist = require(library.index_of("artist").find(action.artist), "artist_not_found", "artist", action.artist)
    track_id = require(library.title_index(artist).find(action.title), "track_not_found", "track", action.title)
    track = library.tracks[track_id]
    album = library.tracks_where("album", track.album)
    return _play_queue(ctx, album, f"album: {track.album}", start=album.index(track_id))


def _tune(ctx: Context, station: Station) -> Result:
    media = ctx.state.media
    media.source = station.band
    media.radio(station.band).station = station.name
    media.playing = True
    return Result(facts=StationFacts(station=station.name, band=station.band, frequency=station.frequency_label))


def _station_at(ctx: Context, band: Band, frequency: float) -> Station:
    stations = ctx.world.library.stations_on(band)
    nearest = sorted(stations, key=lambda station: abs(station.frequency - frequency))
    tolerance = 1.0 if band == "am" else 0.05
    if nearest and abs(nearest[0].frequency - frequency) <= tolerance:
        return nearest[0]
    suggestions = [f"{station.name} ({station.frequency_label})" for station in nearest[:3]]
    raise Rejected("not_found", "station_not_found", f"no {band.upper()} station on {frequency}",
                   NoStationFacts(frequency=frequency, band=band, suggestions=suggestions))


@handles(TuneRadio, facts=StationFacts)
def tune_radio(ctx: Context, action: TuneRadio) -> Result:
    if action.station is not None:
        index = ctx.world.library.station_index
        return _tune(ctx, require(index.find(action.station), "station_not_found", "station", action.station))
    current = ctx.state.media.source
    band: Band = action.band or (current if current in RADIO_SOURCES else "fm")  # type: ignore[assignment]
    return _tune(ctx, _station_at(ctx, band, action.frequency or 0.0))


@handles(Pause, facts=SourceFacts)
def pause(ctx: Context, action: Pause) -> Result:
    ctx.state.media.playing = False
    return Result(facts=_source_facts(ctx.state.media))


@handles(Resume, facts=SourceFacts)
def resume(ctx: Context, action: Resume) -> Result:
    media = ctx.state.media
    if not _has_content(media, media.source):
        raise Rejected("refused", "nothing_to_play", f"there is nothing to play on {media.source}",
                       _source_facts(media))
    media.playing = True
    return Result(facts=_source_facts(media))


@handles(Skip, facts=(StationFacts, TrackFacts))
def skip(ctx: Context, action: Skip) -> Result:
    media = ctx.state.media
    steps = action.count if action.direction == "next" else -action.count
    if media.source in RADIO_SOURCES:
        stations = ctx.world.library.stations_on(media.source)  # type: ignore[arg-type]
        tuned = media.radio(media.source).station
        current = next((i for i, station in enumerate(stations) if station.name == tuned), 0)
        return _tune(ctx, stations[(current + steps) % len(stations)])
    player = media.player(media.source)
    if not player.tracks:
        raise Rejected("refused", "nothing_to_play", f"the {media.source} queue is empty", _source_facts(media))
    if not playback.step(player, steps, wrap=media.repeat == "all"):
        code = "end_of_queue" if steps > 0 else "start_of_queue"
        raise Rejected("no_change", code, f"there is no {action.direction} track", _source_facts(media))
    media.playing = True
    track = ctx.world.library.tracks[player.current_track or ""]
    return Result(facts=TrackFacts(title=track.title, artist=track.artist, source=media.source))


@handles(SetShuffle, facts=ShuffleFacts)
def set_shuffle(ctx: Context, action: SetShuffle) -> Result:
    media = ctx.state.media
    if action.on != media.shuffle:
        media.shuffle = action.on
        for source in PLAYER_SOURCES:
            if action.on:
                playback.shuffle(media.player(source), ctx.rng)
            else:
                playback.unshuffle(media.player(source))
    return Result(facts=ShuffleFacts(shuffle=media.shuffle))


@handles(SetRepeat, facts=RepeatFacts)
def set_repeat(ctx: Context, action: SetRepeat) -> Result:
    ctx.state.media.repeat = action.mode
    return Result(facts=RepeatFacts(repeat=action.mode))


def _volume_facts(state: VehicleState) -> VolumeFacts:
    return VolumeFacts(volume=state.media.volume)


@handles(SetVolume, facts=VolumeFacts)
def set_volume(ctx: Context, action: SetVolume) -> Result:
    """Setting a volume also unmutes, as on the car's knob."""
    result = Result()
    media = ctx.state.media
    media.volume = round(clamp(action.level, 0, VOLUME_MAX, result))
    media.muted = False
    result.read_after = _volume_facts
    return result


@handles(AdjustVolume, facts=VolumeFacts)
def adjust_volume(ctx: Context, action: AdjustVolume) -> Result:
    return set_volume(ctx, SetVolume(level=ctx.state.media.volume + action.delta))


@handles(QueryNowPlaying, facts=NowPlayingFacts)
def query_now_playing(ctx: Context, action: QueryNowPlaying) -> Result:
    media = ctx.state.media
    return Result(facts=NowPlayingFacts(now_playing=media.now_playing, playing=media.playing, volume=media.volume,
                                        muted=media.muted))
