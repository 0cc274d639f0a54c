"""The report's PNG plots (matplotlib, Agg: no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen before pyplot is imported)

from carvoice.audio.noise import NOISE_LEVELS  # noqa: E402
from carvoice.bench.report.schema import E2E_STAGES, BenchReport, MatrixPoint  # noqa: E402

CLEAN_SNR_POSITION = 20.0
"""Where 'clean' (no noise) sits on the SNR axis, right of the noisiest level measured."""
STAGE_LATENCY_PNG = "stage_latency.png"
ACCURACY_LATENCY_PNG = "accuracy_vs_latency.png"
WER_SNR_PNG = "wer_vs_snr.png"


def write_plots(report: BenchReport, folder: Path) -> list[Path]:
    drawn = [(STAGE_LATENCY_PNG, _stage_latency), (ACCURACY_LATENCY_PNG, _accuracy_vs_latency),
             (WER_SNR_PNG, _wer_vs_snr)]
    paths = []
    for name, draw in drawn:
        figure = draw(report)
        paths.append(folder / name)
        figure.savefig(paths[-1], dpi=110, bbox_inches="tight")
        plt.close(figure)
    return paths


def _stage_latency(report: BenchReport):
    e2e = report.end_to_end
    stages = [stage for stage in E2E_STAGES if e2e.stage_values(stage)]
    figure, axes = plt.subplots(figsize=(8, 4))
    values = [e2e.stage_values(stage) for stage in stages] + [[t.latency_s for t in e2e.answered]]
    axes.boxplot(values, showfliers=True)
    axes.set_xticks(range(1, len(values) + 1), [*stages, "end to end"], rotation=20)
    axes.set_ylabel("seconds")
    axes.set_title(f"Latency per stage, {len(e2e.answered)} spoken commands")
    return figure


def _accuracy_vs_latency(report: BenchReport):
    figure, (slm_axes, stt_axes) = plt.subplots(1, 2, figsize=(11, 4.5))
    _scatter_with_front(slm_axes, [p for p in report.points("slm") if p.condition == "cached"],
                        "Understanding (SLM), own set")
    _scatter_with_front(stt_axes, [p for p in report.points("stt") if p.condition == "clean"],
                        "Speech-to-text, clean")
    return figure


def _scatter_with_front(axes, points: list[MatrixPoint], title: str) -> None:
    for point in points:
        axes.scatter(point.latency_p50_s * 1000, point.accuracy * 100, marker="o" if point.pareto else "x",
                     color="tab:blue" if point.pareto else "tab:gray")
        axes.annotate(point.model, (point.latency_p50_s * 1000, point.accuracy * 100), fontsize=8,
                      xytext=(4, 4), textcoords="offset points")
    front = sorted((p for p in points if p.pareto), key=lambda p: p.latency_p50_s)
    if front:
        axes.plot([p.latency_p50_s * 1000 for p in front], [p.accuracy * 100 for p in front], color="tab:blue",
                  label="Pareto front")
        axes.legend(loc="lower right")
    axes.set_xlabel("latency p50 (ms)")
    axes.set_ylabel(f"{points[0].accuracy_name} (%)" if points else "accuracy (%)")
    axes.set_title(title)


def _wer_vs_snr(report: BenchReport):
    figure, axes = plt.subplots(figsize=(7, 4))
    for model in dict.fromkeys(p.model for p in report.points("stt")):
        points = sorted((p for p in report.points("stt") if p.model == model), key=lambda p: _snr(p.condition))
        axes.plot([_snr(p.condition) for p in points], [(1 - p.accuracy) * 100 for p in points], marker="o",
                  label=model)
    positions = sorted({_snr(p.condition) for p in report.points("stt")})
    axes.set_xticks(positions, [f"{x:g} dB" if x != CLEAN_SNR_POSITION else "clean" for x in positions])
    axes.set_xlabel("signal-to-noise ratio (cabin noise)")
    axes.set_ylabel("WER (%)")
    axes.set_title("Word error rate against cabin noise")
    axes.legend()
    return figure


def _snr(condition: str) -> float:
    snr = NOISE_LEVELS[condition]
    return CLEAN_SNR_POSITION if snr is None else snr
