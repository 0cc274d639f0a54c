"""`carvoice bench soak`: many turns through one pipeline, watching memory, latency and the car's invariants.

    report = run_soak(conversation, SoakPlan(text_turns=2000, audio_turns=200), texts, recordings)
    report.problems   # [] when memory stayed within the bound, p95 did not slow down and no invariant broke

Text and audio turns are interleaved evenly; simulated time passes between turns (the car drives, tracks
play on). Memory is the process's resident set size (RSS), sampled every few turns: a leak shows as a trend
that keeps rising after the warm-up, which a straight line fitted to the samples measures without being
thrown by the ups and downs of single readings. Latency is compared between the first and the last window
of turns of each kind, after the warm-up, so a leak that makes turns slower shows as a slowdown of the p95.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel

from carvoice.errors import CarvoiceError

# numpy, vehicle_sim and the assistant are imported where used: `carvoice --help` reads SoakPlan's defaults
if TYPE_CHECKING:
    from carvoice.assistant.conversation import Conversation
    from carvoice.audio.segment import AudioSegment
    from carvoice.turn import TurnRecord

VOLUME_CAP = 26  # vehicle_sim/data/safety.yaml: the volume is never above it
MB = 1024 * 1024
MIN_TREND_SAMPLES = 5
"""Fewer RSS samples after the warm-up than this and the memory trend is not judged: the line would be noise."""


@dataclass(frozen=True)
class SoakPlan:
    """How long to soak and what counts as a problem.

    The memory bound: a straight line is fitted to the RSS samples taken after the warm-up, and its rise
    over those turns may be at most `max_growth_mb` (64 MB). Over the full run (about 1,700 turns after the
    warm-up) that fails a leak of about 40 KB per turn or more, while single readings, which wander by
    +-20 MB as the allocators take and give back memory, move the fitted rise by a few MB only.

    Why a long warm-up: the native runtimes grow their memory pools to the largest input seen, and the inputs
    keep varying. Measured on this project's models, one at a time: piper (onnxruntime) grows about 200 MB
    over its first 200 distinct replies, then about 10 MB per 1,000 more as rarer, longer replies come;
    whisper grows 50 MB on its first recordings and is flat after 25; llama.cpp adds 22 MB in its first 50
    turns and is flat after; the car's event log fills to its 1,000 entries (a few MB of Python objects).
    With 10 warm-up turns that filling was read as a leak (+157 MB, issue #9). 500 turns (capped at half
    the run) cover most of one pass over the 572 typed commands and the 125 recordings.
    """

    text_turns: int = 2000
    audio_turns: int = 200
    warmup_turns: int = 500
    """Turns before memory is judged (at most half the run): the runtimes' pools fill in the first turns."""
    sample_every: int = 50
    """Turns between two RSS samples."""
    window_share: float = 0.1
    """Each latency window is this share of a kind's turns (at least 1, at most 200)."""
    max_growth_mb: float = 64.0
    """Allowed rise of the RSS trend line over the turns after the warm-up."""
    max_slowdown: float = 1.5
    """Allowed ratio of the last window's p95 latency to the first window's."""
    seconds_between_turns: float = 5.0

    def __post_init__(self) -> None:
        if self.text_turns < 0 or self.audio_turns < 0 or self.text_turns + self.audio_turns == 0:
            raise SoakError("a soak needs at least one turn, and no negative counts")
        if self.max_growth_mb <= 0 or self.max_slowdown < 1:
            raise SoakError("the memory bound must be positive and the slowdown factor at least 1")
        if self.warmup_turns < 0 or self.sample_every < 1:
            raise SoakError("the warm-up cannot be negative and memory is sampled at least every turn")

    @property
    def turns(self) -> int:
        return self.text_turns + self.audio_turns

    @property
    def warmup(self) -> int:
        """The warm-up actually used: `warmup_turns`, but at most half the run."""
        return min(self.warmup_turns, self.turns // 2)


QUICK_PLAN = SoakPlan(text_turns=60, audio_turns=6)


class SoakError(CarvoiceError):
    pass


class RssSample(BaseModel):
    turn: int
    mb: float


class MemoryTrend(BaseModel):
    """The least-squares line through the RSS samples after the warm-up."""

    samples: int
    first_turn: int
    last_turn: int
    mb_per_1000_turns: float

    @property
    def growth_mb(self) -> float:
        """The line's rise from the first sample after the warm-up to the last."""
        return self.mb_per_1000_turns * (self.last_turn - self.first_turn) / 1000


def memory_trend(samples: Sequence[RssSample]) -> MemoryTrend | None:
    """The trend of `samples`; None when there are too few to tell a trend from noise."""
    if len(samples) < MIN_TREND_SAMPLES:
        return None
    mean_turn = sum(s.turn for s in samples) / len(samples)
    mean_mb = sum(s.mb for s in samples) / len(samples)
    spread = sum((s.turn - mean_turn) ** 2 for s in samples)
    slope = sum((s.turn - mean_turn) * (s.mb - mean_mb) for s in samples) / spread
    return MemoryTrend(samples=len(samples), first_turn=samples[0].turn, last_turn=samples[-1].turn,
                       mb_per_1000_turns=slope * 1000)


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
    warmup_turns: int
    rss_start_mb: float
    rss_warm_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    rss_samples: list[RssSample]
    """Every `sample_every` turns, warm-up included (the trend uses those after it)."""
    latency: list[LatencyWindows]
    invariant_checks: int
    invariant_failures: list[str]
    failed_turns: list[str]
    max_growth_mb: float
    max_slowdown: float
    wall_s: float

    @property
    def memory_trend(self) -> MemoryTrend | None:
        """The RSS trend after the warm-up; None when the run is too short to judge memory."""
        return memory_trend([sample for sample in self.rss_samples if sample.turn > self.warmup_turns])

    @property
    def problems(self) -> list[str]:
        found = []
        trend = self.memory_trend
        if trend is not None and trend.growth_mb > self.max_growth_mb:
            found.append(f"resident memory kept growing after the warm-up: the trend rose {trend.growth_mb:.1f} MB "
                         f"over turns {trend.first_turn}-{trend.last_turn} ({trend.mb_per_1000_turns:+.1f} MB per "
                         f"1000 turns; bound {self.max_growth_mb:g} MB)")
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


def run_soak(conversation: Conversation, plan: SoakPlan, texts: Sequence[str], recordings: Sequence[AudioSegment],
             on_turn: Callable[[int, TurnRecord], None] | None = None) -> SoakReport:
    """Run the plan's turns on `conversation`, cycling through `texts` and `recordings`."""
    if plan.text_turns and not texts or plan.audio_turns and not recordings:
        raise SoakError("the soak needs commands to say: give texts for text turns and recordings for audio turns")
    started, rss_start = time.perf_counter(), resident_mb()
    tally, rss_warm, samples = _Tally(), rss_start, []
    for number, kind in enumerate(interleave(plan.text_turns, plan.audio_turns), 1):
        record, seconds = _one_turn(conversation, kind, number, texts, recordings)
        tally.latencies[kind].append(seconds)
        _check(conversation, number, record, tally)
        conversation.vehicle.tick(plan.seconds_between_turns)
        if on_turn is not None:
            on_turn(number, record)
        if number % plan.sample_every == 0:
            samples.append(_sample(number))
        if number == plan.warmup:
            rss_warm = resident_mb()
    rss_end = resident_mb()
    return SoakReport(
        text_turns=plan.text_turns, audio_turns=plan.audio_turns, warmup_turns=plan.warmup,
        rss_start_mb=rss_start, rss_warm_mb=rss_warm, rss_end_mb=rss_end,
        rss_peak_mb=max(peak_resident_mb(), rss_end), rss_samples=samples,
        latency=[_windows(kind, values, plan) for kind, values in tally.latencies.items() if values],
        invariant_checks=tally.checks, invariant_failures=tally.broken, failed_turns=tally.failed,
        max_growth_mb=plan.max_growth_mb, max_slowdown=plan.max_slowdown, wall_s=time.perf_counter() - started,
    )


def interleave(text_turns: int, audio_turns: int) -> list[str]:
    """The turn kinds in order, the audio turns spread evenly among the text turns."""
    total = text_turns + audio_turns
    audio_at = {int((i + 0.5) * total / audio_turns) for i in range(audio_turns)}
    return ["audio" if index in audio_at else "text" for index in range(total)]


def _one_turn(conversation: Conversation, kind: str, number: int, texts: Sequence[str],
              recordings: Sequence[AudioSegment]) -> tuple[TurnRecord, float]:
    started = time.perf_counter()
    if kind == "text":
        record = conversation.text(texts[number % len(texts)])
    else:
        record = conversation.audio(recordings[number % len(recordings)])
    return record, time.perf_counter() - started


def _sample(turn: int) -> RssSample:
    gc.collect()  # garbage waiting for the cycle collector is not growth
    return RssSample(turn=turn, mb=resident_mb())


def _check(conversation: Conversation, number: int, record: TurnRecord, tally: _Tally) -> None:
    from vehicle_sim.invariants import violations

    state = conversation.vehicle.snapshot()
    problems = violations(state, conversation.vehicle.world)
    if state.media.volume > VOLUME_CAP:
        problems.append(f"the volume is {state.media.volume}, above the cap of {VOLUME_CAP}")
    tally.checks += 1
    tally.broken += [f"turn {number} ({record.heard!r}): {problem}" for problem in problems]
    if record.error:
        tally.failed.append(f"turn {number} ({record.heard!r}): {record.error}")


def _windows(kind: str, values: list[float], plan: SoakPlan) -> LatencyWindows:
    """p50/p95 of the first and last windows of one kind's turns; the warm-up share is skipped when it can be."""
    from carvoice.bench.stats import percentile  # numpy: not at import, so `carvoice --help` stays light

    skip = min(round(plan.warmup * len(values) / plan.turns), len(values) // 2)
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
