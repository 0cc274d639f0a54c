"""What applying an action did: a status, the diff, a machine-readable code and the facts a reply needs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from vehicle_sim.actions import Action
from vehicle_sim.paths import Change

Status = Literal["done", "refused", "needs_confirmation", "not_found", "no_change"]


class Outcome(BaseModel):
    """The result of `Vehicle.apply`. Wording is left to the assistant: it speaks from `code` and `facts`.

    `code` is set for every status but a plain `done`: the refusal reason (`sunroof_unsafe_at_speed`),
    the not-found kind (`artist_not_found`), why nothing changed (`already_set`), or why a value was clamped.
    """

    status: Status
    action: Action
    changes: list[Change] = []
    code: str | None = None
    message: str | None = Field(None, description="a short English explanation, for logs and developers")
    facts: dict[str, Any] = {}
    clamped: bool = False

    @property
    def ok(self) -> bool:
        return self.status in ("done", "no_change")

    def changed(self, path: str) -> bool:
        return any(change.path == path for change in self.changes)
