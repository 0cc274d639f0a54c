"""`carvoice bench endpointing`: what smart endpointing saves and what it risks, measured live.

Each spoken command of audio_samples/ is replayed in real time into the microphone code, as a live microphone
would deliver it, once with the fixed silence rule and once with smart endpointing (carvoice/audio/speculation.py),
and run as a turn on the real pipeline (a new car each time, so both modes start from the same context):

- latency: end of speech -> first reply audio, the endpointing wait included (the figure a driver feels);
- early ends: the share of turns ended as whole commands before the silence rule;
- agreement: the share of turns understood the same way in both modes (ending early must not change the answer);
- false cut-offs: the same commands said with a hesitation in the middle (both halves synthesised by the piper
  voice, `pause_s` of silence between them): the share whose first half was taken as the whole command.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from carvoice.assistant.assistant import Assistant
from carvoice.assistant.conversation import Conversation, Spoken
from carvoice.assistant.reply_audio import SilentOutput
from carvoice.audio.endpoint import EndpointOptions, EndReason
from carvoice.audio.mic import Microphone, StreamFormat
from carvoice.audio.replay import replay_stream_factory
from carvoice.audio.resample import resample
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.audio.speculation import SmartEndOptions
from carvoice.bench.stats import percentile
from carvoice.turn import TurnRecord

LEAD_S = 0.3


class EndpointingRow(BaseModel):
    mode: str
    commands: int
    latency_p50_s: float
    latency_p95_s: float
    early_end_share: float
    agreement: float
    paused_commands: int
    pause_s: float
    false_cutoffs: float


@dataclass(frozen=True)
class Mode:
    name: str
    endpoint: EndpointOptions
    smart: SmartEndOptions | None


def standard_modes(fixed_silence_s: float = 0.6) -> list[Mode]:
    return [Mode(f"fixed {fixed_silence_s:g} s", EndpointOptions(end_silence_s=fixed_silence_s), None),
            Mode("smart", EndpointOptions(), SmartEndOptions())]


@dataclass(frozen=True)
class LiveTurn:
    utterance: Spoken
    record: TurnRecord

    @property
    def intents(self) -> list[tuple[str, dict]]:
        understanding = self.record.understanding
        return [(i.name, i.slots) for i in understanding.intents] if understanding else []


def listen_live(samples: np.ndarray, mode: Mode, conversation: Conversation) -> Spoken | None:
    """One listen on a microphone that plays `samples` (16 kHz) in real time."""
    tail = (mode.smart.patience_s if mode.smart else mode.endpoint.end_silence_s) + 0.5
    audio = np.concatenate([_silence(LEAD_S), samples, _silence(tail)])
    microphone = Microphone(options=mode.endpoint, stream_factory=replay_stream_factory(audio, realtime=True),
                            stream_format=StreamFormat(SAMPLE_RATE, 1, None))
    return conversation.listen(microphone)


def live_turn(assistant: Assistant, samples: np.ndarray, mode: Mode) -> LiveTurn | None:
    conversation = _new_conversation(assistant, mode)
    utterance = listen_live(samples, mode, conversation)
    return None if utterance is None else LiveTurn(utterance, conversation.answer(utterance))


def cut_off(assistant: Assistant, first: np.ndarray, second: np.ndarray, pause_s: float, mode: Mode) -> bool:
    """Whether the turn ended in the pause, before the second half was said."""
    started = time.monotonic()
    utterance = listen_live(np.concatenate([first, _silence(pause_s), second]), mode,
                            _new_conversation(assistant, mode))
    second_starts = started + LEAD_S + (len(first) / SAMPLE_RATE) + pause_s
    return utterance is not None and (utterance.audio.speech_ended_at or 0.0) < second_starts


def spoken_halves(assistant: Assistant, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The text cut at its middle word boundary, each half spoken by the piper voice (16 kHz)."""
    words = text.split()
    if len(words) < 4 or assistant.stages.tts is None:
        return None
    middle = len(words) // 2
    return tuple(_spoken(assistant, " ".join(part)) for part in (words[:middle], words[middle:]))  # type: ignore


def run_endpointing_bench(assistant: Assistant, recordings: list[np.ndarray], texts: list[str], modes: list[Mode],
                          pause_s: float, on_row: Callable[[EndpointingRow], None]) -> None:
    halves = [h for h in (spoken_halves(assistant, text) for text in texts) if h is not None]
    turns_by_mode = {mode.name: [live_turn(assistant, samples, mode) for samples in recordings] for mode in modes}
    reference = turns_by_mode[modes[0].name]
    for mode in modes:
        turns = turns_by_mode[mode.name]
        cutoffs = [cut_off(assistant, first, second, pause_s, mode) for first, second in halves]
        on_row(_row(mode.name, turns, reference, cutoffs, pause_s))


def _row(mode: str, turns: list[LiveTurn | None], reference: list[LiveTurn | None], cutoffs: list[bool],
         pause_s: float) -> EndpointingRow:
    heard = [t for t in turns if t is not None and t.record.latency_s is not None]
    latencies = [t.record.latency_s for t in heard]
    pairs = [(t, r) for t, r in zip(turns, reference) if t is not None and r is not None]
    return EndpointingRow(
        mode=mode, commands=len(heard),
        latency_p50_s=percentile(latencies, 50), latency_p95_s=percentile(latencies, 95),
        early_end_share=_share([t.utterance.reason is EndReason.COMPLETE for t in heard]),
        agreement=_share([t.intents == r.intents for t, r in pairs]),
        paused_commands=len(cutoffs), pause_s=pause_s, false_cutoffs=_share(cutoffs),
    )


def _new_conversation(assistant: Assistant, mode: Mode) -> Conversation:
    """A new car each time, so every turn starts from the same context."""
    return assistant.converse(reply_output=SilentOutput(), smart=mode.smart)


def _spoken(assistant: Assistant, text: str) -> np.ndarray:
    tts = assistant.stages.tts
    samples, _ = tts.synthesize(text)
    return resample(samples, tts.sample_rate, SAMPLE_RATE)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")
