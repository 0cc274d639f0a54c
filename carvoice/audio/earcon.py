"""The earcon: a short rising two-note chime, generated (no file), that says "woken, go on" when the command
does not follow the wake word in the same breath.

    chunk = earcon()                       # a SpeechChunk of 0.16 s at 16 kHz, for a speaker or a ReplyOutput
    player.play([chunk])
"""

from __future__ import annotations

from functools import cache

import numpy as np

from carvoice.audio.segment import SAMPLE_RATE
from carvoice.tts import SpeechChunk

NOTES_HZ = (880.0, 1320.0)
"""A rising fifth: heard as a prompt, and far above the pitch of speech, so the VAD does not take it for speech."""
NOTE_S = 0.08
LEVEL = 0.25
"""Peak amplitude: well below a reply's loudness."""
FADE_S = 0.01


@cache
def earcon() -> SpeechChunk:
    return SpeechChunk(np.concatenate([_note(hz) for hz in NOTES_HZ]), SAMPLE_RATE, "", 0)


def _note(hz: float) -> np.ndarray:
    t = np.arange(round(NOTE_S * SAMPLE_RATE)) / SAMPLE_RATE
    envelope = np.minimum(1.0, np.minimum(t, NOTE_S - t) / FADE_S)  # no clicks at either end
    return (LEVEL * envelope * np.sin(2 * np.pi * hz * t)).astype(np.float32)
