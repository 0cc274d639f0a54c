"""The configured wake word, resolved like any model (a catalog name pulled and verified, or a path) and loaded.

    wake = load_wake_word(settings)                       # None when `wake_word` is not set
    conversation = assistant.converse(wake=wake)          # listen() then hears only what follows it
"""

from __future__ import annotations

from carvoice.assistant.startup import resolve_model
from carvoice.audio.wake import WakeOptions, WakeWord
from carvoice.config import Settings
from carvoice.models import PullProgress, Role


def load_wake_word(settings: Settings, progress: PullProgress | None = None,
                   options: WakeOptions = WakeOptions()) -> WakeWord | None:
    if settings.wake_word is None:
        return None
    return WakeWord(resolve_model(settings, Role.WAKE, settings.wake_word, progress).path, options)
