"""Labelled utterances from templates: `phrases.yaml` plus slot values from the vehicle's media library
and city map. Every utterance is labelled by construction: the template fixes the intent, each filler
fixes the slot it stands for. (An intent pack's phrasebook is built in pack_phrases.py.)

    book = load_phrasebook()
    book.sample("set_temperature", random.Random(0))
    # Labelled(text="set the passenger side to twenty one", calls=(Call("set_temperature", {...}),))
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from carvoice.nlu.catalog import OUT_OF_SCOPE, Call
from carvoice.train.errors import TrainError
from carvoice.train.numbers import say_number
from vehicle_sim.citymap import CityMap, load_city
from vehicle_sim.library import MediaLibrary, load_library

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PHRASE_SHARE = 0.25
MOODS = ("relaxing", "upbeat", "chill", "calm", "energetic", "romantic", "happy", "mellow")


@dataclass(frozen=True)
class Labelled:
    """An utterance and the calls it asks for, in order."""

    text: str
    calls: tuple[Call, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Filler(_Strict):
    """The phrases a placeholder may be replaced by; with both `phrases` and `numbers` (a number slot that also
    takes words, such as a fan speed's "auto"), a phrase is said with probability PHRASE_SHARE."""

    slot: str
    phrases: list[tuple[str, Any]] = []
    numbers: tuple[float, float, float] | None = Field(None, description="low, high, step")
    scale: int = 1

    def choose(self, rng: random.Random) -> tuple[str, Any]:
        if self.numbers is None or (self.phrases and rng.random() < PHRASE_SHARE):
            return rng.choice(self.phrases)
        low, high, step = self.numbers
        value = round(low + step * rng.randint(0, round((high - low) / step)), 1)
        value = int(value) if float(value).is_integer() else value
        return say_number(value, rng), value * self.scale


class Template(_Strict):
    say: str
    slots: dict[str, Any] = {}


class PhraseFile(_Strict):
    fillers: dict[str, Filler]
    intents: dict[str, list[Template | str]]
    out_of_scope: list[str]
    out_of_scope_fillers: dict[str, list[str]]
    injections: list[str]


class Phrasebook:
    """Templates per intent with their fillers, the library's and map's names among them."""

    def __init__(self, phrases: PhraseFile, library: MediaLibrary, city: CityMap, source: Path = PHRASES_FILE) -> None:
        self.phrases = phrases
        self.source = source  # where the templates come from, for error messages
        self.fillers = {**phrases.fillers, **_library_fillers(library), **_city_fillers(city)}
        self._tracks = [(t.title, t.artist) for t in library.tracks.values()]

    @cached_property
    def templates(self) -> dict[str, list[Template]]:
        return {name: [Template(say=t) if isinstance(t, str) else t for t in templates]
                for name, templates in self.phrases.intents.items()}

    @property
    def intent_names(self) -> list[str]:
        return list(self.templates)

    def sample(self, intent: str, rng: random.Random) -> Labelled:
        template = rng.choice(self.templates[intent])
        slots = dict(template.slots)
        text = self._fill(template.say, rng, slots)
        return Labelled(text, (Call(intent, slots),))

    def sample_out_of_scope(self, rng: random.Random) -> Labelled:
        template = rng.choice(self.phrases.out_of_scope)
        words = self.phrases.out_of_scope_fillers
        text = PLACEHOLDER.sub(lambda m: rng.choice(words[m.group(1)]), template)
        return Labelled(text, (Call(OUT_OF_SCOPE, {}),))

    def injection(self, rng: random.Random) -> str:
        return rng.choice(self.phrases.injections)

    def _fill(self, say: str, rng: random.Random, slots: dict[str, Any]) -> str:
        title, artist = rng.choice(self._tracks)  # {track} and {track_artist} name the same song

        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name in ("track", "track_artist"):
                phrase = title if name == "track" else artist
                slots["title" if name == "track" else "artist"] = phrase
                return phrase
            filler = self.fillers.get(name)
            if filler is None:
                raise TrainError(f"{self.source}: template {say!r} uses {{{name}}}, which is no filler")
            phrase, value = filler.choose(rng)
            slots[filler.slot] = value
            return phrase

        return PLACEHOLDER.sub(replace, say)


def _named(slot: str, names: list[str]) -> Filler:
    """A filler whose phrases are names, labelled as said."""
    return Filler(slot=slot, phrases=[(name, name) for name in sorted(set(names))])


def _library_fillers(library: MediaLibrary) -> dict[str, Filler]:
    tracks = list(library.tracks.values())
    genres = {t.genre for t in tracks} | {s.genre for s in library.stations}
    return {
        "artist": _named("artist", library.artists),
        "album": _named("album", [t.album for t in tracks]),
        "playlist": _named("playlist", list(library.playlists)),
        "station": _named("station", [s.name for s in library.stations]),
        "genre": _named("genre", sorted(genres - {"news", "children"})),
        "mood": _named("genre", list(MOODS)),
    }


def _city_fillers(city: CityMap) -> dict[str, Filler]:
    places = [poi.name for poi in city.pois] + [place.name for place in city.saved_places.favourites]
    addresses = [f"{street} {number}" for street in city.streets for number in (3, 12, 27, 45, 88, 140)]
    addresses += [f"{number} {street}" for street in city.streets for number in (7, 19, 62)]
    categories = [(word, key) for key, words in city.categories.items() for word in words
                  if word not in ("food", "dinner", "lunch", "groceries", "movies", "gas", "police")]
    return {"place": _named("place", places), "address": _named("place", addresses),
            "category": Filler(slot="category", phrases=categories)}


def load_phrasebook(path: Path = PHRASES_FILE) -> Phrasebook:
    return Phrasebook(read_phrase_file(path), load_library(), load_city(), path)


def read_phrase_file(path: Path, under: PhraseFile | None = None) -> PhraseFile:
    """The phrase file at `path`; with `under`, the file only adds to it: its fillers and intents are added
    (an intent it names gets its templates instead of `under`'s), its other keys replace `under`'s."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PhraseFile.model_validate(data if under is None else _overlay(under.model_dump(), data))
    except (OSError, yaml.YAMLError) as exc:
        raise TrainError(f"{path}: cannot read the training phrase file: {exc}") from exc
    except ValidationError as exc:
        raise TrainError(f"{path}: invalid training phrase file: {exc.errors()[0]['msg']} "
                         f"at {'.'.join(map(str, exc.errors()[0]['loc']))}") from exc


def _overlay(under: dict[str, Any], data: Any) -> Any:
    if not isinstance(data, dict):
        return data  # not a mapping: validation says so
    return {**under, **{key: {**under[key], **value} if isinstance(under.get(key), dict) and isinstance(value, dict)
                        else value for key, value in data.items()}}
