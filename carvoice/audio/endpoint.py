"""Hands-free endpointing: finding where a spoken command starts and ends in a live 16 kHz stream.

`StreamingVad` runs Silero VAD (the model faster-whisper ships) one 32 ms frame at a time, carrying its
recurrent state. `Endpointer` turns the per-frame speech probabilities into utterances: speech starts after
`min_speech_s` of speech, ends after `end_silence_s` of silence (or at `max_utterance_s`), and a little
audio from before the start (`pre_roll_s`) is kept so the first consonant is not cut.

Durations are counted in samples, never in wall-clock time, so the same audio endpoints the same way
whether it arrives live or from a file as fast as it can be read.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

import numpy as np
from faster_whisper.vad import get_vad_model

from carvoice.audio.events import AudioLevel, EventListener, ListeningState, StateChanged, ignore_events
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment

FRAME_SAMPLES = 512
"""Silero VAD's frame at 16 kHz (32 ms)."""
_CONTEXT_SAMPLES = 64


class StreamingVad:
    """Speech probability of consecutive 512-sample frames, with the model's state carried between them."""

    def __init__(self) -> None:
        self._session = get_vad_model().session
        self.reset()

    def reset(self) -> None:
        self._state = np.zeros((2, 1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)

    def probability(self, frame: np.ndarray) -> float:
        if len(frame) != FRAME_SAMPLES:
            raise ValueError(f"the VAD takes frames of {FRAME_SAMPLES} samples, got {len(frame)}")
        model_input = np.concatenate([self._context, frame]).astype(np.float32).reshape(1, -1)
        speech, h, c = self._session.run(None, {"input": model_input, "h": self._state[0], "c": self._state[1]})
        self._state = np.stack([h, c])
        self._context = frame[-_CONTEXT_SAMPLES:].astype(np.float32)
        return float(speech[0])


@dataclass(frozen=True)
class EndpointOptions:
    speech_threshold: float = 0.5
    silence_threshold: float = 0.35
    """Below this a frame counts as silence; between the two thresholds it continues what was going on."""
    min_speech_s: float = 0.15
    end_silence_s: float = 0.6
    """How long the speaker must be quiet before the command is taken as finished."""
    max_utterance_s: float = 10.0
    pre_roll_s: float = 0.3

    def __post_init__(self) -> None:
        if not 0 < self.silence_threshold <= self.speech_threshold < 1:
            raise ValueError("thresholds must satisfy 0 < silence_threshold <= speech_threshold < 1")
        if min(self.min_speech_s, self.end_silence_s, self.max_utterance_s) <= 0 or self.pre_roll_s < 0:
            raise ValueError("endpoint durations must be positive")


class EndReason(str, Enum):
    SILENCE = "silence"
    MAX_LENGTH = "max_length"
    RELEASED = "released"
    """Push-to-talk: the button was let go."""
    COMPLETE = "complete"
    """Smart endpointing: the speech so far was already a whole command (see speculation.py)."""


Guessed = TypeVar("Guessed")


@dataclass(frozen=True)
class Utterance(Generic[Guessed]):
    audio: AudioSegment
    """Pre-roll, the speech and the trailing silence; `audio.speech_ended_at` is when the speech ended."""
    reason: EndReason
    guess: Guessed | None = None
    """Smart endpointing: what was already heard and understood from exactly this speech, if anything."""


def _frames(seconds: float) -> int:
    return max(1, math.ceil(seconds * SAMPLE_RATE / FRAME_SAMPLES))


class Endpointer:
    """Feed it frames with their capture times; it returns an `Utterance` when one is complete."""

    def __init__(
        self, options: EndpointOptions = EndpointOptions(), on_event: EventListener = ignore_events,
        vad: StreamingVad | None = None,
    ) -> None:
        self.options = options
        self._on_event = on_event
        self._vad = vad or StreamingVad()
        self._pre_roll: deque[np.ndarray] = deque(maxlen=_frames(options.pre_roll_s) + _frames(options.min_speech_s))
        self.reset()

    @property
    def state(self) -> ListeningState:
        return self._state

    def reset(self) -> None:
        """Forget any partial utterance and wait for speech again."""
        self._vad.reset()
        self._pre_roll.clear()
        self._frames: list[np.ndarray] = []
        self._speech_run = 0
        self._silence_run = 0
        self._last_speech_end: float | None = None
        self._state = ListeningState.WAITING

    def feed(self, frame: np.ndarray, captured_at: float) -> Utterance | None:
        """Process one FRAME_SAMPLES frame; `captured_at` is the time.monotonic() its last sample was heard."""
        probability = self._vad.probability(frame)
        self._on_event(AudioLevel(rms_dbfs(frame), probability, captured_at))
        if self._state is ListeningState.WAITING:
            self._wait_for_speech(frame, probability, captured_at)
            return None
        return self._follow_speech(frame, probability, captured_at)

    @property
    def hears_speech(self) -> bool:
        """Speech is going on, or has just begun (not yet long enough to start an utterance)."""
        return self._state is ListeningState.HEARING or self._speech_run > 0

    @property
    def silence_s(self) -> float:
        """How long the speaker has been quiet within the utterance being heard (0 while speaking)."""
        return self._silence_run * FRAME_SAMPLES / SAMPLE_RATE

    def speech_so_far(self) -> AudioSegment | None:
        """The utterance being heard, as it stands; None while waiting for speech."""
        if self._state is not ListeningState.HEARING:
            return None
        return AudioSegment(np.concatenate(self._frames), "microphone", speech_ended_at=self._last_speech_end)

    def finish(self, reason: EndReason) -> Utterance | None:
        """End now (the stream closed): the utterance in progress, or None if speech had not started."""
        if self._state is not ListeningState.HEARING or self._last_speech_end is None:
            return None
        return self._complete(self._frames, reason, ended_at=self._last_speech_end)

    def _wait_for_speech(self, frame: np.ndarray, probability: float, captured_at: float) -> None:
        self._speech_run = self._speech_run + 1 if probability >= self.options.speech_threshold else 0
        self._pre_roll.append(frame)
        if self._speech_run >= _frames(self.options.min_speech_s):
            self._frames = list(self._pre_roll)
            self._last_speech_end = captured_at
            self._set_state(ListeningState.HEARING, captured_at)

    def _follow_speech(self, frame: np.ndarray, probability: float, captured_at: float) -> Utterance | None:
        self._frames.append(frame)
        if probability >= self.options.silence_threshold:
            self._silence_run = 0
            self._last_speech_end = captured_at
        else:
            self._silence_run += 1
        if self._silence_run >= _frames(self.options.end_silence_s):
            return self._complete(self._frames, EndReason.SILENCE, self._last_speech_end or captured_at)
        if len(self._frames) >= _frames(self.options.max_utterance_s):
            return self._complete(self._frames, EndReason.MAX_LENGTH, captured_at)
        return None

    def _complete(self, frames: list[np.ndarray], reason: EndReason, ended_at: float) -> Utterance:
        audio = AudioSegment(np.concatenate(frames), "microphone", speech_ended_at=ended_at)
        self._set_state(ListeningState.ENDED, ended_at)
        self.reset()
        return Utterance(audio, reason)

    def _set_state(self, state: ListeningState, at: float) -> None:
        self._state = state
        self._on_event(StateChanged(state, at))


def rms_dbfs(frame: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(frame, dtype=np.float64))))
    return max(-90.0, 20 * math.log10(rms)) if rms > 0 else -90.0
