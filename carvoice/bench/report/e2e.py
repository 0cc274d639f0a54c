"""End of speech -> first reply audio, measured live: each spoken sample is replayed in real time into the
microphone code and endpointed as `carvoice talk` does (smart endpointing), then run through the real pipeline.

Each command runs as the first turn of a fresh car and dialog, so one command's confirmation or follow-up
never changes how the next is understood. Reply audio is synthesised but not played (SilentOutput).

    turns = measure_end_to_end(load_assistant(settings, speech_in=True), load_commands()[:10])
    for row in stage_rows(turns):        # `carvoice bench e2e` prints these
        print(row.stage, row.p50_s, row.p95_s, row.share)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from carvoice.assistant.assistant import Assistant
from carvoice.bench.endpointing import Mode, live_turn, standard_modes
from carvoice.bench.report.schema import E2E_STAGES, ColdStart, EndToEnd, Percentiles, TurnTiming
from carvoice.bench.samples import SpokenCommand, sample_audio
from carvoice.turn import TurnRecord

ENDPOINTING: Mode = standard_modes()[-1]
"""The product's endpointing (smart: see carvoice/audio/speculation.py)."""


def describe_endpointing(mode: Mode = ENDPOINTING) -> str:
    if mode.smart is None:
        return f"fixed: {mode.endpoint.end_silence_s:g} s of silence"
    return (f"smart: the speech so far is understood after {mode.smart.probe_after_s:g} s of silence and the turn "
            f"ends when it is a whole command, else after {mode.smart.patience_s:g} s of silence")


class StageRow(BaseModel):
    stage: str
    p50_s: float
    p95_s: float
    share: float
    """Of the mean end-to-end latency."""


def measure_end_to_end(assistant: Assistant, commands: Sequence[SpokenCommand], mode: Mode = ENDPOINTING,
                       on_turn: Callable[[TurnTiming], None] | None = None) -> list[TurnTiming]:
    turns = []
    for command in commands:
        turns.append(_one_turn(assistant, command, mode))
        if on_turn is not None:
            on_turn(turns[-1])
    return turns


def stage_rows(turns: list[TurnTiming]) -> list[StageRow]:
    """Each stage's p50, p95 and share of the answered turns' latency, then the end to end figure."""
    timings = EndToEnd(turns=turns, cold_start=ColdStart(total_s=math.nan, per_model_s={}), peak_rss_mb=math.nan,
                       endpointing=describe_endpointing())
    shares = timings.stage_shares()
    rows = [_stage_row(stage, timings.stage_values(stage), shares[stage]) for stage in E2E_STAGES]
    return rows + [_stage_row("end to end", [turn.latency_s for turn in timings.answered], 1.0)]


def _stage_row(stage: str, values: list[float], share: float) -> StageRow:
    percentiles = Percentiles.of(values)
    return StageRow(stage=stage, p50_s=percentiles.p50, p95_s=percentiles.p95, share=share)


def _one_turn(assistant: Assistant, command: SpokenCommand, mode: Mode) -> TurnTiming:
    turn = live_turn(assistant, sample_audio(command).samples, mode)
    if turn is None:
        return TurnTiming(command=command.id, latency_s=None, stages={}, error="no speech was detected")
    record = turn.record
    stages_s = _stage_seconds(record)
    latency = record.latency_s
    if latency is not None:  # what no stage accounts for: listening for the end of speech
        stages_s = {"endpointing_wait": max(0.0, latency - sum(stages_s.values())), **stages_s}
    return TurnTiming(command=command.id, latency_s=latency, stages=stages_s, error=record.error)


def _stage_seconds(record: TurnRecord) -> dict[str, float]:
    """The seconds of each stage; for the reply, only until its first chunk was ready."""
    seconds = {stage: span.seconds for stage, span in record.spans.items() if stage != "tts"}
    tts = record.spans.get("tts")
    if tts is not None and record.first_audio_at is not None:
        seconds["tts_first_chunk"] = record.first_audio_at - tts.start
    return seconds
