"""The dashboard app: the car's panels, the conversation, latency, and the assistant's state, live.

    app = DashboardApp(lambda progress: session, autoplay=True)   # a Session, or a function that loads one
    app.run()

Everything slow runs in thread workers (model loading, turns, the microphone, the demo); they report through
messages (`messages.py`), so the UI never waits on a model. Loading starts only once the first frame is on the
screen, which then says "loading models…".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label
from textual.worker import Worker, get_current_worker

from carvoice.assistant.listening import hands_free, push_to_talk
from carvoice.assistant.session import (
    Session,
    SessionOpener,
    TurnRunner,
    play_demo,
)
from carvoice.audio.events import AudioEvent, StateChanged
from carvoice.dashboard.conversation import ConversationLog
from carvoice.dashboard.latency import LatencyPanel
from carvoice.dashboard.messages import (
    LoadStep,
    MicActivity,
    ModeChanged,
    PostedPullProgress,
    Problem,
    PullAdvanced,
    PullStarted,
    SessionReady,
    TalkEnded,
    TurnProgress,
)
from carvoice.dashboard.status import (
    MIC_STATES,
    LoadStatus,
    MicMeter,
    StateBadge,
    state_after_turn_event,
)
from carvoice.dashboard.vehicle_panels import VehiclePanels
from carvoice.turn import EventKind, TurnEvent
from vehicle_sim import default_world

if TYPE_CHECKING:
    from carvoice.demo import DemoScript

CAR_REFRESH_S = 1.0
DEMO_PAUSE_S = 3.0
COMMAND_HINT = "Type a command, e.g. 'warm up the driver side to 23' and press Enter"

# action -> (key, footer label, palette title, palette help)
ACTIONS = {
    "talk": ("f2", "Talk", "Push to talk", "Start recording a command; press again when you have finished"),
    "hands_free": ("f3", "Hands-free", "Hands-free mode", "Listen continuously; each command ends by itself"),
    "demo": ("f5", "Demo", "Play the demo", "Play the scripted spoken commands through the pipeline"),
    "clear_log": ("f6", "Clear log", "Clear the conversation log", "Remove every turn from the log"),
    "quit": ("ctrl+q", "Quit", "Quit", "Leave the dashboard"),
}


class DashboardApp(App[int]):
    CSS_PATH = "dashboard.tcss"
    TITLE = "carvoice"
    BINDINGS: ClassVar[list[Binding]] = [Binding(key, action, label, priority=action == "quit")
                for action, (key, label, *_) in ACTIONS.items()]

    def __init__(self, open_session: SessionOpener, *, autoplay: bool = False, drive_live: bool = True,
                 demo_pause_s: float = DEMO_PAUSE_S) -> None:
        """`open_session` runs on a worker thread; `autoplay` starts the session's demo once the models are ready;
        `drive_live` lets simulated time pass with real time (off for deterministic tests)."""
        super().__init__()
        self.open_session = open_session
        self.autoplay = autoplay
        self.drive_live = drive_live
        self.demo_pause_s = demo_pause_s
        self.session: Session | None = None
        self.runner = TurnRunner(on_problem=lambda message: self.post_message(Problem(message)))
        self._released: threading.Event | None = None
        self._hands_free: Worker | None = None
        self._demo: Worker | None = None
        self._last_drive = time.monotonic()

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-bar"):
            yield Label("carvoice", id="brand")
            yield StateBadge(id="state")
            yield MicMeter(id="mic")
            yield Label("", id="mode")
            yield LoadStatus(id="load")
        with Horizontal(id="main"):
            yield VehiclePanels(default_world().city, id="vehicle")
            with Vertical(id="side"):
                yield ConversationLog(id="log")
                yield LatencyPanel(id="latency")
        yield Input(placeholder=COMMAND_HINT, id="command")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ConversationLog).border_title = "Conversation"
        self.query_one(Input).focus()
        self.call_after_refresh(self._load)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action, (_, _, title, help_text) in ACTIONS.items():
            if action != "quit":
                yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))

    # -- loading ------------------------------------------------------------------------------------------------

    @work(thread=True, group="load")
    def _load(self) -> None:
        try:
            self.post_message(SessionReady(self.open_session(PostedPullProgress(self))))
        except Exception as exc:  # noqa: BLE001 - any loading failure is shown; the app stays up
            self.post_message(Problem(f"the models could not be loaded: {exc}"))

    def on_load_step(self, message: LoadStep) -> None:
        self.query_one(LoadStatus).step(message.message)

    def on_pull_started(self, message: PullStarted) -> None:
        self.query_one(LoadStatus).begin_pull(message.name, message.size)

    def on_pull_advanced(self, message: PullAdvanced) -> None:
        self.query_one(LoadStatus).advance(message.nbytes)

    def on_session_ready(self, message: SessionReady) -> None:
        session = self.session = message.session
        session.conversation.subscribe(lambda event: self.post_message(TurnProgress(event)))
        self.query_one(LoadStatus).finish(f"models ready in {session.load_s:.1f} s")
        self.query_one(LatencyPanel).show_models(session.models, session.load_s)
        self.query_one(MicMeter).problem = session.microphone_problem
        for problem in (session.microphone_problem, session.speaker_problem):
            if problem:
                self.query_one(ConversationLog).note(problem)
        self._show_car()
        self.set_interval(CAR_REFRESH_S, self._drive)
        self._serve_turns(session)
        if self.autoplay:
            self.action_demo()

    def on_problem(self, message: Problem) -> None:
        self.query_one(ConversationLog).note(f"⚠ {message.message}")
        if self.session is None:
            self.query_one(LoadStatus).finish("models not loaded")

    # -- turns --------------------------------------------------------------------------------------------------

    @work(thread=True, group="turns")
    def _serve_turns(self, session: Session) -> None:
        self.runner.serve(session.conversation, get_current_worker().cancelled_event)

    @on(Input.Submitted, "#command")
    def _typed(self, submitted: Input.Submitted) -> None:
        text = submitted.value.strip()
        submitted.input.clear()
        if not text:
            return
        self.runner.submit(lambda conversation: conversation.text(text))
        if self.session is None:
            self.query_one(ConversationLog).note(f"“{text}” will run once the models are ready")

    def on_turn_progress(self, message: TurnProgress) -> None:
        event: TurnEvent = message.event
        self.query_one(StateBadge).state = state_after_turn_event(event.kind)
        self.query_one(ConversationLog).show(event.record)
        if event.kind is EventKind.VEHICLE_CHANGED and event.record.dialog is not None:
            self._show_car(change.path for outcome in event.record.dialog.outcomes for change in outcome.changes)
        elif event.kind is EventKind.DONE:
            self.query_one(LatencyPanel).add_turn(event.record)
            self._show_car()

    def _show_car(self, changed_paths: Iterable[str] = ()) -> None:
        if self.session is not None:
            state = self.session.conversation.vehicle.snapshot()
            self.query_one(VehiclePanels).show(state, changed_paths)
            self.query_one(ConversationLog).units = state.settings

    def _drive(self) -> None:
        """Simulated time follows real time (when enabled), then the panels show where the car is now."""
        now = time.monotonic()
        if self.drive_live and self.session is not None:
            self.session.conversation.vehicle.tick(now - self._last_drive)
        self._last_drive = now
        self._show_car()

    # -- microphone ---------------------------------------------------------------------------------------------

    def _microphone_ready(self) -> bool:
        if self.session is None:
            self.notify("The models are still loading.", severity="warning")
            return False
        if self.session.microphone is None:
            self.notify(f"{self.session.microphone_problem}: type commands instead, or press "
                        f"{ACTIONS['demo'][0].upper()} for the demo.", severity="warning")
            return False
        return True

    def action_talk(self) -> None:
        if self._released is not None:
            self._released.set()
            return
        if self._microphone_ready():
            self._released = threading.Event()
            self._set_mode("● recording: press F2 again to stop")
            self._talk(self._released)

    @work(thread=True, group="microphone")
    def _talk(self, released: threading.Event) -> None:
        worker = get_current_worker()
        try:
            push_to_talk(self.session.microphone, self._post_mic, self.runner, released, worker.cancelled_event,
                         self.session.conversation)
        except Exception as exc:  # noqa: BLE001 - a microphone that fails mid-way is reported, never fatal
            self.post_message(Problem(f"push-to-talk failed: {exc}"))
        finally:
            self.post_message(TalkEnded())

    def on_talk_ended(self) -> None:
        self._released = None
        self._set_mode("")

    def action_hands_free(self) -> None:
        if self._hands_free is not None and self._hands_free.is_running:
            self._hands_free.cancel()
            self._set_mode("")
        elif self._microphone_ready():
            wake = self.session.conversation.wake
            self._set_mode(f"hands-free: say {wake.model.phrase!r}, then a command" if wake
                           else "hands-free: just speak")
            self._hands_free = self._listen()

    @work(thread=True, group="microphone")
    def _listen(self) -> None:
        try:
            hands_free(self.session.microphone, self._post_mic, self.runner, get_current_worker().cancelled_event,
                       self.session.conversation)
        except Exception as exc:  # noqa: BLE001 - as for push-to-talk
            self.post_message(Problem(f"hands-free listening stopped: {exc}"))

    def _post_mic(self, event: AudioEvent) -> None:
        self.post_message(MicActivity(event))

    def on_mic_activity(self, message: MicActivity) -> None:
        self.query_one(MicMeter).show(message.event)
        if isinstance(message.event, StateChanged):
            self.query_one(StateBadge).state = MIC_STATES[message.event.state]

    def _set_mode(self, text: str) -> None:
        self.query_one("#mode", Label).update(text)

    def on_mode_changed(self, message: ModeChanged) -> None:
        self._set_mode(message.text)

    # -- demo and the rest ----------------------------------------------------------------------------------------

    def action_demo(self) -> None:
        if self.session is None:
            self.notify("The models are still loading.", severity="warning")
        elif self.session.demo is None:
            self.notify("No demo script was found.", severity="warning")
        elif self._demo is not None and self._demo.is_running:
            self.notify("The demo is already playing.")
        else:
            demo = self.session.demo
            self.query_one(ConversationLog).note(f"demo: {demo.name} ({len(demo.recordings)} commands)")
            self._demo = self._play_demo(demo)

    @work(thread=True, group="demo")
    def _play_demo(self, script: DemoScript) -> None:
        def on_step(index: int, recording: Path) -> None:
            self.post_message(ModeChanged(f"demo {index + 1}/{len(script.recordings)}: {recording.stem}"))

        if play_demo(script, self.runner, get_current_worker().cancelled_event, self.demo_pause_s, on_step):
            self.post_message(ModeChanged("demo finished: F5 plays it again"))

    def action_clear_log(self) -> None:
        self.query_one(ConversationLog).clear()

    def action_quit(self) -> None:
        if self._released is not None:
            self._released.set()
        self.exit(0)
