"""A working assistant for one command or app: models loaded once, one car, one pipeline for all turns."""

from __future__ import annotations

from pathlib import Path

from vehicle_sim import Vehicle

from carvoice.config import Settings
from carvoice.errors import CarvoiceError
from carvoice.models import PullProgress
from carvoice.pipeline import Pipeline, ReplyOutput
from carvoice.reply_audio import SilentOutput, SpeakerOutput, WavOutput
from carvoice.startup import Startup, load_stages


class Assistant:
    def __init__(self, settings: Settings, *, speech_in: bool, reply_output: ReplyOutput,
                 progress: PullProgress | None = None, vehicle: Vehicle | None = None) -> None:
        self.startup: Startup = load_stages(settings, speech_in=speech_in, speech_out=True, progress=progress)
        self.pipeline = Pipeline(self.startup.stages, vehicle or Vehicle(), reply_output=reply_output)

    def describe_models(self) -> str:
        loaded = ", ".join(f"{m.role} {m.name} {m.load_s:.1f}s" for m in self.startup.models)
        return f"models ready in {self.startup.total_s:.1f}s ({loaded})"


def reply_output_for(settings: Settings, out: Path | None = None) -> tuple[ReplyOutput, str | None]:
    """WAV files when asked, else the speaker; without a speaker, replies are synthesised and timed, not heard.
    The second value says why there is no speaker, when there is none."""
    if out is not None:
        return WavOutput(out), None
    try:
        from carvoice.audio.playback import Player

        return SpeakerOutput(Player(settings.output_device)), None
    except CarvoiceError as exc:
        return SilentOutput(), f"no speaker ({exc}); replies are synthesised but not played"
