"""Play a suite through the real pipeline, one car and one dialog per suite, and check every step.

    result = run_suite(load_suite(path), assistant, on_step=print)
    result = run_suite(hands_free_suite, assistant, wake=load_wake_word(settings, "okay_nabu"))
    result.failed  # True when any step failed (known failures, `xfail`, do not count)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vehicle_sim import Vehicle

from carvoice.assistant.assistant import Assistant
from carvoice.assistant.conversation import Conversation
from carvoice.assistant.reply_audio import SilentOutput
from carvoice.audio.segment import AudioSegment
from carvoice.audio.wake import WakeWord
from carvoice.errors import CarvoiceError
from carvoice.suites.audio import WakePhrase, step_audio
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
              on_step: Callable[[StepResult], None] | None = None, wake: WakeWord | None = None) -> SuiteResult:
    """`wake`: the suite's wake word, loaded (carvoice/assistant/wake_word.py), for a suite with a `wake_word`."""
    spec = suite.suite
    if (spec.settings.wake_word is None) != (wake is None):
        raise CarvoiceError(f"{suite.path}: give the wake word loaded exactly when the suite has a wake_word "
                            f"(it has {spec.settings.wake_word!r})")
    vehicle = Vehicle(seed=seed, overrides=spec.initial_state)
    conversation = assistant.converse(vehicle, SilentOutput(), smart=None, seed=seed, wake=wake)
    result = SuiteResult(suite)
    for index, step in enumerate(spec.steps):
        if step.wait_s:
            vehicle.tick(step.wait_s)
        record, wake_checks = _play(conversation, suite, step)
        checks = wake_checks + check_step(step, record, vehicle, assistant.stages.understander.catalog,
                                          spec.settings, strict_latency)
        result.steps.append(StepResult(index, step, record, checks, step.xfail or spec.xfail))
        if on_step is not None:
            on_step(result.steps[-1])
    return result


def _play(conversation: Conversation, suite: LoadedSuite, step: Step) -> tuple[TurnRecord, list[Check]]:
    """One step's turn, and with a wake word whether it woke as it should; audio that cannot be used (too
    long, damaged) fails this step, not the suite run."""
    if step.text is not None:
        return conversation.text(step.text), []
    path = suite.audio_path(step)
    try:
        audio = _step_audio(suite, step, path, hands_free=conversation.wake is not None)
    except CarvoiceError as exc:
        return _no_turn(str(path), error=f"audio: {exc}"), []
    if conversation.wake is None:
        return conversation.audio(audio), []
    return _behind_wake(conversation, audio, step)


def _step_audio(suite: LoadedSuite, step: Step, path: Path, hands_free: bool) -> AudioSegment:
    phrase = step.wake_phrase(suite.suite.settings.wake_word or "")
    said_first = None if phrase is None else WakePhrase(suite.path_of(phrase), step.wake.pause_s)
    return step_audio(path, suite.suite.settings.noise, said_first, hands_free)


def _behind_wake(conversation: Conversation, audio: AudioSegment, step: Step) -> tuple[TurnRecord, list[Check]]:
    """The step heard as `carvoice run --wake-word` hears a file: a turn is right unless the step has no wake word."""
    heard = conversation.after_wake(audio)
    if heard.record is None:
        return _no_turn(audio.source), [Check("wake", not step.expects_turn, heard.why_no_turn)]
    woken = f"woken (score {heard.woken.score:.2f}): a turn"
    if step.expects_turn:
        return heard.record, [Check("wake", True, woken)]
    return heard.record, [Check("wake", False, f"{woken}, though the step has no wake word")]


def _no_turn(source: str, error: str | None = None) -> TurnRecord:
    return TurnRecord(turn_id=0, source="audio", input=source, started_at=time.monotonic(), error=error)
