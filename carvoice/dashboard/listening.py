"""The microphone side: push-to-talk and hands-free listening, each utterance queued as one turn.

These run on worker threads; the microphone's level and state events go to `on_event` as they happen.
While a turn runs the microphone is closed, so the assistant does not hear its own reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from carvoice.audio.endpoint import Utterance
from carvoice.audio.events import EventListener
from carvoice.audio.segment import AudioSegment
from carvoice.audio.speculation import Guess
from carvoice.dashboard.session import MicrophoneFactory, TurnRunner

HANDS_FREE_POLL_S = 1.0
"""How long one hands-free listen waits for speech to start before checking whether to stop."""


def _queue_turn(utterance: Utterance | None, runner: TurnRunner, stop: threading.Event) -> None:
    if utterance is not None:
        runner.submit(lambda pipeline: pipeline.run_audio(utterance.audio, source="microphone",
                                                          heard=utterance.guess)).wait(stop)


def push_to_talk(make_microphone: MicrophoneFactory, on_event: EventListener, runner: TurnRunner,
                 released: threading.Event, stop: threading.Event) -> None:
    """Record until `released` is set (the talk key pressed again), then run the turn."""
    _queue_turn(make_microphone(on_event).push_to_talk(released), runner, stop)


def hands_free(make_microphone: MicrophoneFactory, on_event: EventListener, runner: TurnRunner,
               stop: threading.Event, judge: Callable[[AudioSegment], Guess] | None = None) -> None:
    """Listen, decide when a command ended (smart endpointing with a `judge`, see
    carvoice/audio/speculation.py; else voice activity alone), run it; again until `stop`."""
    microphone = make_microphone(on_event)
    while not stop.is_set():
        _queue_turn(microphone.listen(timeout_s=HANDS_FREE_POLL_S, judge=judge), runner, stop)
