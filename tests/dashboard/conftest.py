"""Dashboard fixtures: an app on the real models, with a pipeline whose clock steps by a fixed amount on each
reading (so every latency shown is the same on every run) and a car that only moves when a turn moves it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import Input

from carvoice.assistant.assistant import LoadedModel
from carvoice.assistant.conversation import Conversation
from carvoice.assistant.reply_audio import SilentOutput
from carvoice.assistant.session import Session
from carvoice.dashboard.app import DashboardApp
from carvoice.dashboard.latency import LatencyPanel
from carvoice.dashboard.vehicle_panels import ClimatePanel
from carvoice.demo import DemoScript
from carvoice.pipeline import Pipeline, Stages
from vehicle_sim import Vehicle

CLOCK_STEP_S = 0.125
MODELS = [LoadedModel("slm", "test-slm", Path("slm.gguf"), 1.5), LoadedModel("tts", "test-voice", Path("v.onnx"), 0.25)]


class StepClock:
    def __init__(self, step: float = CLOCK_STEP_S) -> None:
        self.now, self.step = 100.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def make_app(understander, tts) -> Callable[..., DashboardApp]:
    def make(*, stt=None, demo: DemoScript | None = None, autoplay: bool = False) -> DashboardApp:
        pipeline = Pipeline(Stages(understander=understander, stt=stt, tts=tts), Vehicle(),
                            reply_output=SilentOutput(), clock=StepClock())
        session = Session(Conversation(pipeline), MODELS, load_s=1.75, microphone=None, microphone_problem="no microphone",
                          speaker_problem="no speaker: replies are synthesised, not played", demo=demo)
        return DashboardApp(lambda progress: session, autoplay=autoplay, drive_live=False, demo_pause_s=0.0)

    return make


async def _wait_for_turns(pilot: Pilot, count: int, timeout_s: float = 240.0) -> None:
    """Until `count` turns have finished (the latency panel has them), letting the UI process messages. The
    first turn of a session may evaluate a changed prompt (about a minute), hence the long timeout."""
    panel = pilot.app.query_one(LatencyPanel)
    deadline = asyncio.get_running_loop().time() + timeout_s
    while len(panel.history.turns) < count:
        assert asyncio.get_running_loop().time() < deadline, f"only {len(panel.history.turns)} turns finished"
        await pilot.pause(0.05)
    await pilot.pause()


async def _wait_until_ready(pilot: Pilot) -> None:
    """Until the session is loaded; the text box's cursor stops blinking so snapshots do not depend on timing."""
    pilot.app.query_one(Input).cursor_blink = False
    while pilot.app.session is None or not pilot.app.query(ClimatePanel):
        await pilot.pause(0.01)
    await pilot.pause()


def _plain(renderable: RenderableType, width: int = 100) -> str:
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


@pytest.fixture
def wait_for_turns():
    return _wait_for_turns


@pytest.fixture
def wait_until_ready():
    return _wait_until_ready


@pytest.fixture
def plain():
    """A widget's renderable as plain text."""
    return _plain
