"""The one audio shape used between stages: 16 kHz mono float32."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
"""Whisper and Silero VAD both work at 16 kHz; everything is converted to it on the way in."""


@dataclass(frozen=True)
class AudioSegment:
    """A stretch of mono audio at `SAMPLE_RATE`, with where it came from.

    `speech_ended_at` is the `time.monotonic()` moment the speaker stopped talking (set by the microphone
    endpointer); latency of the whole turn is measured from it. Audio from files has none.
    """

    samples: np.ndarray
    source: str
    speech_ended_at: float | None = None

    def __post_init__(self) -> None:
        if self.samples.ndim != 1:
            raise ValueError(f"AudioSegment needs mono samples, got shape {self.samples.shape}")
        if self.samples.dtype != np.float32:
            object.__setattr__(self, "samples", self.samples.astype(np.float32))

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @classmethod
    def silence(cls, seconds: float, source: str = "silence") -> AudioSegment:
        return cls(np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32), source)
