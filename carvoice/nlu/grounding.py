"""Are the names the model wrote really in what was said? A small model asked for "navigate to the moon" or
given a stray emoji may fill a name slot with a place or song from its prompt; the car must not act on that.

A name slot (an artist, album, song, playlist, station or place) is grounded when most of its words occur in
the utterance or in the previous exchange (a follow-up may name it there), allowing for ASR slips
("Marina Veil" for "Marina Vale"). Slots whose values are normally paraphrased (genres, enums, numbers)
are not checked.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

NAME_SLOTS = frozenset({"artist", "album", "title", "playlist", "station", "place"})
_FILLER = frozenset({"the", "a", "an", "of", "by", "and", "my", "to", "in", "on", "at", "s"})
_WORD = re.compile(r"[a-z0-9]+")
_SIMILAR = 0.8


def ungrounded_names(slots: dict[str, Any], said: str) -> list[str]:
    """The name slots whose value is not in `said` (the utterance and any previous exchange)."""
    heard = set(_words(said))
    return [name for name, value in slots.items()
            if name in NAME_SLOTS and isinstance(value, str) and not _grounded(value, heard)]


def _grounded(value: str, heard: set[str]) -> bool:
    words = [w for w in _words(value) if w not in _FILLER]
    found = sum(any(_similar(word, h) for h in heard) for word in words)
    return not words or found * 2 >= len(words)


def _similar(word: str, heard: str) -> bool:
    return word == heard or SequenceMatcher(None, word, heard).ratio() >= _SIMILAR


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
