"""Broken measurements: what makes a report untrustworthy, whatever the speed of the machine.

No check looks at how long anything took; they catch a measurement that did not happen (no cases, a stage
that never ran, NaN) or that cannot be right (the configured models scoring at or near zero).
"""

from __future__ import annotations

import math

from carvoice.bench.report.schema import E2E_STAGES, BenchReport

NEAR_ZERO = 0.05
"""Accuracy at or below this from the configured models means the measurement is broken, not the model.
Other installed models are not held to it: a 135M model may really score that low."""


def find_problems(report: BenchReport) -> list[str]:
    return [*_end_to_end_problems(report), *_matrix_problems(report), *_baseline_problems(report),
            *_tts_problems(report)]


def _end_to_end_problems(report: BenchReport) -> list[str]:
    e2e = report.end_to_end
    if not e2e.answered:
        return [f"end to end: none of the {len(e2e.turns)} commands got a spoken reply"]
    problems = [f"end to end: command {t.command} failed: {t.error}" for t in e2e.turns if t.error]
    problems += [f"end to end: stage {stage} never ran" for stage in E2E_STAGES if not e2e.stage_values(stage)]
    numbers = {"latency": e2e.latency.model_dump(), "cold start": {"total_s": e2e.cold_start.total_s},
               "peak RSS": {"mb": e2e.peak_rss_mb}}
    problems += [f"end to end: {section} {name} is not a number" for section, values in numbers.items()
                 for name, value in values.items() if not math.isfinite(value)]
    return problems


def _matrix_problems(report: BenchReport) -> list[str]:
    configured = {report.run.settings.get("slm_model"), report.run.settings.get("stt_model")}
    problems = [f"{kind}: no model was measured" for kind in ("slm", "stt") if not report.points(kind)]
    for point in report.matrix:
        name = f"{point.kind} {point.model} ({point.condition})"
        if point.count == 0:
            problems.append(f"{name}: no cases ran")
        elif not (math.isfinite(point.accuracy) and math.isfinite(point.latency_p50_s)):
            problems.append(f"{name}: accuracy or latency is not a number")
        elif point.model in configured and point.accuracy <= NEAR_ZERO:
            problems.append(f"{name}: {point.accuracy_name} {point.accuracy:.1%} is at or near zero")
    return problems


def _baseline_problems(report: BenchReport) -> list[str]:
    problems = []
    for baseline in report.baselines:
        if baseline.cases == 0:
            problems.append(f"baseline {baseline.name}: no cases ran")
            continue
        values = (baseline.carvoice_accuracy, baseline.baseline_accuracy, baseline.carvoice_latency_p50_s,
                  baseline.baseline_latency_p50_s)
        if not all(math.isfinite(value) for value in values):
            problems.append(f"baseline {baseline.name}: accuracy or latency is not a number")
    return problems


def _tts_problems(report: BenchReport) -> list[str]:
    if not report.tts:
        return ["tts: no reply was synthesised"]
    return [f"tts {row.voice} ({row.variant}): first audio is not a number" for row in report.tts
            if not math.isfinite(row.first_audio_p50_s)]
