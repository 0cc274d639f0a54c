"""How a handler declines an action: not found, refused, or nothing to do, with the facts a reply needs.

    raise Rejected("no_change", "no_active_route", "there is no route to cancel")   # no facts
    name = require(library.playlist_index.find("road trip"), "playlist_not_found", "playlist", "road trip")
    # the playlist's name, or a not-found rejection with NotFoundFacts(query="road trip", suggestions=[...])
"""

from __future__ import annotations

from typing import TypeVar

from vehicle_sim.matching import MatchResult
from vehicle_sim.outcome import Facts, NoFacts, Status

T = TypeVar("T")


class NotFoundFacts(Facts):
    """What the car could not find (as asked), and the nearest names it has."""

    query: str
    suggestions: list[str] = []


class Rejected(Exception):
    """A handler declines the action: not found, refused, or nothing to do."""

    def __init__(self, status: Status, code: str, message: str, facts: Facts | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.facts = facts or NoFacts()


def not_found(code: str, what: str, query: str, suggestions: list[str]) -> Rejected:
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    return Rejected("not_found", code, f"no {what} called {query!r}{hint}", NotFoundFacts(query=query,
                                                                                          suggestions=suggestions))


def require(match: MatchResult[T], code: str, what: str, query: str) -> T:
    """The matched item, or a not-found rejection carrying the nearest names."""
    if match.item is None:
        raise not_found(code, what, query, match.suggestions)
    return match.item
