"""Hardening fixtures: pipelines on the real small models (loaded once, in tests/conftest.py) with a fresh car
per test, and doubles of the language model that inject faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from vehicle_sim import Vehicle

from carvoice.assistant.reply_audio import SilentOutput
from carvoice.nlu.slm import Completion
from carvoice.pipeline import Pipeline, Stages

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "audio_samples" / "wav"


def moving_car(speed_kmh: float) -> Vehicle:
    """A car driving at `speed_kmh` in drive, doors locked (as a car on the road is)."""
    return Vehicle(seed=3, overrides={"vehicle": {"speed_kmh": speed_kmh, "gear": "D", "doors_locked": True}})


@pytest.fixture
def text_pipeline(understander) -> Callable[..., Pipeline]:
    """text_pipeline(vehicle=None): typed turns on the real SLM, no speech."""
    return lambda vehicle=None: Pipeline(Stages(understander=understander), vehicle or Vehicle(seed=3))


@pytest.fixture
def speech_pipeline(understander, stt, tts) -> Pipeline:
    return Pipeline(Stages(understander=understander, stt=stt, tts=tts), Vehicle(seed=3), reply_output=SilentOutput())


class ScriptedSlm:
    """Stands in for `ConstrainedSlm`: answers every turn with `output`, as the real model's completion would.

    Used to inject what the constrained decoder should never produce (garbage, unknown intents, wrong slot
    types, an answer cut short) and check that the understanding stage refuses it."""

    def __init__(self, output: str, complete: bool = True, margin: float | None = None,
                 alternative: str | None = None) -> None:
        self.output = output
        self.finished = complete
        self.margin = margin
        self.alternative = alternative
        self.turns: list[str] = []

    def set_prefix(self, text: str) -> None:
        pass

    def complete(self, turn_text: str, syntax, fork_below: float | None = None) -> Completion:
        self.turns.append(turn_text)
        forked = fork_below is not None and self.margin is not None and self.margin < fork_below
        return Completion(text=self.output, prompt_tokens=len(turn_text.split()), output_tokens=8,
                          prompt_s=0.0, decode_s=0.0, complete=self.finished, margin=self.margin,
                          alternative=self.alternative if forked else None)
