"""What the microphone tells the UI while it listens: its state, the audio level and the wake word.

Listeners are plain callables taking one event; the pipeline turns these into its own events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class ListeningState(str, Enum):
    IDLE = "idle"
    """Not capturing."""
    ASLEEP = "asleep"
    """Capturing, waiting for the wake word (carvoice/audio/wake.py)."""
    WAITING = "waiting"
    """Capturing, waiting for speech to start."""
    HEARING = "hearing"
    """Speech is going on."""
    ENDED = "ended"
    """An utterance was endpointed and handed over."""


@dataclass(frozen=True)
class StateChanged:
    state: ListeningState
    at: float
    """time.monotonic() of the audio that caused the change."""


@dataclass(frozen=True)
class AudioLevel:
    """One ~32 ms frame's loudness, for a level meter."""

    rms_dbfs: float
    """RMS level in dB relative to full scale (0 is the loudest; -90 is taken as silence)."""
    speech_probability: float
    at: float


@dataclass(frozen=True)
class WakeScore:
    """While waiting for the wake word: one frame's loudness and the detector's averaged score after it."""

    score: float
    """0 to 1; the wake word is heard above the detector's threshold."""
    rms_dbfs: float
    at: float


@dataclass(frozen=True)
class Woken:
    """The wake word was heard; the command may follow."""

    phrase: str
    score: float
    at: float


AudioEvent = StateChanged | AudioLevel | WakeScore | Woken
EventListener = Callable[[AudioEvent], None]


def ignore_events(event: AudioEvent) -> None:
    """The default listener."""
