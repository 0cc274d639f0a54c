"""`Vehicle`: the simulated car. Every change is an action through `apply`; time passes only through `tick`.

One re-entrant lock guards the state, the clock, the event log and the undo history, so a UI thread may
call `snapshot()` while the assistant thread calls `apply()`. The committed state is never mutated in place:
each change builds a new validated state and swaps it in.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from threading import RLock
from typing import Any

from pydantic import BaseModel, SerializeAsAny, ValidationError

from vehicle_sim.actions import Action, QueryBase, Undo, parse_action
from vehicle_sim.data_files import describe_validation_error
from vehicle_sim.derived import refresh
from vehicle_sim.dynamics import advance
from vehicle_sim.errors import UnknownPathError, VehicleSimError
from vehicle_sim.handlers import FACTS, HANDLERS, Context, Result
from vehicle_sim.initial import initial_state
from vehicle_sim.outcome import Facts, NoFacts, Outcome, Status
from vehicle_sim.paths import Change, diff, get_path, set_path
from vehicle_sim.rejection import Rejected
from vehicle_sim.safety import Verdict
from vehicle_sim.state import VehicleState
from vehicle_sim.world import World, default_world

LOG_SIZE = 1000
UNDO_DEPTH = 50


class UndoFacts(Facts):
    """The kind of the action an undo reverted (or could not revert)."""

    undone: str


class ArrivalFacts(Facts):
    """Where the car arrived or made a stop, in a log entry of a tick."""

    place: str


class LogEntry(BaseModel):
    """One line of the event log: an applied action (with its outcome) or something that happened in a tick."""

    time_s: float
    kind: str
    status: Status
    code: str | None = None
    changes: list[Change] = []
    facts: SerializeAsAny[Facts] = NoFacts()


@dataclass(frozen=True)
class _UndoRecord:
    kind: str
    changes: list[Change]


class Vehicle:
    """A simulated car in the shipped city, deterministic for a given seed and sequence of calls."""

    def __init__(self, seed: int = 0, overrides: Mapping[str, Any] | None = None, *, world: World | None = None):
        self._world = world or default_world()
        self._rng = random.Random(seed)
        self._lock = RLock()
        state = initial_state(self._world, self._rng, overrides)
        refresh(state, self._world)
        self._state = state
        self._log: deque[LogEntry] = deque(maxlen=LOG_SIZE)
        self._undo: deque[_UndoRecord] = deque(maxlen=UNDO_DEPTH)

    @property
    def world(self) -> World:
        return self._world

    # --- reading ---------------------------------------------------------------------------------------------

    def snapshot(self) -> VehicleState:
        """A deep copy of the current state, safe to read and keep on any thread."""
        with self._lock:
            return self._state.model_copy(deep=True)

    def get(self, dotted_path: str) -> Any:
        """The JSON value at a path such as `climate.driver.set_point` or `navigation.destination.name`."""
        with self._lock:
            return get_path(self._state.model_dump(mode="json"), dotted_path)

    def events(self) -> list[LogEntry]:
        """The event log, oldest first (the last 1000 entries)."""
        with self._lock:
            return list(self._log)

    # --- changing --------------------------------------------------------------------------------------------

    def apply(self, action: Action | Mapping[str, Any], *, confirmed: bool = False) -> Outcome:
        """Carry out one action (a model or a plain dict); `confirmed` answers a previous needs_confirmation."""
        parsed = parse_action(dict(action) if isinstance(action, Mapping) else action)
        with self._lock:
            outcome = self._undo_last(parsed, confirmed) if isinstance(parsed, Undo) else self._run(parsed, confirmed)
            self._log.append(LogEntry(time_s=self._state.time_s, kind=parsed.kind, status=outcome.status,
                                      code=outcome.code, changes=outcome.changes, facts=outcome.facts))
            return outcome

    def undo(self) -> Outcome:
        """Revert the last change (the same as applying `{"kind": "undo"}`)."""
        return self.apply(Undo())

    def tick(self, dt_seconds: float) -> list[LogEntry]:
        """Let `dt_seconds` of simulated time pass; returns what happened meanwhile (arrivals, stops, ...)."""
        if not math.isfinite(dt_seconds) or dt_seconds < 0:
            raise VehicleSimError(f"tick needs a finite, non-negative number of seconds, not {dt_seconds!r}")
        with self._lock:
            working = self._state.model_copy(deep=True)
            events = advance(working, self._world, dt_seconds)
            refresh(working, self._world)
            self._state = VehicleState.model_validate(working.model_dump())
            entries = [LogEntry(time_s=event.time_s, kind=event.kind, status="done",
                                facts=ArrivalFacts(place=event.place.name) if event.place else NoFacts())
                       for event in events]
            self._log.extend(entries)
            return entries

    # --- internals -------------------------------------------------------------------------------------------

    def _run(self, action: Action, confirmed: bool) -> Outcome:
        working = self._state.model_copy(deep=True)
        try:
            result = HANDLERS[type(action)](Context(working, self._world, self._rng), action)
        except Rejected as rejection:
            return Outcome(status=rejection.status, action=action, code=rejection.code, message=rejection.message,
                           facts=rejection.facts)
        outcome = self._commit(action, action.kind, working, result, confirmed)
        if outcome.ok:
            _check_facts(action, outcome.facts)
        if outcome.status == "done" and outcome.changes and not isinstance(action, QueryBase):
            self._undo.append(_UndoRecord(action.kind, outcome.changes))
        return outcome

    def _undo_last(self, action: Undo, confirmed: bool) -> Outcome:
        if not self._undo:
            return Outcome(status="no_change", action=action, code="nothing_to_undo", message="nothing to undo")
        record = self._undo[-1]
        restored = self._state.model_dump(mode="json")
        try:
            for change in record.changes:
                set_path(restored, change.path, change.before)
            proposed = VehicleState.model_validate(restored)
        except (UnknownPathError, TypeError, ValidationError):
            return Outcome(status="refused", action=action, code="undo_conflict", facts=UndoFacts(undone=record.kind),
                           message=f"the car has changed too much since {record.kind} to undo it")
        outcome = self._commit(action, record.kind, proposed, Result(facts=UndoFacts(undone=record.kind)), confirmed)
        if outcome.status in ("done", "no_change"):
            self._undo.pop()
        return outcome

    def _commit(self, action: Action, policy_kind: str, proposed: VehicleState, result: Result,
                confirmed: bool) -> Outcome:
        """Check `proposed` against the safety policy, clamp, validate, refresh and swap it in."""
        before = self._state.model_dump(mode="json")
        proposed_tree = proposed.model_dump(mode="json")
        verdict = self._world.policy.evaluate(policy_kind, self._state, diff(before, proposed_tree))
        blocked = self._blocked(action, verdict, confirmed)
        if blocked is not None:
            return blocked
        _apply_clamps(verdict, proposed_tree, result)
        try:
            new_state = VehicleState.model_validate(proposed_tree)
        except ValidationError as error:
            return Outcome(status="refused", action=action, code="invalid_result", facts=result.facts,
                           message=f"the change would leave the car invalid: {describe_validation_error(error)}")
        refresh(new_state, self._world)
        after = new_state.model_dump(mode="json")
        changes = diff(before, after)
        facts = result.read_after(new_state) if result.read_after else result.facts
        self._state = new_state
        changed = bool(changes) or isinstance(action, QueryBase)
        code = result.code or (None if changed else "already_set")
        message = verdict.clamps[0].rule.explain if verdict.clamps else None
        return Outcome(status="done" if changed else "no_change", action=action, changes=changes, code=code,
                       message=message, facts=facts, clamp=result.clamp)

    @staticmethod
    def _blocked(action: Action, verdict: Verdict, confirmed: bool) -> Outcome | None:
        if verdict.refusals:
            hit = verdict.refusals[0]
            return Outcome(status="refused", action=action, code=hit.rule.reason, message=hit.rule.explain,
                           facts=hit.facts)
        if verdict.confirmations and not confirmed:
            hit = verdict.confirmations[0]
            return Outcome(status="needs_confirmation", action=action, code=hit.rule.reason,
                           message=hit.rule.explain, facts=hit.facts)
        return None


def _apply_clamps(verdict: Verdict, proposed_tree: dict[str, Any], result: Result) -> None:
    """Lower each value a clamp rule caught to the rule's max; the result keeps what was first asked."""
    for hit in verdict.clamps:
        set_path(proposed_tree, hit.change.path, hit.rule.max)  # type: ignore[union-attr]
        result.clamp = hit.clamp(result.clamp.asked if result.clamp else hit.change.after)  # type: ignore[union-attr]
        result.code = hit.rule.reason


def _check_facts(action: Action, facts: Facts) -> None:
    """The assistant words an outcome by its facts' type, so a handler gives only the types it registered."""
    declared = FACTS[type(action)]
    if not isinstance(facts, declared):
        names = ", ".join(kind.__name__ for kind in declared)
        raise TypeError(f"the {action.kind} handler gave {type(facts).__name__}, not one of its facts types: {names}")
