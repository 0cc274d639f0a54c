"""The scripted demo: the spoken steps of the demo suite (`audio_samples/suites/demo.yaml`) played in order
through the real pipeline, by `carvoice demo` in a plain terminal and by the dashboard's demo mode. The same file
is a suite, so `carvoice test` (and CI) checks what every step of the demo does.

    script = load_demo_script()
    script.recordings[0]           # audio_samples/wav/clim-01.wav
    record = play_step(conversation, script, script.recordings[0])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from carvoice.assistant.conversation import Conversation
from carvoice.audio.decode import load_audio
from carvoice.errors import CarvoiceError
from carvoice.suites.loader import SAMPLES_DIR, audio_path, load_suite
from carvoice.turn import TurnRecord

DEMO_SUITE = SAMPLES_DIR / "suites" / "demo.yaml"


@dataclass(frozen=True)
class DemoScript:
    name: str
    recordings: list[Path]
    seconds_between_steps: float


def load_demo_script(path: Path = DEMO_SUITE) -> DemoScript:
    """The demo suite's spoken steps, and the time the car drives between them (the longest step wait)."""
    suite = load_suite(path).suite
    # load_suite has checked that every audio reference names a file
    recordings = [audio_path(step.audio, path.parent) for step in suite.steps if step.audio is not None]
    if not recordings:
        raise CarvoiceError(f"{path}: the demo suite has no spoken (`audio`) steps")
    return DemoScript(suite.name, recordings, max(step.wait_s for step in suite.steps))  # type: ignore[arg-type]


def play_step(conversation: Conversation, script: DemoScript, recording: Path) -> TurnRecord:
    """One demo step: the recording as a turn, then the car drives on until the next step."""
    record = conversation.audio(load_audio(recording))
    conversation.vehicle.tick(script.seconds_between_steps)
    return record
