"""report.md: the report for people, drawn from the same `BenchReport` as report.json."""

from __future__ import annotations

import math
from collections.abc import Sequence

from carvoice.bench.report.plots import ACCURACY_LATENCY_PNG, STAGE_LATENCY_PNG, WER_SNR_PNG
from carvoice.bench.report.schema import E2E_STAGES, BenchReport, MatrixPoint


def ms(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.2f} ms"


def percent(fraction: float) -> str:
    return "-" if not math.isfinite(fraction) else f"{fraction:.1%}"


def times(ratio: float) -> str:
    return "-" if math.isnan(ratio) else f"{ratio:.3g}×"


def headline(report: BenchReport) -> list[tuple[str, str]]:
    """The few numbers a reader wants first, as (what, value) rows."""
    e2e = report.end_to_end
    latency = e2e.latency
    rows = [("end of speech → first reply audio", f"p50 {ms(latency.p50)} · p95 {ms(latency.p95)} · "
             f"p99 {ms(latency.p99)} ({len(e2e.answered)} commands)"),
            ("cold start (all models loaded)", ms(e2e.cold_start.total_s)),
            ("peak memory (RSS)", f"{e2e.peak_rss_mb:.0f} MB")]
    configured = {report.run.settings.get("slm_model"), report.run.settings.get("stt_model")}
    rows += [(f"{p.kind} {p.model} ({p.condition})", f"{p.accuracy_name} {percent(p.accuracy)} · p50 "
              f"{ms(p.latency_p50_s)}") for p in report.matrix if p.model in configured]
    rows += [(f"carvoice vs {b.name} ({b.cases} utterances)", f"exact {percent(b.carvoice_accuracy)} vs "
              f"{percent(b.baseline_accuracy)} · p50 {ms(b.carvoice_latency_p50_s)} vs "
              f"{ms(b.baseline_latency_p50_s)}") for b in report.baselines]
    return rows


def render_markdown(report: BenchReport) -> str:
    run = report.run
    parts = [
        f"# carvoice benchmark report\n\n{run.date} on {run.machine.describe(run.settings.get('threads'))} "
        f"({run.machine.os}){' — **quick run** (small slices)' if run.quick else ''}.",
        _problems(report),
        "## Headline\n\n" + _table(["measurement", "value"], headline(report)),
        _end_to_end(report),
        _matrix(report),
        "## Text-to-speech\n\n" + _table(
            ["voice", "variant", "replies", "load", "first audio p50", "p95", "real-time factor"],
            [(r.voice, r.variant, r.replies, ms(r.load_s), ms(r.first_audio_p50_s), ms(r.first_audio_p95_s),
              f"{r.real_time_factor:.3f}") for r in report.tts]),
        _baselines(report),
        _wake(report),
        _reproduce(report),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _problems(report: BenchReport) -> str:
    if not report.problems:
        return ""
    return "## Broken measurements\n\n" + "\n".join(f"- {problem}" for problem in report.problems)


def _end_to_end(report: BenchReport) -> str:
    e2e = report.end_to_end
    p50, shares = e2e.stage_p50_s(), e2e.stage_shares()
    stages = _table(["stage", "p50", "share of the latency"],
                    [(stage, ms(p50[stage]), percent(shares[stage])) for stage in E2E_STAGES])
    loads = ", ".join(f"{name} {ms(seconds)}" for name, seconds in e2e.cold_start.per_model_s.items())
    failed = len(e2e.turns) - len(e2e.answered)
    return (f"## End to end\n\nThe spoken commands of `audio_samples/`, replayed in real time into the microphone "
            f"code and run through the real pipeline (reply audio synthesised, not played), each as the first turn "
            f"of a fresh car. Endpointing: {e2e.endpointing}. {failed} of {len(e2e.turns)} turns failed."
            f"\n\n{stages}\n\n"
            f"Cold start, in a fresh process: {ms(e2e.cold_start.total_s)} (models loaded in parallel: {loads}). "
            f"Peak RSS of that process: {e2e.peak_rss_mb:.0f} MB.\n\n![latency per stage]({STAGE_LATENCY_PNG})")


def _matrix(report: BenchReport) -> str:
    return (f"## Model matrix\n\n★ marks the Pareto front (no other model is both more accurate and faster, "
            f"among the same kind and condition).\n\n{_points_table(report.points('slm'))}\n\n"
            f"{_points_table(report.points('stt'))}\n\n![accuracy against latency]({ACCURACY_LATENCY_PNG})\n\n"
            f"![WER against SNR]({WER_SNR_PNG})")


def _points_table(points: Sequence[MatrixPoint]) -> str:
    if not points:
        return ""
    return _table(["", "model", "condition", points[0].accuracy_name, "p50", "p95", "n"],
                  [("★" if p.pareto else "", p.model, p.condition, percent(p.accuracy), ms(p.latency_p50_s),
                    ms(p.latency_p95_s), p.count) for p in points])


def _baselines(report: BenchReport) -> str:
    rows = [(b.name, b.cases, percent(b.carvoice_accuracy), percent(b.baseline_accuracy), times(b.accuracy_ratio),
             ms(b.carvoice_latency_p50_s), ms(b.baseline_latency_p50_s), times(b.speedup), b.unusable_answers)
            for b in report.baselines]
    notes = "\n".join(f"- **{b.name}**: {b.description}." for b in report.baselines)
    return ("## Against the baselines\n\nExact match on the same utterances; ratios above 1× favour carvoice.\n\n"
            + _table(["baseline", "n", "carvoice", "baseline", "accuracy ratio", "carvoice p50", "baseline p50",
                      "speed-up", "baseline unusable"], rows) + "\n\n" + notes)


def _wake(report: BenchReport) -> str:
    wake = report.wake
    if wake is None:
        return ""
    rows = [(f"**{row.threshold:g}**" if row.threshold == wake.threshold else f"{row.threshold:g}",
             percent(row.false_rejects_clean), percent(row.false_rejects_10db), percent(row.false_rejects_5db),
             row.false_accepts, f"{row.false_accepts_per_hour:.2f}", ms(row.delay_p50_s), ms(row.delay_p95_s))
            for row in wake.curve]
    return (f"## Wake word\n\n`{wake.model}` on {wake.phrases} synthesised wake phrases and {wake.negative_hours:.2f} h "
            f"of audio without it; it runs at **{wake.threshold:g}**; the detector costs {percent(wake.cpu_share)} of "
            "one core.\n\n" + _table(["threshold", "false rejects clean", "10 dB", "5 dB", "false accepts",
                                       "per hour", "delay p50", "p95"], rows))


def _reproduce(report: BenchReport) -> str:
    run = report.run
    settings = ", ".join(f"{k} = {v}" for k, v in run.settings.items())
    sizes = ", ".join(f"{k} {v}" for k, v in run.sizes.items())
    versions = ", ".join(f"{k} {v}" for k, v in run.versions.items())
    models = _table(["role", "model", "file", "bytes", "sha256"],
                    [(m.role, m.name, f.name, f.size, f"`{f.sha256}`") for m in run.models for f in m.files])
    return f"## To reproduce\n\nSettings: {settings}.\n\nSizes: {sizes}.\n\nVersions: {versions}.\n\n{models}"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
