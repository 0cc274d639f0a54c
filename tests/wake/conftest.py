"""Wake-word fixtures: the real okay_nabu model from the model store, and speech synthesised by the real piper
voice (there are no recordings of the wake phrase in the repository)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from carvoice.audio.resample import resample
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.models import ModelStore, Role, resolve


@pytest.fixture(scope="session")
def okay_nabu_path(model_store: ModelStore) -> Path:
    """okay_nabu.json (its .tflite beside it), pulled from the pymicro-wakeword wheel on first use."""
    return resolve(Role.WAKE, "okay_nabu", model_store).path


@pytest.fixture(scope="session")
def spoken(piper_voice_path: Path) -> Callable[..., np.ndarray]:
    """spoken("Okay Nabu.", 1.0, "Open the window."): piper's 16 kHz float32 rendering of the texts, with
    seconds of silence where a number stands. Each text is said by the voice loaded afresh with its seed, so it
    sounds the same whichever tests ran before (piper draws noise for every sentence)."""
    from carvoice.tts import TextToSpeech

    cache: dict[str, np.ndarray] = {}

    def render(text: str) -> np.ndarray:
        if text not in cache:
            voice = TextToSpeech(piper_voice_path, cached_pieces=0)
            cache[text] = resample(voice.synthesize(text)[0], voice.sample_rate, SAMPLE_RATE)
        return cache[text]

    def speak(*parts: str | float) -> np.ndarray:
        return np.concatenate([np.zeros(round(part * SAMPLE_RATE), dtype=np.float32)
                               if isinstance(part, (int, float)) else render(part) for part in parts])

    return speak
