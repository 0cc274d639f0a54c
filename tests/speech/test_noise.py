"""Cabin noise: deterministic, shaped by the driving condition, mixed at the asked SNR."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from carvoice.audio.noise import NOISE_LEVELS, CabinCondition, active_speech_power, cabin_noise, mix_at_snr
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.cli.bench import NOISE_CHOICES


def band_power(samples: np.ndarray, low_hz: float, high_hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    return float(spectrum[(freqs >= low_hz) & (freqs < high_hz)].sum() / spectrum.sum())


def test_the_same_seed_gives_the_same_noise_and_another_seed_other_noise() -> None:
    first, again, other = cabin_noise(2.0, seed=7), cabin_noise(2.0, seed=7), cabin_noise(2.0, seed=8)

    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    assert len(first) == 2 * SAMPLE_RATE and np.abs(first).max() == pytest.approx(0.5)


def test_a_faster_fan_adds_high_frequency_hiss() -> None:
    parked = CabinCondition(speed_kmh=0.0, engine_rpm=800.0)
    quiet_fan = cabin_noise(3.0, replace(parked, fan=0.1), seed=1)
    loud_fan = cabin_noise(3.0, replace(parked, fan=1.0), seed=1)

    assert band_power(loud_fan, 2000, 8000) > 2 * band_power(quiet_fan, 2000, 8000)


def test_the_engine_hums_at_its_firing_frequency() -> None:
    idle = CabinCondition(speed_kmh=0.0, engine_rpm=1800.0, cylinders=4, fan=0.0)  # 1800 / 60 * 2 = 60 Hz
    noise = cabin_noise(4.0, idle, seed=3)

    assert band_power(noise, 55, 65) > 0.2
    assert band_power(noise, 0, 20) < 1e-3  # no DC or sub-audible drift


def test_speed_raises_road_and_wind_noise_over_the_engine() -> None:
    slow = cabin_noise(3.0, CabinCondition(speed_kmh=20.0, fan=0.0), seed=2)
    fast = cabin_noise(3.0, CabinCondition(speed_kmh=150.0, fan=0.0), seed=2)

    assert band_power(fast, 300, 3000) > 2 * band_power(slow, 300, 3000)


@pytest.mark.parametrize("snr_db", [10.0, 5.0, 0.0])
def test_mixing_puts_active_speech_the_asked_decibels_above_the_noise(command_audio, snr_db: float) -> None:
    speech = command_audio.samples
    noise = cabin_noise(command_audio.duration_s, seed=4)

    mixed = mix_at_snr(speech, noise, snr_db)

    scale = np.dot(mixed, speech) / np.dot(speech, speech)  # undo the anti-clipping gain, if any
    added_noise = mixed / scale - speech
    measured = 10 * np.log10(active_speech_power(speech) / np.mean(added_noise.astype(np.float64) ** 2))
    assert measured == pytest.approx(snr_db, abs=0.3)
    assert np.abs(mixed).max() <= 0.99


def test_the_named_levels_are_the_benchmark_conditions() -> None:
    assert NOISE_LEVELS == {"clean": None, "10db": 10.0, "5db": 5.0, "0db": 0.0}
    assert NOISE_CHOICES == tuple(NOISE_LEVELS)


def test_silent_speech_or_noise_cannot_be_mixed_at_an_snr() -> None:
    with pytest.raises(ValueError, match="speech is silent"):
        mix_at_snr(np.zeros(16000, dtype=np.float32), cabin_noise(1.0), 5.0)
    with pytest.raises(ValueError, match="noise is silent"):
        mix_at_snr(cabin_noise(1.0), np.zeros(16000, dtype=np.float32), 5.0)


def test_impossible_conditions_are_refused() -> None:
    with pytest.raises(ValueError, match="fan"):
        CabinCondition(fan=1.5)
