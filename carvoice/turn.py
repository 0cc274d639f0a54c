"""One turn of conversation as one record, and the events that announce its progress.

Every stage stamps its start and end (time.monotonic()) on the record, so per-stage latency and the
headline figure, end of speech -> first reply audio, come from the same data wherever they are shown:
the CLI's --json lines, the dashboard, scripted test reports and benchmarks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from carvoice.dialog import DialogTurn
from carvoice.nlu.understand import Understanding
from carvoice.stt import Transcript

STAGES = ("stt", "nlu", "vehicle", "tts")


class Span(BaseModel):
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


class TurnRecord(BaseModel):
    turn_id: int
    source: Literal["text", "audio", "microphone"]
    input: str
    started_at: float
    speech_ended_at: float | None = None
    transcript: Transcript | None = None
    understanding: Understanding | None = None
    dialog: DialogTurn | None = None
    reply: str = ""
    spans: dict[str, Span] = {}
    first_audio_at: float | None = None
    reply_audio_s: float = 0.0
    error: str | None = None

    @property
    def heard(self) -> str:
        return self.transcript.text if self.transcript is not None else self.input

    @property
    def latency_s(self) -> float | None:
        """End of speech (or of the typed input) to the first reply audio; None when nothing was said back."""
        if self.first_audio_at is None:
            return None
        return self.first_audio_at - (self.speech_ended_at or self.started_at)

    def stage_seconds(self) -> dict[str, float]:
        return {stage: span.seconds for stage, span in self.spans.items()}

    def summary(self) -> dict[str, Any]:
        """The turn as one JSON-ready object: what was heard, understood, done and said, and how long it took."""
        dialog = self.dialog
        return {
            "turn": self.turn_id,
            "input": self.input,
            "transcript": self.transcript.text if self.transcript is not None else None,
            "intents": [asdict(i) for i in self.understanding.intents] if self.understanding else [],
            "outcomes": [
                {"action": o.action.kind, "status": o.status, "code": o.code,
                 "changes": [c.model_dump(mode="json") for c in o.changes]}
                for o in (dialog.outcomes if dialog else [])
            ],
            "reply": self.reply,
            "kind": dialog.kind if dialog else None,
            "error": self.error,
            "latency_s": {**{k: round(v, 4) for k, v in self.stage_seconds().items()},
                          "end_to_first_audio": _rounded(self.latency_s)},
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class EventKind(str, Enum):
    LISTENING = "listening"
    SPEECH_ENDED = "speech_ended"
    TRANSCRIPT = "transcript"
    UNDERSTOOD = "understood"
    VEHICLE_CHANGED = "vehicle_changed"
    REPLYING = "replying"
    FIRST_AUDIO = "first_audio"
    DONE = "done"
    ERROR = "error"


@dataclass(frozen=True)
class TurnEvent:
    """A step of a turn; `record` is a copy of the turn as it stands at that moment."""

    kind: EventKind
    at: float
    record: TurnRecord
