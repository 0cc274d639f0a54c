"""Mixing to mono and resampling to 16 kHz.

Resampling uses libswresample through PyAV (installed with faster-whisper): band-limited, and stateful,
so a microphone stream can be converted block by block without clicks at the block edges.
"""

from __future__ import annotations

import av
import numpy as np

from carvoice.audio.segment import SAMPLE_RATE


PHASE_CANCELLED = 0.1  # the average keeps less than this share of the loudest channel's energy


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Average the channels of a (frames, channels) array; a 1-D array is already mono.

    Averaging (rather than libswresample's -3 dB downmix) keeps a full-scale mono file full scale. Channels in
    opposite phase (a miswired microphone, a "karaoke" file) cancel out when averaged: then the loudest
    channel is kept instead.
    """
    if samples.ndim == 1:
        return samples.astype(np.float32, copy=False)
    mixed = samples.mean(axis=1, dtype=np.float32)
    energy = np.square(samples, dtype=np.float64).mean(axis=0)
    if energy.max() > 0 and np.square(mixed, dtype=np.float64).mean() < PHASE_CANCELLED * energy.max():
        return samples[:, int(energy.argmax())].astype(np.float32)
    return mixed


class StreamResampler:
    """Converts consecutive blocks of mono float audio from `source_rate` to `target_rate`."""

    def __init__(self, source_rate: int, target_rate: int = SAMPLE_RATE) -> None:
        self.source_rate = source_rate
        self.target_rate = target_rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=target_rate)

    def process(self, block: np.ndarray) -> np.ndarray:
        """Resample one block; the output may lag the input by a few samples, released by `flush`."""
        if self.source_rate == self.target_rate:
            return block.astype(np.float32, copy=False)
        if len(block) == 0:
            return np.zeros(0, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(block, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
        )
        frame.sample_rate = self.source_rate
        return _concat(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        if self.source_rate == self.target_rate:
            return np.zeros(0, dtype=np.float32)
        return _concat(self._resampler.resample(None))


def resample(samples: np.ndarray, source_rate: int, target_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Resample a whole mono signal at once."""
    resampler = StreamResampler(source_rate, target_rate)
    return np.concatenate([resampler.process(samples), resampler.flush()])


def _concat(frames: list[av.AudioFrame]) -> np.ndarray:
    if not frames:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([frame.to_ndarray().reshape(-1) for frame in frames]).astype(np.float32)
