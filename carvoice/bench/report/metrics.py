"""A report as a flat list of named numbers, each knowing which way is better: what `compare` lines up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from carvoice.bench.report.schema import BenchReport

Unit = Literal["s", "%", "MB", "x"]


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    unit: Unit
    higher_is_better: bool


def report_metrics(report: BenchReport) -> list[Metric]:
    return [*_end_to_end(report), *_matrix(report), *_tts(report), *_baselines(report), *_wake(report)]


def _end_to_end(report: BenchReport) -> list[Metric]:
    e2e = report.end_to_end
    latency = e2e.latency
    metrics = [Metric(f"end to end {name}", value, "s", False)
               for name, value in (("p50", latency.p50), ("p95", latency.p95), ("p99", latency.p99))]
    metrics += [Metric(f"end to end {stage} p50", value, "s", False) for stage, value in e2e.stage_p50_s().items()]
    return metrics + [Metric("cold start", e2e.cold_start.total_s, "s", False),
                      Metric("peak RSS", e2e.peak_rss_mb, "MB", False)]


def _matrix(report: BenchReport) -> list[Metric]:
    metrics = []
    for point in report.matrix:
        name = f"{point.kind} {point.model} {point.condition}"
        if point.kind == "stt":
            metrics.append(Metric(f"{name} WER", 1 - point.accuracy, "%", False))
        else:
            metrics.append(Metric(f"{name} {point.accuracy_name}", point.accuracy, "%", True))
        metrics.append(Metric(f"{name} latency p50", point.latency_p50_s, "s", False))
    return metrics


def _tts(report: BenchReport) -> list[Metric]:
    return [Metric(f"tts {row.voice} {row.variant} first audio p50", row.first_audio_p50_s, "s", False)
            for row in report.tts]


def _baselines(report: BenchReport) -> list[Metric]:
    metrics = []
    for baseline in report.baselines:
        metrics += [Metric(f"vs {baseline.name}: accuracy ratio", baseline.accuracy_ratio, "x", True),
                    Metric(f"vs {baseline.name}: speed-up", baseline.speedup, "x", True)]
    return metrics


def _wake(report: BenchReport) -> list[Metric]:
    """At the threshold the wake word runs with."""
    wake = report.wake
    row = next((row for row in wake.curve if row.threshold == wake.threshold), None) if wake else None
    if row is None:
        return []
    name = f"wake {wake.model} at {wake.threshold:g}"
    return [Metric(f"{name} false rejects clean", row.false_rejects_clean, "%", False),
            Metric(f"{name} false rejects 10 dB", row.false_rejects_10db, "%", False),
            Metric(f"{name} false accepts per hour", row.false_accepts_per_hour, "x", False),
            Metric(f"{name} delay p50", row.delay_p50_s, "s", False),
            Metric(f"{name} CPU share", wake.cpu_share, "%", False)]
