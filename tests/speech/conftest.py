"""Speech fixtures: audio helpers and Moonshine's folder (the real whisper tiny.en and piper voice, `stt` and `tts`,
are in tests/conftest.py).

There is no sound card on the test machines: microphone tests replay WAV files through
`carvoice.audio.replay` (the same path PortAudio's callback takes), and speaker tests use the recording
`FakeOutputStream` below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from carvoice.audio.decode import load_audio
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.models import ModelStore, Role, resolve
from carvoice.suites.loader import WAV_DIR


@pytest.fixture(scope="session")
def command_audio() -> AudioSegment:
    """'Set the temperature to twenty two degrees.' (piper joe), with 0.2 s / 0.3 s of silence around it."""
    return load_audio(WAV_DIR / "clim-01.wav")


def make_tone(seconds: float, hz: float = 440.0, rate: int = SAMPLE_RATE, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * hz * np.arange(round(seconds * rate)) / rate)).astype(np.float32)


def find_dominant_hz(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


@pytest.fixture
def tone() -> Callable[..., np.ndarray]:
    """tone(seconds, hz=440, rate=16000, amplitude=0.5): a sine wave."""
    return make_tone


@pytest.fixture
def dominant_hz() -> Callable[..., float]:
    """dominant_hz(samples, rate=16000): the loudest frequency."""
    return find_dominant_hz


class FakeOutputStream:
    """Records what is written; `on_write(blocks_so_far)` runs after each block (e.g. to stop playback)."""

    def __init__(self) -> None:
        self.blocks: list[np.ndarray] = []
        self.on_write: Callable[[int], None] = lambda blocks: None
        self.samplerate = 0
        self.started = self.stopped = self.closed = False

    def __call__(self, *, samplerate: int, channels: int, device: int | None) -> FakeOutputStream:
        self.samplerate = samplerate
        return self

    def start(self) -> None:
        self.started = True

    def write(self, samples: np.ndarray) -> None:
        self.blocks.append(samples.copy())
        self.on_write(len(self.blocks))

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.closed = True

    @property
    def played(self) -> np.ndarray:
        return np.concatenate(self.blocks).reshape(-1) if self.blocks else np.zeros(0, dtype=np.float32)


@pytest.fixture
def fake_output() -> FakeOutputStream:
    return FakeOutputStream()


@pytest.fixture(scope="session")
def moonshine_tiny_path(model_store: ModelStore) -> Path:
    """Moonshine tiny-en from the model store, pulled on first use (44 MB)."""
    return resolve(Role.STT, "moonshine-tiny-en", model_store).path


@pytest.fixture(scope="session")
def moonshine_stt(moonshine_tiny_path: Path):
    """Moonshine tiny-en loaded as the assistant loads speech-to-text, with the car's vocabulary."""
    from carvoice.stt import SttOptions, load_speech_to_text, load_vocabulary

    return load_speech_to_text(moonshine_tiny_path, SttOptions(threads=2, vocabulary=load_vocabulary()))
