"""The dashboard driven through Textual's pilot, on the real models: typed and scripted turns update the car's
panels, the conversation log and the latency panel."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

from carvoice.dashboard.app import DashboardApp
from carvoice.dashboard.conversation import ConversationLog, TurnEntry
from carvoice.dashboard.latency import LatencyPanel, ModelList, StageTable
from carvoice.demo import DemoScript
from carvoice.dashboard.status import AssistantState, MicMeter, StateBadge
from carvoice.dashboard.vehicle_panels import ClimatePanel

SAMPLES = Path(__file__).resolve().parents[2] / "audio_samples" / "wav"


def test_a_typed_command_updates_the_car_the_log_and_the_latency(make_app, wait_until_ready, wait_for_turns,
                                                                plain):
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until_ready(pilot)
            climate = app.query_one(ClimatePanel)
            assert "21.0 °C" in plain(climate.render())
            await pilot.click("#command")
            await pilot.press(*"set the driver side to 24 degrees", "enter")
            await wait_for_turns(pilot, 1)

            assert app.session.conversation.vehicle.get("climate.driver.set_point") == 24.0
            assert "24.0 °C" in plain(climate.render())
            assert "climate.driver.set_point" in climate.changed  # highlighted until it fades

            (entry,) = app.query_one(ConversationLog).query(TurnEntry)
            logged = plain(entry.render())
            assert "set the driver side to 24 degrees" in logged
            assert "✓ driver 24.0 °C" in logged
            assert entry.record.reply and entry.record.reply in " ".join(logged.split())

            latency = app.query_one(LatencyPanel).history.turns[0]
            assert latency.nlu > 0 and latency.tts_first_audio > 0 and latency.end_to_first_audio > 0
            table = plain(app.query_one(StageTable).render())
            assert f"{latency.end_to_first_audio * 1000:.0f} ms" in table and "p95" in table
            assert app.query_one(StateBadge).state is AssistantState.IDLE

    asyncio.run(scenario())


def test_models_microphone_and_actions_are_shown_before_any_turn(make_app, wait_until_ready, plain):
    async def scenario() -> None:
        app = make_app()
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_until_ready(pilot)
            listed = plain(app.query_one(ModelList).render())
            assert "test-slm" in listed and "1.5 s" in listed and "1.8 s" in listed  # load_s 1.75, the total
            titles = {command.title for command in app.get_system_commands(app.screen)}
            assert {"Push to talk", "Hands-free mode", "Play the demo", "Clear the conversation log"} <= titles

            assert app.query_one(MicMeter).problem == "no microphone"
            await pilot.press("f2", "f3")
            await pilot.pause()
            messages = [notification.message for notification in app._notifications]
            assert len(messages) == 2 and all(m.startswith("no microphone: type commands instead") for m in messages)
            assert app.query_one(StateBadge).state is AssistantState.IDLE

    asyncio.run(scenario())


def test_the_demo_plays_recordings_through_the_real_pipeline(make_app, stt, wait_for_turns, tmp_path):
    async def scenario() -> None:
        (tmp_path / "wav").mkdir()
        recording = shutil.copy(SAMPLES / "navi-10.wav", tmp_path / "wav" / "navi-10.wav")  # "Go to Central Station."
        app = make_app(stt=stt, demo=DemoScript("test drive", [Path(recording)], 30.0), autoplay=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for_turns(pilot, 1)
            (entry,) = app.query_one(ConversationLog).query(TurnEntry)
            assert "central station" in entry.record.heard.lower()
            assert app.query_one(LatencyPanel).history.turns[0].stt > 0
            while "demo finished" not in str(app.query_one("#mode").content):
                await pilot.pause(0.05)
            state = app.session.conversation.vehicle.snapshot()
            assert state.navigation.destination.name == "Central Station" and state.time_s == 30.0

    asyncio.run(scenario())


def test_the_first_frame_is_drawn_while_the_models_load():
    loading = threading.Event()
    release = threading.Event()

    def slow_models(progress):
        loading.set()
        release.wait(10)
        raise RuntimeError("no models in this test")

    async def scenario() -> None:
        started = time.monotonic()
        app = DashboardApp(slow_models, drive_live=False)
        async with app.run_test(size=(100, 30)) as pilot:
            assert time.monotonic() - started < 0.5
            assert "loading models…" in str(app.query_one("#load-message").content)
            while not loading.is_set():
                await pilot.pause(0.01)
            release.set()
            while "not loaded" not in str(app.query_one("#load-message").content):
                await pilot.pause(0.01)
            assert app.session is None

    asyncio.run(scenario())
