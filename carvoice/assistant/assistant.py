"""A working assistant: the stages' models, loaded once and kept warm, and the conversations held with them.

    assistant = load_assistant(load_settings(), speech_in=True)      # carvoice/assistant/startup.py
    print(assistant.describe_models())
    conversation = assistant.converse(reply_output=SilentOutput())  # a new car, a new dialog
    conversation.text("turn on the A/C")

Conversations share the models, never a car or a dialog: a benchmark starts one per case, the suites one per
suite, and a front end one for its whole session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vehicle_sim import Vehicle

from carvoice.assistant.conversation import Conversation
from carvoice.assistant.reply_audio import SpeakerOutput
from carvoice.audio.speculation import SmartEndOptions
from carvoice.audio.wake import WakeWord
from carvoice.pipeline import Pipeline, ReplyOutput, Stages


@dataclass
class LoadedModel:
    role: str
    name: str
    path: Path
    load_s: float


@dataclass
class Assistant:
    stages: Stages
    models: list[LoadedModel] = field(default_factory=list)
    """What was loaded for each role, and how long it took."""
    load_s: float = 0.0
    """Start-up: resolving and loading all models (in parallel)."""

    def converse(self, vehicle: Vehicle | None = None, reply_output: ReplyOutput | None = None,
                 smart: SmartEndOptions | None = SmartEndOptions(), seed: int = 0,
                 wake: WakeWord | None = None) -> Conversation:
        """A new conversation on `vehicle` (a new car by default); `reply_output` None: replies are not
        synthesised; `smart` None: utterances end after a fixed silence; `seed` picks reply variants; `wake`:
        the microphone hears only commands after this wake word, never the replies the speaker plays."""
        if wake is not None and isinstance(reply_output, SpeakerOutput):
            reply_output.heard_by(wake)
        return Conversation(Pipeline(self.stages, vehicle or Vehicle(), reply_output, seed=seed), smart, wake)

    def describe_models(self) -> str:
        loaded = ", ".join(f"{m.role} {m.name} {m.load_s:.1f}s" for m in self.models)
        return f"models ready in {self.load_s:.1f}s ({loaded})"
