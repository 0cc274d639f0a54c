"""Messages that carry news from worker threads (pipeline, microphone, model loading) to the UI thread.

Textual's `post_message` is thread-safe: callbacks running on a worker post one of these, and the app's
handlers update the widgets on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump

from carvoice.assistant.session import Session
from carvoice.audio.events import AudioEvent
from carvoice.models import CatalogModel
from carvoice.turn import TurnEvent


@dataclass
class TurnProgress(Message):
    event: TurnEvent


@dataclass
class MicActivity(Message):
    event: AudioEvent


@dataclass
class LoadStep(Message):
    message: str


@dataclass
class PullStarted(Message):
    name: str
    size: int


@dataclass
class PullAdvanced(Message):
    nbytes: int


@dataclass
class SessionReady(Message):
    session: Session


@dataclass
class ModeChanged(Message):
    """What the microphone or the demo is doing now, for the status bar ("" for nothing)."""

    text: str


@dataclass
class TalkEnded(Message):
    """The push-to-talk recording is over (its turn has run, or it failed)."""


@dataclass
class Problem(Message):
    """Something the user should know went wrong (no model, a bad audio file, a microphone that failed)."""

    message: str


class PostedPullProgress:
    """A `PullProgress` that reports to the UI (pulls happen on the loading worker's thread)."""

    def __init__(self, target: MessagePump) -> None:
        self.target = target

    def begin(self, model: CatalogModel) -> None:
        self.target.post_message(PullStarted(model.name, model.size))

    def step(self, message: str) -> None:
        self.target.post_message(LoadStep(message))

    def advance(self, nbytes: int) -> None:
        self.target.post_message(PullAdvanced(nbytes))
