"""End of speech -> first reply audio, measured live: each spoken sample is replayed in real time into the
microphone code and endpointed as `carvoice talk` does (smart endpointing), then run through the real pipeline.

Each command runs as the first turn of a fresh car and dialog, so one command's confirmation or follow-up
never changes how the next is understood. Reply audio is synthesised but not played (SilentOutput).
"""

from __future__ import annotations

from collections.abc import Sequence

from carvoice.assistant.assistant import Assistant
from carvoice.bench.endpointing import Mode, live_turn, standard_modes
from carvoice.bench.report.schema import TurnTiming
from carvoice.bench.samples import SpokenCommand, sample_audio
from carvoice.turn import TurnRecord

ENDPOINTING: Mode = standard_modes()[-1]
"""The product's endpointing (smart: see carvoice/audio/speculation.py)."""


def describe_endpointing(mode: Mode = ENDPOINTING) -> str:
    if mode.smart is None:
        return f"fixed: {mode.endpoint.end_silence_s:g} s of silence"
    return (f"smart: the speech so far is understood after {mode.smart.probe_after_s:g} s of silence and the turn "
            f"ends when it is a whole command, else after {mode.smart.patience_s:g} s of silence")


def measure_end_to_end(assistant: Assistant, commands: Sequence[SpokenCommand], mode: Mode = ENDPOINTING
                       ) -> list[TurnTiming]:
    return [_one_turn(assistant, command, mode) for command in commands]


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
