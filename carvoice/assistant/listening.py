"""The microphone side of an interactive session: push-to-talk and hands-free listening, each utterance queued
as one turn of the conversation.

    hands_free(make_microphone, on_event, runner, stop, conversation)     # on a worker thread, until `stop`

These run on worker threads; the microphone's level and state events go to `on_event` as they happen.
While a turn runs the microphone is closed, so the assistant does not hear its own reply.
"""

from __future__ import annotations

import threading

from carvoice.assistant.conversation import Conversation, Spoken
from carvoice.assistant.session import MicrophoneFactory, TurnRunner
from carvoice.audio.events import EventListener

HANDS_FREE_POLL_S = 1.0
"""How long one hands-free listen waits for speech to start before checking whether to stop."""


def _queue_turn(utterance: Spoken | None, runner: TurnRunner, stop: threading.Event) -> None:
    if utterance is not None:
        runner.submit(lambda conversation: conversation.answer(utterance)).wait(stop)


def push_to_talk(make_microphone: MicrophoneFactory, on_event: EventListener, runner: TurnRunner,
                 released: threading.Event, stop: threading.Event, conversation: Conversation) -> None:
    """Record until `released` is set (the talk key pressed again), then run the turn."""
    _queue_turn(conversation.push_to_talk(make_microphone(on_event), released), runner, stop)


def hands_free(make_microphone: MicrophoneFactory, on_event: EventListener, runner: TurnRunner,
               stop: threading.Event, conversation: Conversation) -> None:
    """Listen, decide when a command ended (the conversation's endpointing, see conversation.py), run it;
    again until `stop`."""
    microphone = make_microphone(on_event)
    while not stop.is_set():
        _queue_turn(conversation.listen(microphone, timeout_s=HANDS_FREE_POLL_S), runner, stop)
