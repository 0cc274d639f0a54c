"""The benchmark report as data: what `carvoice bench all` writes to report.json and `compare` reads back.

Every number a reader may compare between runs lives here; report.md and the plots are drawn from it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from carvoice.bench.tts import TtsBenchRow
from carvoice.bench.wake import WakeBenchReport
from carvoice.machine import Machine

REPORT_FORMAT = 1
E2E_STAGES = ("endpointing_wait", "stt", "nlu", "vehicle", "tts_first_chunk")
"""The terms of end of speech -> first reply audio, in turn order. `tts_first_chunk` is the reply's first
chunk being ready; `endpointing_wait` is how long the microphone waits before it calls the speech ended."""


class _Frozen(BaseModel):
    # NaN marks a measurement that could not be made; written as NaN (not null) so the file reads back.
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="constants")


class Percentiles(_Frozen):
    p50: float
    p95: float
    p99: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Percentiles:
        if not values:
            return cls(p50=math.nan, p95=math.nan, p99=math.nan)
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        return cls(p50=float(p50), p95=float(p95), p99=float(p99))


class ModelFileInfo(_Frozen):
    name: str
    size: int
    sha256: str


class ModelInfo(_Frozen):
    role: str
    name: str
    source: str  # catalog | path | hub
    files: list[ModelFileInfo]


class RunInfo(_Frozen):
    date: str
    quick: bool
    machine: Machine
    versions: dict[str, str]
    settings: dict[str, str | int]
    sizes: dict[str, int] = {}
    """How many commands, cases or replies each measurement ran (smaller with --quick)."""
    models: list[ModelInfo]


class TurnTiming(_Frozen):
    """One spoken command through the pipeline: its latency and the seconds of each term of it."""

    command: str
    latency_s: float | None
    stages: dict[str, float]
    error: str | None = None


class ColdStart(_Frozen):
    total_s: float
    """From the start of the fresh process's imports to every model loaded and warm."""
    per_model_s: dict[str, float]


class EndToEnd(_Frozen):
    turns: list[TurnTiming]
    cold_start: ColdStart
    peak_rss_mb: float
    endpointing: str
    """How the microphone decided each command was over (the `endpointing_wait` term)."""

    @property
    def answered(self) -> list[TurnTiming]:
        return [turn for turn in self.turns if turn.latency_s is not None and turn.error is None]

    @property
    def latency(self) -> Percentiles:
        return Percentiles.of([turn.latency_s for turn in self.answered])

    def stage_values(self, stage: str) -> list[float]:
        return [turn.stages[stage] for turn in self.answered if stage in turn.stages]

    def stage_p50_s(self) -> dict[str, float]:
        return {stage: Percentiles.of(self.stage_values(stage)).p50 for stage in E2E_STAGES}

    def stage_shares(self) -> dict[str, float]:
        """Each term's part of the mean latency; what is left is the pipeline's own bookkeeping."""
        total = sum(turn.latency_s for turn in self.answered)
        if not total:
            return {stage: math.nan for stage in E2E_STAGES}
        return {stage: sum(self.stage_values(stage)) / total for stage in E2E_STAGES}


class MatrixPoint(_Frozen):
    """One model under one condition: how accurate and how fast. Points of the same kind and condition
    are compared with each other; `pareto` marks those no other point beats on both at once."""

    kind: str  # slm | stt
    model: str
    condition: str  # the SLM's mode, or the STT's noise level
    accuracy: float
    accuracy_name: str
    latency_p50_s: float
    latency_p95_s: float
    count: int
    pareto: bool = False
    details: dict[str, float | int | str | bool | None] = {}


class BaselineComparison(_Frozen):
    """carvoice and a baseline on the same utterances. Ratios are carvoice / baseline for accuracy and
    baseline / carvoice for latency, so above 1 means carvoice does better on both."""

    name: str
    description: str
    cases: int
    carvoice_accuracy: float
    baseline_accuracy: float
    carvoice_latency_p50_s: float
    baseline_latency_p50_s: float
    unusable_answers: int = 0

    @property
    def accuracy_ratio(self) -> float:
        return _ratio(self.carvoice_accuracy, self.baseline_accuracy)

    @property
    def speedup(self) -> float:
        return _ratio(self.baseline_latency_p50_s, self.carvoice_latency_p50_s)


class BenchReport(_Frozen):
    format: int = REPORT_FORMAT
    run: RunInfo
    end_to_end: EndToEnd
    matrix: list[MatrixPoint]
    tts: list[TtsBenchRow]
    baselines: list[BaselineComparison]
    wake: WakeBenchReport | None = None
    """The wake word's curve (None in reports written before it was measured)."""
    problems: list[str] = []
    """Broken measurements found after the run (empty when the report can be trusted)."""

    def points(self, kind: str) -> list[MatrixPoint]:
        return [point for point in self.matrix if point.kind == kind]


def _ratio(numerator: float, denominator: float) -> float:
    if denominator == 0:
        return math.inf if numerator > 0 else math.nan
    return numerator / denominator
