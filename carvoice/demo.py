"""The scripted demo (`audio_samples/demo.yaml`): spoken commands played in order through the real pipeline,
by `carvoice demo` in a plain terminal and by the dashboard's demo mode."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from carvoice.bench.samples import SAMPLES_DIR
from carvoice.errors import CarvoiceError


@dataclass(frozen=True)
class DemoScript:
    name: str
    recordings: list[Path]
    seconds_between_steps: float


def load_demo_script(path: Path | None = None) -> DemoScript:
    """`audio_samples/demo.yaml`: the spoken commands (WAVs in `audio_samples/wav/`) played in order."""
    path = path or SAMPLES_DIR / "demo.yaml"
    try:
        script = yaml.safe_load(path.read_text(encoding="utf-8"))
        recordings = [path.parent / "wav" / f"{step}.wav" for step in script["steps"]]
        return DemoScript(script["name"], recordings, float(script["seconds_between_steps"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise CarvoiceError(f"{path}: not a usable demo script ({type(exc).__name__}: {exc}); it needs "
                            "`name`, `steps` (recording names) and `seconds_between_steps`") from exc
