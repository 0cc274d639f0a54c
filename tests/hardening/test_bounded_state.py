"""A long-lived pipeline keeps what the product needs (the last exchange, the car's bounded log and undo
history), not a record of every turn: after those fill, more turns leave no memory behind. This is the
Python side of the soak's memory bound (issue #9), checked in seconds with a scripted SLM."""

from __future__ import annotations

import gc
import itertools
import tracemalloc

from vehicle_sim import Vehicle, simulator

from carvoice.nlu.slm import Completion
from carvoice.nlu.understand import Understander
from carvoice.pipeline import Pipeline, Stages

LOG_SIZE = 100  # the car's event log, shortened from 1,000 so that it is full in seconds
MEASURED_TURNS = 200
ALLOWED_GROWTH = 128 * 1024  # bytes: what even 700 bytes kept per turn would exceed (a TurnRecord is more)


class AlternatingSlm:
    """Answers each turn with the next of `outputs`, so the car changes every turn; remembers nothing."""

    def __init__(self, *outputs: str) -> None:
        self._outputs = itertools.cycle(outputs)

    def set_prefix(self, text: str) -> None:
        pass

    def complete(self, turn_text: str, syntax, fork_below: float | None = None) -> Completion:
        return Completion(text=next(self._outputs), prompt_tokens=1, output_tokens=1, prompt_s=0.0, decode_s=0.0,
                          complete=True)


def _turns(pipeline: Pipeline, count: int) -> None:
    for _ in range(count):
        pipeline.run_text("a bit louder")
        pipeline.vehicle.tick(5)


def test_many_turns_leave_no_memory_behind_once_the_logs_are_full(understander, monkeypatch):
    monkeypatch.setattr(simulator, "LOG_SIZE", LOG_SIZE)
    slm = AlternatingSlm("set_volume(level=12)\n", "set_volume(level=14)\n")
    pipeline = Pipeline(Stages(understander=Understander(slm, understander.catalog)), Vehicle(seed=3))
    pipeline.subscribe(lambda event: None)
    tracemalloc.start()  # from the first turn, so that the log entries dropped later were traced too
    try:
        _turns(pipeline, simulator.UNDO_DEPTH + LOG_SIZE)  # each turn changes the car: log and undo fill up
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        _turns(pipeline, MEASURED_TURNS)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < ALLOWED_GROWTH, f"{MEASURED_TURNS} turns kept {grown / 1024:.0f} KiB"
    assert len(pipeline.vehicle.events()) == LOG_SIZE
