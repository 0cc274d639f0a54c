"""What the assistant says about the media actions of `vehicle_sim/handlers/media.py`, and their reason codes.

    from carvoice.dialog.wording import describe
    describe(Vehicle().apply({"kind": "set_volume", "level": 15}), Units())   # Line(VOLUME, {"volume": "15"})
"""

from __future__ import annotations

import re
from typing import Any

from carvoice.dialog.spoken import Units
from carvoice.dialog.wording.base import Area, Line, Phrases, Switch, Templates, clamp_fields, facts_of
from vehicle_sim import Outcome
from vehicle_sim.actions import (
    ActionBase,
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
from vehicle_sim.handlers.media import (
    NowPlayingFacts,
    QueueFacts,
    RepeatFacts,
    SourceFacts,
    StationFacts,
    TrackFacts,
    VolumeFacts,
)

SOURCE_NAMES = {"fm": "FM radio", "am": "AM radio", "dab": "DAB radio", "bluetooth": "Bluetooth", "usb": "USB"}
LABELLED_STATION = re.compile(r"^(?P<station>.+) \((?P<label>.+)\)$")

AREA = Area(codes={
    "end_of_queue": ("That was the last track.", "This is the last track in the queue."),
    "start_of_queue": ("This is the first track.", "We're at the first track already."),
    "nothing_to_play": ("There's nothing to play on {source}.", "{source} has nothing queued."),
    "artist_not_found": ("I couldn't find an artist called {query}.", "There's no artist called {query} here."),
    "album_not_found": ("I couldn't find an album called {query}.", "There's no album called {query} here."),
    "track_not_found": ("I couldn't find a song called {query}.", "There's no song called {query} here."),
    "genre_not_found": ("I don't have any {query} music.", "There's no {query} in the library."),
    "playlist_not_found": ("There's no playlist called {query}.", "I couldn't find a playlist called {query}."),
    "station_not_found": ("I couldn't find a station called {query}.", "There's no station called {query}."),
})
NO_STATION_ON_FREQUENCY: Templates = ("There's no station on {query}.", "Nothing is broadcasting on {query}.")

PLAY: dict[type[ActionBase], Phrases] = {
    PlayArtist: Phrases(("Playing {artist}.", "Here's {artist}, starting with {title}.", "Okay, some {artist}."),
                        ("{artist} is already playing.", "This is {artist} already.")),
    PlayAlbum: Phrases(("Playing {album} by {artist}.", "Here's {album}, by {artist}."),
                       ("{album} is already playing.",)),
    PlayTrack: Phrases(("Playing {title} by {artist}.", "Here's {title}, by {artist}.", "Okay, {title}."),
                       ("{title} is already playing.", "This is {title} already.")),
    PlayPlaylist: Phrases(("Playing your {playlist} playlist.", "Starting {playlist}, {tracks} songs.",
                           "Here's {playlist}."), ("{playlist} is already playing.",)),
    PlayGenre: Phrases(("Playing some {genre}.", "Here's some {genre}: {title} by {artist}.", "Okay, {genre} it is."),
                       ("This is {genre} already.", "We're already on {genre}.")),
}
TUNED = Phrases(("Tuned to {station}, {frequency}.", "Here's {station} on {frequency}.", "{station}, coming up."),
                ("We're already on {station}.", "This is {station} already."))
SOURCE = Phrases(("Switched to {source}.", "Okay, {source}.", "Now on {source}."), ("We're already on {source}.",))
PAUSED = Phrases(("Paused.", "Music paused.", "Okay, pausing."),
                 ("It's already paused.", "Nothing's playing right now."))
RESUMED = Phrases(("Resuming.", "Playing again.", "Okay, back on."), ("It's already playing.",))
NEXT_TRACK = Phrases(("Next up: {title} by {artist}.", "Skipping. This is {title}.", "Here's {title}."))
PREVIOUS_TRACK = Phrases(("Back to {title} by {artist}.", "Going back. This is {title}."))
NEXT_STATION = Phrases(("Now on {station}.", "Here's {station}.", "Tuned to {station}."))
SHUFFLE = Switch(on=Phrases(("Shuffle on.", "Okay, shuffling.", "Shuffling the queue."), ("Shuffle is already on.",)),
                 off=Phrases(("Shuffle off.", "Okay, playing in order."), ("Shuffle is already off.",)))
REPEAT = {
    "one": Phrases(("Repeating this track.", "Okay, this one on repeat."), ("This track is already on repeat.",)),
    "all": Phrases(("Repeating everything.", "Repeat all on."), ("Repeat all is already on.",)),
    "off": Phrases(("Repeat off.", "Okay, no more repeat."), ("Repeat is already off.",)),
}
VOLUME = Phrases(("Volume {volume}.", "Volume set to {volume}.", "Okay, volume at {volume}."),
                 ("The volume is already {volume}.", "Volume's already at {volume}."),
                 ("Volume {volume}, as {edge} as it goes.", "That's the {edge}est: volume {volume}."))
NOW_PLAYING_TRACK = Phrases(("This is {title} by {artist}.", "{title}, by {artist}.",
                             "You're hearing {title} by {artist}."))
NOW_PLAYING_STATION = Phrases(("This is {station} on {frequency}.", "You're listening to {station}, {frequency}."))
NOW_PAUSED = Phrases(("Nothing's playing. {title} is paused.", "It's paused, on {title}."))
NOTHING_PLAYING = Phrases(("Nothing is playing right now.", "Nothing's on at the moment."))


def spoken_frequency(label: str, band: str) -> str:
    """`88.9 MHz` on FM -> `88.9 FM`; `990 kHz` -> `990 AM`; a DAB channel is just `DAB`."""
    return "DAB" if band == "dab" else f"{label.split(maxsplit=1)[0]} {band.upper()}"


def spoken_station(suggestion: str, band: str) -> str:
    """A station suggestion such as `Symphony Radio (90.5 MHz)` as `Symphony Radio on 90.5 FM`."""
    match = LABELLED_STATION.match(suggestion)
    return f"{match['station']} on {spoken_frequency(match['label'], band)}" if match else suggestion


@AREA.words(PlayArtist, PlayAlbum, PlayTrack, PlayPlaylist, PlayGenre, topic="music")
def _play(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, QueueFacts)
    queue = facts.queue.partition(": ")[2]
    fields = {"artist": facts.artist, "album": facts.album, "title": facts.title,
              "tracks": str(facts.tracks), "playlist": queue, "genre": queue}
    return Line(PLAY[type(outcome.action)], fields)


@AREA.words(TuneRadio, topic="radio")
def _tune(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, StationFacts)
    return Line(TUNED, {"station": facts.station, "frequency": spoken_frequency(facts.frequency, facts.band)})


@AREA.words(SetSource, topic="audio source")
def _source(outcome: Outcome, units: Units) -> Line:
    return Line(SOURCE, {"source": SOURCE_NAMES[facts_of(outcome, SourceFacts).source]})


@AREA.words(Pause, Resume, topic="music")
def _transport(outcome: Outcome, units: Units) -> Line:
    return Line(PAUSED if isinstance(outcome.action, Pause) else RESUMED)


@AREA.words(Skip, topic="music")
def _skip(outcome: Outcome, units: Units) -> Line:
    if isinstance(outcome.facts, StationFacts):
        return Line(NEXT_STATION, {"station": outcome.facts.station})
    facts = facts_of(outcome, TrackFacts)
    phrases = PREVIOUS_TRACK if outcome.action.direction == "previous" else NEXT_TRACK  # type: ignore[union-attr]
    return Line(phrases, {"title": facts.title, "artist": facts.artist})


AREA.on_off(SetShuffle, "shuffle", SHUFFLE)


@AREA.words(SetRepeat, topic="repeat")
def _repeat(outcome: Outcome, units: Units) -> Line:
    return Line(REPEAT[facts_of(outcome, RepeatFacts).repeat])


def _volume_request(action: dict[str, Any]) -> str | None:
    return f"set the volume to {action['level']}" if "level" in action else None


@AREA.words(SetVolume, AdjustVolume, topic="volume", request=_volume_request)
def _volume(outcome: Outcome, units: Units) -> Line:
    volume = facts_of(outcome, VolumeFacts).volume
    return Line(VOLUME, {"volume": str(volume), **clamp_fields(outcome.clamp, units)})


@AREA.words(QueryNowPlaying, topic="music")
def _now_playing(outcome: Outcome, units: Units) -> Line:
    facts = facts_of(outcome, NowPlayingFacts)
    now = facts.now_playing
    if now is None:
        return Line(NOTHING_PLAYING)
    if not facts.playing:
        return Line(NOW_PAUSED, {"title": now.title})
    if now.station is not None:
        frequency = spoken_frequency(now.frequency or "", now.source)
        return Line(NOW_PLAYING_STATION, {"station": now.station, "frequency": frequency})
    return Line(NOW_PLAYING_TRACK, {"title": now.title, "artist": now.artist or "unknown"})
