"""How a handler declines an action: not found, refused, or nothing to do, with the facts a reply needs."""

from __future__ import annotations

from typing import Any, TypeVar

from vehicle_sim.matching import MatchResult
from vehicle_sim.outcome import Status

T = TypeVar("T")


class Rejected(Exception):
    """A handler declines the action: not found, refused, or nothing to do."""

    def __init__(self, status: Status, code: str, message: str, **facts: Any):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.facts = facts


def not_found(code: str, what: str, query: str, suggestions: list[str]) -> Rejected:
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    return Rejected("not_found", code, f"no {what} called {query!r}{hint}", query=query, suggestions=suggestions)


def require(match: MatchResult[T], code: str, what: str, query: str) -> T:
    """The matched item, or a not-found rejection carrying the nearest names."""
    if match.item is None:
        raise not_found(code, what, query, match.suggestions)
    return match.item
