"""`carvoice bench soak`: many turns through one pipeline, watching memory, latency and the car's invariants.

    report = run_soak(pipeline, SoakPlan(text_turns=2000, audio_turns=200), texts, recordings)
    report.problems   # [] when memory stayed within the bound, p95 did not slow down and no invariant broke

Text and audio turns are interleaved evenly; simulated time passes between turns (the car drives, tracks
play on). Memory is the process's resident set size: measured at the start, after the warm-up turns, at
the end, and its peak. Latency is compared between the first and the last window of turns of each kind,
after the warm-up, so a leak that makes turns slower shows as a slowdown of the p95.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel

from carvoice.errors import CarvoiceError

# numpy, vehicle_sim and the pipeline are imported where used: `carvoice --help` reads SoakPlan's defaults
if TYPE_CHECKING:
    from carvoice.audio.segment import AudioSegment
    from carvoice.pipeline import Pipeline
    from carvoice.turn import TurnRecord

VOLUME_CAP = 26  # vehicle_sim/data/safety.yaml: the volume is never above it
MB = 1024 * 1024


@dataclass(frozen=True)
class SoakPlan:
    text_turns: int = 2000
    audio_turns: int = 200
    warmup_turns: int = 10
    """Turns before the 'warm' memory reading: caches and allocator pools fill in the first turns."""
    window_share: float = 0.1
    """Each latency window is this share of a kind's turns (at least 1, at most 200)."""
    max_growth_mb: float = 64.0
    """Allowed growth of resident memory from after the warm-up to the end."""
    max_slowdown: float = 1.5
    """Allowed ratio of the last window's p95 latency to the first window's."""
    seconds_between_turns: float = 5.0

    def __post_init__(self) -> None:
        if self.text_turns < 0 or self.audio_turns < 0 or self.text_turns + self.audio_turns == 0:
            raise SoakError("a soak needs at least one turn, and no negative counts")
        if self.max_growth_mb <= 0 or self.max_slowdown < 1:
            raise SoakError("the memory bound must be positive and the slowdown factor at least 1")


QUICK_PLAN = SoakPlan(text_turns=60, audio_turns=6)


class SoakError(CarvoiceError):
    pass


class LatencyWindows(BaseModel):
    kind: str
    turns: int
    window: int
    first_p50_s: float
    first_p95_s: float
    last_p50_s: float
    last_p95_s: float

    @property
    def slowdown(self) -> float:
        return self.last_p95_s / self.first_p95_s if self.first_p95_s > 0 else 1.0


class SoakReport(BaseModel):
    text_turns: int
    audio_turns: int
    rss_start_mb: float
    rss_warm_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    latency: list[LatencyWindows]
    invariant_checks: int
    invariant_failures: list[str]
    failed_turns: list[str]
    max_growth_mb: float
    max_slowdown: float
    wall_s: float

    @property
    def growth_mb(self) -> float:
        return self.rss_end_mb - self.rss_warm_mb

    @property
    def problems(self) -> list[str]:
        found = []
        if self.growth_mb > self.max_growth_mb:
            found.append(f"resident memory grew {self.growth_mb:.1f} MB after the warm-up "
                         f"(bound {self.max_growth_mb:g} MB)")
        found += [f"{w.kind} turns: p95 latency went from {w.first_p95_s:.3f} s to {w.last_p95_s:.3f} s "
                  f"(x{w.slowdown:.2f}, bound x{self.max_slowdown:g})"
                  for w in self.latency if w.slowdown > self.max_slowdown]
        if self.invariant_failures:
            found.append(f"{len(self.invariant_failures)} invariant check(s) failed, first: "
                         f"{self.invariant_failures[0]}")
        if self.failed_turns:
            found.append(f"{len(self.failed_turns)} turn(s) ended in an error, first: {self.failed_turns[0]}")
        return found


@dataclass
class _Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"text": [], "audio": []})
    checks: int = 0
    broken: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run_soak(pipeline: Pipeline, plan: SoakPlan, texts: Sequence[str], recordings: Sequence[AudioSegment],
             on_turn: Callable[[int, TurnRecord], None] | None = None) -> SoakReport:
    """Run the plan's turns on `pipeline`, cycling through `texts` and `recordings`."""
    if plan.text_turns and not texts or plan.audio_turns and not recordings:
        raise SoakError("the soak needs commands to say: give texts for text turns and recordings for audio turns")
    started, rss_start = time.perf_counter(), resident_mb()
    tally, rss_warm = _Tally(), rss_start
    for number, kind in enumerate(interleave(plan.text_turns, plan.audio_turns), 1):
        record, seconds = _one_turn(pipeline, kind, number, texts, recordings)
        tally.latencies[kind].append(seconds)
        _check(pipeline, number, record, tally)
        pipeline.vehicle.tick(plan.seconds_between_turns)
        if number == plan.warmup_turns:
            rss_warm = resident_mb()
        if on_turn is not None:
            on_turn(number, record)
    rss_end = resident_mb()
    return SoakReport(
        text_turns=plan.text_turns, audio_turns=plan.audio_turns, rss_start_mb=rss_start,
        rss_warm_mb=rss_warm, rss_end_mb=rss_end, rss_peak_mb=max(peak_resident_mb(), rss_end),
        latency=[_windows(kind, values, plan) for kind, values in tally.latencies.items() if values],
        invariant_checks=tally.checks, invariant_failures=tally.broken, failed_turns=tally.failed,
        max_growth_mb=plan.max_growth_mb, max_slowdown=plan.max_slowdown, wall_s=time.perf_counter() - started,
    )


def interleave(text_turns: int, audio_turns: int) -> list[str]:
    """The turn kinds in order, the audio turns spread evenly among the text turns."""
    total = text_turns + audio_turns
    audio_at = {int((i + 0.5) * total / audio_turns) for i in range(audio_turns)}
    return ["audio" if index in audio_at else "text" for index in range(total)]


def _one_turn(pipeline: Pipeline, kind: str, number: int, texts: Sequence[str],
              recordings: Sequence[AudioSegment]) -> tuple[TurnRecord, float]:
    started = time.perf_counter()
    if kind == "text":
        record = pipeline.run_text(texts[number % len(texts)])
    else:
        record = pipeline.run_audio(recordings[number % len(recordings)])
    return record, time.perf_counter() - started


def _check(pipeline: Pipeline, number: int, record: TurnRecord, tally: _Tally) -> None:
    from vehicle_sim.invariants import violations

    state = pipeline.vehicle.snapshot()
    problems = violations(state, pipeline.vehicle.world)
    if state.media.volume > VOLUME_CAP:
        problems.append(f"the volume is {state.media.volume}, above the cap of {VOLUME_CAP}")
    tally.checks += 1
    tally.broken += [f"turn {number} ({record.heard!r}): {problem}" for problem in problems]
    if record.error:
        tally.failed.append(f"turn {number} ({record.heard!r}): {record.error}")


def _windows(kind: str, values: list[float], plan: SoakPlan) -> LatencyWindows:
    """p50/p95 of the first and last windows of one kind's turns; the warm-up share is skipped when it can be."""
    from carvoice.bench.stats import percentile  # numpy: not at import, so `carvoice --help` stays light

    skip = min(round(plan.warmup_turns * len(values) / (plan.text_turns + plan.audio_turns)), len(values) // 2)
    steady = values[skip:]
    size = min(200, max(1, round(len(steady) * plan.window_share)))
    first, last = steady[:size], steady[-size:]
    return LatencyWindows(kind=kind, turns=len(values), window=size,
                          first_p50_s=percentile(first, 50), first_p95_s=percentile(first, 95),
                          last_p50_s=percentile(last, 50), last_p95_s=percentile(last, 95))


def resident_mb() -> float:
    """The process's resident memory now, in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except OSError:
        import psutil  # not on Linux: psutil knows how to ask the system

        return psutil.Process().memory_info().rss / MB


def peak_resident_mb() -> float:
    """The most resident memory the process has had (ru_maxrss is kB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024
