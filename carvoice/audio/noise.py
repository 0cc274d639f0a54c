"""Synthetic cabin noise and mixing speech with it at a chosen signal-to-noise ratio.

The noise is built in the frequency domain from seeded white noise, so the same seed always gives the
same samples. Its parts follow what dominates a real cabin:
- engine: the firing frequency (rpm / 60 * cylinders / 2) and its harmonics, with a slow rpm wobble;
- road: rumble, strongest below 200 Hz and falling ~9 dB per octave above, growing with speed;
- wind: a broad hump around 0.5-2 kHz, growing with the square of speed;
- HVAC fan: broadband hiss tilted towards high frequencies, louder and brighter as the fan speeds up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carvoice.audio.segment import SAMPLE_RATE

NOISE_LEVELS: dict[str, float | None] = {"clean": None, "10db": 10.0, "5db": 5.0, "0db": 0.0}
"""The named conditions used by the audio samples and the benchmarks: SNR in dB, None for no noise."""

_ACTIVE_SPEECH_RANGE_DB = 30.0
_FRAME = 320  # 20 ms at 16 kHz


@dataclass(frozen=True)
class CabinCondition:
    """What the car is doing; the defaults are motorway cruising with the fan on a medium setting."""

    speed_kmh: float = 110.0
    engine_rpm: float = 2400.0
    cylinders: int = 4
    fan: float = 0.5
    """Fan speed as a share of its maximum, 0 (off) to 1."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.fan <= 1.0:
            raise ValueError(f"fan must be between 0 and 1, got {self.fan}")
        if self.speed_kmh < 0 or self.engine_rpm < 0 or self.cylinders < 1:
            raise ValueError("speed, rpm and cylinders must be positive")


def cabin_noise(seconds: float, condition: CabinCondition = CabinCondition(), seed: int = 0) -> np.ndarray:
    """`seconds` of cabin noise at 16 kHz, peak-normalised to 0.5 (mix_at_snr sets the real level)."""
    rng = np.random.default_rng(seed)
    length = max(1, round(seconds * SAMPLE_RATE))
    freqs = np.fft.rfftfreq(length, d=1 / SAMPLE_RATE)
    speed = condition.speed_kmh / 100.0
    parts = [
        (speed, _coloured_noise(_road_shape(freqs), length, rng)),
        (0.25 * speed**2, _coloured_noise(_wind_shape(freqs), length, rng)),
        (0.25 * condition.fan, _coloured_noise(_fan_shape(freqs, condition.fan), length, rng)),
        (0.3 * condition.engine_rpm / 3000.0, _engine_tones(length, condition, rng)),
    ]
    noise = sum(gain * part for gain, part in parts)
    peak = np.abs(noise).max()
    return (0.5 * noise / peak if peak > 0 else noise).astype(np.float32)


def mix_at_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Add `noise` (looped or cut to length) to `speech` so that active speech sits `snr_db` above it.

    Speech power is measured on its active frames only (those within 30 dB of the loudest), so leading
    and trailing silence do not make a short command look quieter than it is. If the sum would clip,
    both are scaled down together, which keeps the SNR.
    """
    noise = np.resize(noise, len(speech)).astype(np.float64)
    noise_power = float(np.mean(noise**2))
    if noise_power == 0.0:
        raise ValueError("the noise is silent: cannot mix at an SNR")
    gain = np.sqrt(active_speech_power(speech) / (noise_power * 10 ** (snr_db / 10)))
    mixed = speech + gain * noise
    peak = np.abs(mixed).max()
    if peak > 0.99:
        mixed *= 0.99 / peak
    return mixed.astype(np.float32)


def active_speech_power(speech: np.ndarray) -> float:
    usable = len(speech) - len(speech) % _FRAME
    if usable == 0:
        raise ValueError("the speech is shorter than one 20 ms frame")
    frame_power = np.mean(speech[:usable].astype(np.float64).reshape(-1, _FRAME) ** 2, axis=1)
    if frame_power.max() == 0.0:
        raise ValueError("the speech is silent: cannot mix at an SNR")
    active = frame_power >= frame_power.max() * 10 ** (-_ACTIVE_SPEECH_RANGE_DB / 10)
    return float(frame_power[active].mean())


def _road_shape(freqs: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + (freqs / 200.0) ** 1.5)  # power falls ~9 dB per octave above 200 Hz


def _wind_shape(freqs: np.ndarray) -> np.ndarray:
    octaves_from_1khz = np.log2(np.maximum(freqs, 1.0) / 1000.0)
    return np.exp(-0.5 * (octaves_from_1khz / 1.2) ** 2)


def _fan_shape(freqs: np.ndarray, fan: float) -> np.ndarray:
    corner = 1500.0 + 3000.0 * fan  # a faster fan sounds brighter
    return (freqs / corner) / (1.0 + (freqs / corner) ** 2)


def _coloured_noise(shape: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS noise with the amplitude spectrum `shape` (over rfft bins), without sub-audible drift."""
    spectrum = (rng.standard_normal(len(shape)) + 1j * rng.standard_normal(len(shape))) * shape
    spectrum[: _bins_below(20.0, length)] = 0.0
    signal = np.fft.irfft(spectrum, n=length)
    rms = np.sqrt(np.mean(signal**2))
    return signal / rms if rms > 0 else signal


def _bins_below(hz: float, length: int) -> int:
    return int(np.ceil(hz * length / SAMPLE_RATE))


def _engine_tones(length: int, condition: CabinCondition, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS firing-frequency harmonics (amplitude 1/h) with a slow 1 % rpm wobble."""
    times = np.arange(length) / SAMPLE_RATE
    wobble = 1.0 + 0.01 * np.sin(2 * np.pi * 0.3 * times + rng.uniform(0, 2 * np.pi))
    firing_hz = condition.engine_rpm / 60.0 * condition.cylinders / 2.0
    phase = 2 * np.pi * firing_hz * np.cumsum(wobble) / SAMPLE_RATE
    tones = sum(np.sin(h * phase + rng.uniform(0, 2 * np.pi)) / h for h in range(1, 7))
    rms = np.sqrt(np.mean(tones**2))
    return tones / rms if rms > 0 else tones
