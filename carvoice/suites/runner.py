"""Play a suite through the real pipeline, one car and one dialog per suite, and check every step.

    result = run_suite(load_suite(path), assistant, on_step=print)
    result.failed  # True when any step failed (known failures, `xfail`, do not count)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from vehicle_sim import Vehicle

from carvoice.assistant.assistant import Assistant
from carvoice.assistant.conversation import Conversation
from carvoice.assistant.reply_audio import SilentOutput
from carvoice.errors import CarvoiceError
from carvoice.suites.audio import step_audio
from carvoice.suites.checks import Check, check_step, transcript_wer
from carvoice.suites.loader import LoadedSuite
from carvoice.suites.schema import Step
from carvoice.turn import TurnRecord

StepStatus = Literal["pass", "fail", "xfail", "xpass"]
"""xfail: a step marked as known to fail did fail; xpass: it passed (reported, so the mark can go)."""


@dataclass(frozen=True)
class StepResult:
    index: int
    step: Step
    record: TurnRecord
    checks: list[Check]
    xfail_reason: str | None = None

    @property
    def status(self) -> StepStatus:
        failed = any(check.failed for check in self.checks)
        if self.xfail_reason is not None:
            return "xfail" if failed else "xpass"
        return "fail" if failed else "pass"

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def wer(self) -> float | None:
        return None if self.step.transcript is None else transcript_wer(self.step.transcript, self.record)

    @property
    def over_budget(self) -> bool:
        latency = self.check("latency")
        return latency is not None and not latency.passed


@dataclass
class SuiteResult:
    suite: LoadedSuite
    steps: list[StepResult] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(step.status == "fail" for step in self.steps)


def run_suite(suite: LoadedSuite, assistant: Assistant, *, strict_latency: bool = False, seed: int = 0,
              on_step: Callable[[StepResult], None] | None = None) -> SuiteResult:
    spec = suite.suite
    vehicle = Vehicle(seed=seed, overrides=spec.initial_state)
    conversation = assistant.converse(vehicle, SilentOutput(), seed=seed)
    result = SuiteResult(suite)
    for index, step in enumerate(spec.steps):
        if step.wait_s:
            vehicle.tick(step.wait_s)
        record = _play(conversation, suite, step)
        checks = check_step(step, record, vehicle, assistant.stages.understander.catalog, spec.settings, strict_latency)
        result.steps.append(StepResult(index, step, record, checks, step.xfail or spec.xfail))
        if on_step is not None:
            on_step(result.steps[-1])
    return result


def _play(conversation: Conversation, suite: LoadedSuite, step: Step) -> TurnRecord:
    """One step's turn; audio that cannot be used (too long, damaged) fails this step, not the suite run."""
    if step.text is not None:
        return conversation.text(step.text)
    path = suite.audio_path(step)
    try:
        audio = step_audio(path, suite.suite.settings.noise)
    except CarvoiceError as exc:
        return TurnRecord(turn_id=0, source="audio", input=str(path), started_at=time.monotonic(),
                          error=f"audio: {exc}")
    return conversation.audio(audio)
