"""The status bar: what the assistant is doing, the microphone level, and model loading progress."""

from __future__ import annotations

from enum import Enum

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar, Static

from carvoice.audio.events import AudioEvent, AudioLevel, ListeningState, StateChanged, WakeScore, Woken
from carvoice.dashboard.vehicle_panels import meter
from carvoice.turn import EventKind

SILENCE_DBFS = -60.0
MIC_CELLS = 12


class AssistantState(str, Enum):
    IDLE = "idle"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"


TURN_STATES = {
    EventKind.LISTENING: AssistantState.LISTENING,
    EventKind.FIRST_AUDIO: AssistantState.SPEAKING,
    EventKind.DONE: AssistantState.IDLE,
}
MIC_STATES = {
    ListeningState.ASLEEP: AssistantState.LISTENING,
    ListeningState.WAITING: AssistantState.LISTENING,
    ListeningState.HEARING: AssistantState.LISTENING,
    ListeningState.ENDED: AssistantState.THINKING,
    ListeningState.IDLE: AssistantState.IDLE,
}


def state_after_turn_event(kind: EventKind) -> AssistantState:
    """Every step between the end of speech and the first reply audio is thinking."""
    return TURN_STATES.get(kind, AssistantState.THINKING)


class StateBadge(Static):
    state: reactive[AssistantState] = reactive(AssistantState.IDLE)

    def render(self) -> str:
        return f"● {self.state.value.upper()}"

    def watch_state(self, old: AssistantState, new: AssistantState) -> None:
        self.remove_class(f"-{old.value}")
        self.add_class(f"-{new.value}")

    def on_mount(self) -> None:
        self.add_class(f"-{self.state.value}")


class MicMeter(Static):
    """The live input level, or why there is no microphone; with a wake word, its score while waiting for it and
    the score it was heard with."""

    level_dbfs: reactive[float] = reactive(SILENCE_DBFS)
    hearing: reactive[bool] = reactive(False)
    problem: reactive[str | None] = reactive("no microphone yet")
    wake: reactive[str | None] = reactive(None)
    """"wake 0.12" while waiting for the wake word, "woken 0.97" once it was heard; None without one."""

    def show(self, event: AudioEvent) -> None:
        if isinstance(event, (AudioLevel, WakeScore)):
            self.level_dbfs = event.rms_dbfs
        if isinstance(event, WakeScore):
            self.wake = f"wake {event.score:.2f}"
        elif isinstance(event, Woken):
            self.wake = f"woken {event.score:.2f}"
        elif isinstance(event, StateChanged):
            self.hearing = event.state is ListeningState.HEARING
            if event.state is ListeningState.IDLE:
                self.level_dbfs = SILENCE_DBFS

    def render(self) -> Text:
        if self.problem is not None:
            return Text(f"mic: {self.problem}", style="dim")
        level = meter(self.level_dbfs - SILENCE_DBFS, -SILENCE_DBFS, MIC_CELLS)
        text = Text.assemble("mic ", (level, "bold green" if self.hearing else "green"),
                             f" {max(self.level_dbfs, SILENCE_DBFS):4.0f} dB")
        if self.wake is not None:
            text.append(f"  {self.wake}", style="bold yellow" if self.wake.startswith("woken") else "dim")
        return text


class LoadStatus(Horizontal):
    """Model loading: a message, and a bar (bytes while pulling a model, a pulse while loading)."""

    def compose(self) -> ComposeResult:
        yield Label("loading models…", id="load-message")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="load-bar")

    def step(self, message: str) -> None:
        self.query_one("#load-message", Label).update(message)

    def begin_pull(self, name: str, size: int) -> None:
        self.step(f"pulling {name}")
        self.query_one(ProgressBar).update(total=size, progress=0)

    def advance(self, nbytes: int) -> None:
        self.query_one(ProgressBar).advance(nbytes)

    def finish(self, message: str) -> None:
        self.step(message)
        self.query_one(ProgressBar).display = False
