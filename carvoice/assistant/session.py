"""A session for an interactive front end (the dashboard), without any UI: the conversation, the models, the
sound devices and the demo script, and the turns queued on it one at a time.

    session = open_session(settings, progress)      # on a worker thread: the models load for a while
    runner = TurnRunner(on_problem=print)
    runner.submit(lambda conversation: conversation.text("turn on the A/C"))
    runner.serve(session.conversation, stop)        # the turn worker's loop

Turns share one car and one dialog, so they never overlap: typed commands, microphone utterances and demo
steps all go through one `TurnRunner`, served by a single worker thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from carvoice.assistant.assistant import LoadedModel
from carvoice.assistant.conversation import Conversation
from carvoice.audio.events import EventListener
from carvoice.audio.mic import Microphone
from carvoice.config import Settings
from carvoice.demo import DemoScript, play_step
from carvoice.errors import CarvoiceError
from carvoice.models import PullProgress

log = logging.getLogger(__name__)

POLL_S = 0.1

MicrophoneFactory = Callable[[EventListener], Microphone]


@dataclass
class Session:
    conversation: Conversation
    models: list[LoadedModel] = field(default_factory=list)
    load_s: float = 0.0
    microphone: MicrophoneFactory | None = None
    microphone_problem: str | None = "no microphone"
    speaker_problem: str | None = None
    """None when replies are played; else why they are only synthesised."""
    demo: DemoScript | None = None
    """The scripted demo's commands, when its suite was found."""


SessionOpener = Callable[[PullProgress], Session]
"""Builds the session on the loading worker's thread, reporting any model pulls to the progress."""


def open_session(settings: Settings, progress: PullProgress) -> Session:
    """The real thing: the configured models (speech in and out, and the wake word if one is set), a new car, the
    speaker and microphone if any."""
    from carvoice.assistant.reply_audio import reply_output_for
    from carvoice.assistant.startup import load_assistant
    from carvoice.assistant.wake_word import load_wake_word

    reply_output, speaker_problem = reply_output_for(settings)
    wake = load_wake_word(settings, progress=progress)
    assistant = load_assistant(settings, speech_in=True, progress=progress)
    microphone, microphone_problem = _microphone(settings)
    return Session(
        conversation=assistant.converse(reply_output=reply_output, wake=wake), models=assistant.models,
        load_s=assistant.load_s,
        microphone=microphone, microphone_problem=microphone_problem, speaker_problem=speaker_problem,
        demo=_demo_script(),
    )


def _demo_script() -> DemoScript | None:
    from carvoice.demo import load_demo_script

    try:
        return load_demo_script()
    except CarvoiceError as exc:
        log.warning("no demo: %s", exc)
        return None


def _microphone(settings: Settings) -> tuple[MicrophoneFactory | None, str | None]:
    from carvoice.audio.mic import native_format

    try:
        stream_format = native_format(settings.input_device)
    except CarvoiceError as exc:
        log.info("no microphone: %s", exc)
        return None, "no microphone"
    return (lambda on_event: Microphone(settings.input_device, on_event=on_event, stream_format=stream_format)), None


# -- turns ------------------------------------------------------------------------------------------------------


@dataclass
class TurnJob:
    run: Callable[[Conversation], object]
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, stop: threading.Event) -> bool:
        """Wait for the turn to finish; False if `stop` was set first."""
        while not self.done.wait(POLL_S):
            if stop.is_set():
                return False
        return True


class TurnRunner:
    """Turns in the order they were asked for; jobs submitted before the conversation is ready wait for it."""

    def __init__(self, on_problem: Callable[[str], None]) -> None:
        self._jobs: queue.Queue[TurnJob] = queue.Queue()
        self._on_problem = on_problem

    def submit(self, run: Callable[[Conversation], object]) -> TurnJob:
        job = TurnJob(run)
        self._jobs.put(job)
        return job

    def serve(self, conversation: Conversation, stop: threading.Event) -> None:
        """Run jobs until `stop` is set (the worker thread's loop)."""
        while not stop.is_set():
            try:
                job = self._jobs.get(timeout=POLL_S)
            except queue.Empty:
                continue
            try:
                job.run(conversation)
            except CarvoiceError as exc:  # e.g. an unreadable audio file: this turn is lost, not the session
                self._on_problem(str(exc))
            finally:
                job.done.set()


def play_demo(script: DemoScript, runner: TurnRunner, stop: threading.Event, pause_s: float,
              on_step: Callable[[int, Path], None]) -> bool:
    """Each demo step as a turn queued on `runner`, with a pause of `pause_s` after it for people to read the
    screen. False if stopped early."""
    for index, recording in enumerate(script.recordings):
        on_step(index, recording)
        if not runner.submit(lambda conversation, wav=recording: play_step(conversation, script, wav)).wait(stop) \
                or stop.wait(pause_s):
            return False
    return True
