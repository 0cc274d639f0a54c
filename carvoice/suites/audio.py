"""A suite step's audio: the recording, mixed with seeded cabin noise of the suite's kind and level."""

from __future__ import annotations

import zlib
from pathlib import Path

from carvoice.audio.decode import load_audio
from carvoice.audio.noise import CabinCondition, cabin_noise, mix_at_snr
from carvoice.audio.segment import AudioSegment
from carvoice.suites.schema import NoiseSettings, NoiseType

CABIN_CONDITIONS: dict[NoiseType, CabinCondition] = {
    "motorway": CabinCondition(),
    "city": CabinCondition(speed_kmh=50.0, engine_rpm=1800.0, fan=0.4),
    "idle": CabinCondition(speed_kmh=0.0, engine_rpm=800.0, fan=0.3),
}


def step_audio(path: Path, noise: NoiseSettings | None) -> AudioSegment:
    """The noise depends on the file's name alone, so a run is repeatable and files do not share noise."""
    clean = load_audio(path)
    if noise is None:
        return clean
    samples = cabin_noise(clean.duration_s, CABIN_CONDITIONS[noise.type], seed=zlib.crc32(path.name.encode()))
    return AudioSegment(mix_at_snr(clean.samples, samples, noise.snr_db),
                        f"{clean.source}@{noise.type}-{noise.snr_db:g}dB")
