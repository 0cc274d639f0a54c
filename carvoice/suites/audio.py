"""A suite step's audio: the recording, after the wake phrase when the step says it first, mixed with seeded
cabin noise of the suite's kind and level.

    audio = step_audio(Path("clim-01.wav"), NoiseSettings(snr_db=10))
    audio = step_audio(Path("clim-01.wav"), None, WakePhrase(Path("wake-okay-nabu.wav"), pause_s=1.0))
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from carvoice.audio.decode import load_audio
from carvoice.audio.noise import CabinCondition, cabin_noise, mix_at_snr
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.suites.schema import NoiseSettings, NoiseType

CABIN_CONDITIONS: dict[NoiseType, CabinCondition] = {
    "motorway": CabinCondition(),
    "city": CabinCondition(speed_kmh=50.0, engine_rpm=1800.0, fan=0.4),
    "idle": CabinCondition(speed_kmh=0.0, engine_rpm=800.0, fan=0.3),
}
HANDS_FREE_MARGINS_S = (0.5, 1.0)
"""Silence before and after a recording heard behind the wake word: the detector settles in, the command ends."""
QUIET = 0.01
"""Below this share of a recording's peak is the silence around its speech."""


@dataclass(frozen=True)
class WakePhrase:
    path: Path
    pause_s: float
    """Silence between the end of the wake phrase and the start of the command's speech."""


def step_audio(path: Path, noise: NoiseSettings | None, wake: WakePhrase | None = None,
               hands_free: bool = False) -> AudioSegment:
    """The noise depends on the file's name alone, so a run is repeatable and files do not share noise.
    `hands_free`: the recording in the quiet of a microphone's stream (HANDS_FREE_MARGINS_S around it)."""
    clean = load_audio(path) if wake is None else _after_wake(path, wake)
    if hands_free:
        before, after = (np.zeros(round(s * SAMPLE_RATE), dtype=np.float32) for s in HANDS_FREE_MARGINS_S)
        clean = AudioSegment(np.concatenate([before, clean.samples, after]), clean.source)
    if noise is None:
        return clean
    samples = cabin_noise(clean.duration_s, CABIN_CONDITIONS[noise.type], seed=zlib.crc32(path.name.encode()))
    return AudioSegment(mix_at_snr(clean.samples, samples, noise.snr_db),
                        f"{clean.source}@{noise.type}-{noise.snr_db:g}dB")


def _after_wake(path: Path, wake: WakePhrase) -> AudioSegment:
    """The wake phrase's speech, `pause_s` of silence, then the command's speech (each recording's own silence
    around its speech kept only at the start and the end)."""
    phrase, command = load_audio(wake.path).samples, load_audio(path).samples
    phrase_end, command_start = _speech(phrase)[1], _speech(command)[0]
    pause = np.zeros(round(wake.pause_s * SAMPLE_RATE), dtype=np.float32)
    return AudioSegment(np.concatenate([phrase[:phrase_end], pause, command[command_start:]]),
                        f"{wake.path.stem}+{path.stem}")


def _speech(samples: np.ndarray) -> tuple[int, int]:
    """Where the speech of a recording starts and ends."""
    loud = np.flatnonzero(np.abs(samples) > QUIET * np.abs(samples).max(initial=0.0))
    return (int(loud[0]), int(loud[-1]) + 1) if len(loud) else (0, len(samples))
