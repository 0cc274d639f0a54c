"""The assistant's own voice, as the wake word knows it: what its speaker played lately, so that a reply (or the
earcon) heard back through the microphone never wakes it, while the driver's wake word over a reply still does.

    own_voice = OwnVoice(hold_s=2.0)
    chunks = own_voice.tap(tts.stream(reply))              # the speaker plays these; each is remembered as it goes
    echo = own_voice.echo_of(last_second_of_microphone)   # 0..1: how much of that audio is the known reply

`echo_of` is the highest normalised cross-correlation of the microphone audio with any stretch of the reply
audio played up to `hold_s` ago: about 1 when the microphone hears the reply alone (at any loudness, with
some noise), about sqrt(share of the energy) when the driver speaks over it, 0 when nothing was played.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from carvoice.audio.resample import resample
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.tts import SpeechChunk

MAX_KEPT_S = 60.0
"""At most this much reply audio is remembered (a longer reply keeps its latest minute)."""


@dataclass(frozen=True)
class _Played:
    samples: np.ndarray
    """16 kHz."""
    until: float
    """time.monotonic() when it has played out."""


class OwnVoice:
    """What the assistant's speaker played; thread-safe (the speaker and the microphone run on their own threads)."""

    def __init__(self, hold_s: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        """`hold_s`: how long after it played out a reply is still known (the room's echo, the device's delay)."""
        self.hold_s = hold_s
        self._clock = clock
        self._played: deque[_Played] = deque()
        self._lock = threading.Lock()

    def tap(self, chunks: Iterator[SpeechChunk]) -> Iterator[SpeechChunk]:
        """The chunks unchanged, each remembered as it is handed to the speaker (which plays it from then on)."""
        for chunk in chunks:
            self.played(chunk)
            yield chunk

    def played(self, chunk: SpeechChunk) -> None:
        samples = chunk.samples if chunk.sample_rate == SAMPLE_RATE else resample(chunk.samples, chunk.sample_rate)
        with self._lock:
            start = max(self._clock(), self._played[-1].until if self._played else 0.0)
            self._played.append(_Played(samples, start + chunk.duration_s))
            self._forget()

    def echo_of(self, heard: np.ndarray) -> float:
        """0..1: the best match of `heard` (16 kHz microphone audio) within the reply audio known now."""
        with self._lock:
            self._forget()
            played = [p.samples for p in self._played]
        if not played or not heard.any():
            return 0.0
        return best_correlation(heard, np.concatenate(played))

    def _forget(self) -> None:
        now = self._clock()
        while self._played and (self._played[0].until + self.hold_s < now or
                                sum(len(p.samples) for p in self._played) > MAX_KEPT_S * SAMPLE_RATE):
            self._played.popleft()


def best_correlation(heard: np.ndarray, played: np.ndarray) -> float:
    """The highest normalised cross-correlation of `heard` with a stretch of `played` of its length, at any lag
    (also overlapping its start or end), computed with FFTs."""
    heard = heard.astype(np.float64)
    padded = np.concatenate([np.zeros(len(heard) - 1), played.astype(np.float64), np.zeros(len(heard) - 1)])
    size = 1 << (len(padded) + len(heard) - 1).bit_length()
    products = np.fft.irfft(np.fft.rfft(padded, size) * np.conj(np.fft.rfft(heard, size)), size)
    lags = len(padded) - len(heard) + 1
    energy = np.concatenate([[0.0], np.cumsum(padded**2)])
    window_norms = np.sqrt(np.maximum(energy[len(heard):len(heard) + lags] - energy[:lags], 0.0))
    scores = products[:lags] / (window_norms * np.linalg.norm(heard) + 1e-9)
    return float(np.clip(scores.max(), 0.0, 1.0))
