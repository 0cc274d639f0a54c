"""The configured wake word, resolved like any model (a catalog name pulled and verified, or a path) and loaded.

    wake = load_wake_word(settings)                       # None when `wake_word` is not set
    wake = load_wake_word(settings, "hey_jarvis", threshold=0.9)
    conversation = assistant.converse(wake=wake)          # listen() then hears only what follows it
"""

from __future__ import annotations

from carvoice.assistant.startup import resolve_model
from carvoice.audio.wake import WakeOptions, WakeWord
from carvoice.config import Settings, open_store
from carvoice.models import PullProgress, Role


def load_wake_word(settings: Settings, spec: str | None = None, progress: PullProgress | None = None,
                   threshold: float | None = None) -> WakeWord | None:
    """`spec` (by default the `wake_word` setting): a catalog name or a microWakeWord .json path; `threshold`
    None: the catalog's (chosen with `carvoice bench wake`), else the model's own."""
    spec = spec or settings.wake_word
    if spec is None:
        return None
    resolved = resolve_model(settings, Role.WAKE, spec, progress)
    if threshold is None and resolved.source == "catalog":
        threshold = open_store(settings).catalog.by_name[resolved.name].threshold
    return WakeWord(resolved.path, WakeOptions(threshold=threshold, earcon=settings.wake_earcon))
