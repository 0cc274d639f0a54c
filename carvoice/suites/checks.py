"""One step's expectations checked against what the turn did: each check passes or says what differed."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from vehicle_sim import Vehicle
from vehicle_sim.errors import UnknownPathError

from carvoice.text.wer import word_error_rate
from carvoice.nlu.catalog import IntentCatalog
from carvoice.nlu.scoring import exact_match
from carvoice.suites.schema import Expectations, Step, SuiteSettings
from carvoice.turn import TurnRecord


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""
    enforced: bool = True
    """A check that is reported but cannot fail the step (a latency budget without --strict-latency)."""

    @property
    def failed(self) -> bool:
        return self.enforced and not self.passed


def check_step(step: Step, record: TurnRecord, vehicle: Vehicle, catalog: IntentCatalog,
               settings: SuiteSettings, strict_latency: bool = False) -> list[Check]:
    checks = [Check("turn", record.error is None, record.error or "")]
    if step.transcript is not None:
        checks.append(_transcript(step.transcript, record, step.max_wer if step.max_wer is not None
                                  else settings.max_wer))
    checks += _expectations(step.expect, record, vehicle, catalog)
    budget = step.latency_budget_s or settings.latency_budget_s
    if budget is not None and record.latency_s is not None:
        checks.append(Check("latency", record.latency_s <= budget,
                            f"{record.latency_s:.2f}s end to first audio, budget {budget:g}s", strict_latency))
    return checks


def transcript_wer(expected: str, record: TurnRecord) -> float:
    return word_error_rate([expected], [record.heard])


def _transcript(expected: str, record: TurnRecord, limit: float) -> Check:
    wer = transcript_wer(expected, record)
    return Check("transcript", wer <= limit, f"WER {wer:.0%} (limit {limit:.0%}): heard {record.heard!r}")


def _value_at(vehicle: Vehicle, path: str) -> object:
    """The car's value at `path`; None where a part of the path is empty now (no destination, nothing playing)."""
    try:
        return vehicle.get(path)
    except UnknownPathError:
        return None


def _expectations(expect: Expectations, record: TurnRecord, vehicle: Vehicle, catalog: IntentCatalog) -> list[Check]:
    checks = []
    if expect.intents is not None:
        got = record.understanding.intents if record.understanding else []
        checks.append(Check("intents", exact_match(got, expect.intents, catalog),
                            f"expected {_calls(expect.intents)}, got {_calls(got)}"))
    if expect.state:
        actual = {path: _value_at(vehicle, path) for path in expect.state}
        wrong = {path: value for path, value in actual.items() if not _same(value, expect.state[path])}
        checks.append(Check("state", not wrong, "; ".join(
            f"{path} is {value!r}, expected {expect.state[path]!r}" for path, value in wrong.items())))
    if expect.reply_contains:
        missing = [part for part in expect.reply_contains if part.lower() not in record.reply.lower()]
        checks.append(Check("reply", not missing, f"{record.reply!r} lacks {missing}"))
    if expect.reply_matches is not None:
        checks.append(Check("reply", re.search(expect.reply_matches, record.reply) is not None,
                            f"{record.reply!r} does not match /{expect.reply_matches}/"))
    if expect.kind is not None:
        kind = record.dialog.kind if record.dialog else None
        checks.append(Check("kind", kind == expect.kind, f"expected a turn of kind {expect.kind}, got {kind}"))
    return checks


def _same(actual: Any, expected: Any) -> bool:
    numbers = (int, float)
    if isinstance(actual, numbers) and isinstance(expected, numbers) and not isinstance(expected, bool):
        return math.isclose(actual, expected, abs_tol=1e-6)
    return actual == expected


def _calls(calls) -> str:
    return "; ".join(f"{c.name}({', '.join(f'{k}={v!r}' for k, v in c.slots.items())})" for c in calls) or "nothing"
