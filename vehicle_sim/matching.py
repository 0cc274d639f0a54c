"""Tolerant name matching for artists, POIs, streets and stations.

Case and punctuation never matter, a leading "the" is optional, and near misses are caught with difflib.
When nothing is close enough, the caller gets the nearest names to offer as suggestions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_ACCEPT_RATIO = 0.8
_SUGGEST_RATIO = 0.45
_SUGGESTIONS = 3


def normalise(text: str) -> str:
    """Lower case, `&` as `and`, punctuation dropped, single spaces: "Luigi's  Trattoria!" -> "luigis trattoria"."""
    text = text.lower().replace("&", " and ")
    text = re.sub("['`\u2019]", "", text)  # apostrophes join words: "Luigi's" -> "luigis"
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def _variants(text: str) -> set[str]:
    """The forms a name may be said in: with or without a leading "the" and a plural "s", words in any order."""
    forms = {text}
    if text.startswith("the "):
        forms.add(text[4:])
    forms |= {form[:-1] for form in list(forms) if form.endswith("s") and len(form) > 3}
    return forms | {" ".join(sorted(form.split())) for form in forms}


@dataclass(frozen=True)
class MatchResult(Generic[T]):
    """The matched item (None when nothing was close enough) and the nearest names either way."""

    item: T | None
    suggestions: list[str]


class NameIndex(Generic[T]):
    """Finds items by any of their names; several names may point to the same item (aliases)."""

    def __init__(self, entries: Iterable[tuple[str, T]]):
        self._by_form: dict[str, T] = {}
        self._display: dict[str, str] = {}
        for name, item in entries:
            key = normalise(name)
            self._display.setdefault(key, name)
            for form in _variants(key):
                self._by_form.setdefault(form, item)

    def __len__(self) -> int:
        return len(self._display)

    def find(self, query: str) -> MatchResult[T]:
        key = normalise(query)
        for form in _variants(key):
            if form in self._by_form:
                return MatchResult(self._by_form[form], self.suggest(query))
        close = difflib.get_close_matches(key, list(self._by_form), n=1, cutoff=_ACCEPT_RATIO)
        item = self._by_form[close[0]] if close else None
        return MatchResult(item, self.suggest(query))

    def suggest(self, query: str) -> list[str]:
        """The display names closest to `query`, best first."""
        key = normalise(query)
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, name).ratio(), name) for name in self._display),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [self._display[name] for ratio, name in scored[:_SUGGESTIONS] if ratio >= _SUGGEST_RATIO]
