"""A small, well-formed report to vary in the tests that need no models."""

from __future__ import annotations

import pytest

from carvoice.bench.report.schema import (
    BaselineComparison, BenchReport, ColdStart, EndToEnd, Machine, MatrixPoint, RunInfo, TurnTiming,
)
from carvoice.bench.tts import TtsBenchRow

STAGES = {"endpointing_wait": 0.0, "stt": 0.3, "nlu": 0.3, "vehicle": 0.001, "tts_first_chunk": 0.05}


def make_report(*, latency_s: float = 0.7, slm_accuracy: float = 0.7, stages: dict[str, float] = STAGES,
                turns: int = 3) -> BenchReport:
    run = RunInfo(date="2026-01-01T00:00:00+00:00", quick=True,
                  machine=Machine(cpu="test cpu", cores=2, ram_gib=8.0, os="Linux"), versions={"python": "3.11"},
                  settings={"slm_model": "big-slm", "stt_model": "tiny-stt"}, sizes={"e2e_commands": turns},
                  models=[])
    end_to_end = EndToEnd(
        turns=[TurnTiming(command=f"c{i}", latency_s=latency_s, stages=stages) for i in range(turns)],
        cold_start=ColdStart(total_s=2.0, per_model_s={"slm big-slm": 1.5}), peak_rss_mb=2000.0,
        endpointing="fixed: 0.6 s of silence")
    matrix = [
        MatrixPoint(kind="slm", model="big-slm", condition="cached", accuracy=slm_accuracy,
                    accuracy_name="exact match", latency_p50_s=0.35, latency_p95_s=0.7, count=12),
        MatrixPoint(kind="stt", model="tiny-stt", condition="clean", accuracy=0.92, accuracy_name="1 - WER",
                    latency_p50_s=0.3, latency_p95_s=0.4, count=6),
    ]
    tts = [TtsBenchRow(voice="joe", variant="streamed", replies=3, load_s=0.5, first_audio_p50_s=0.05,
                       first_audio_p95_s=0.1, first_audio_max_s=0.1, real_time_factor=0.05)]
    baselines = [BaselineComparison(name="hassil", description="d", cases=16, carvoice_accuracy=0.6,
                                    baseline_accuracy=0.15, carvoice_latency_p50_s=0.35,
                                    baseline_latency_p50_s=0.001, unusable_answers=12)]
    return BenchReport(run=run, end_to_end=end_to_end, matrix=matrix, tts=tts, baselines=baselines)


@pytest.fixture
def report() -> BenchReport:
    return make_report()
