"""The assistant's pipeline: one turn through the stages, audio -> STT -> NLU -> vehicle -> reply -> TTS.

    pipeline = Pipeline(stages, Vehicle(), reply_output=SilentOutput())
    pipeline.subscribe(print)                  # TurnEvents as the turn progresses
    record = pipeline.run_text("turn on the A/C and play some jazz")
    record = pipeline.run_audio(load_audio("command.wav"))
    heard = pipeline.prepare(audio)            # speech -> text -> understanding, nothing done yet
    record = pipeline.run_audio(audio, heard=heard)   # ... and the turn, without hearing it twice

`prepare` is what smart endpointing guesses with while the speaker pauses (carvoice/audio/speculation.py).
All turns of one Pipeline share one vehicle and one dialog (follow-ups, confirmations, undo). A failure in any
stage ends the turn with an apology and a logged reason; the vehicle is not changed by a failed turn and the
next turn works as usual.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from vehicle_sim import Vehicle

from carvoice.audio.segment import AudioSegment
from carvoice.dialog import Dialog
from carvoice.nlu.understand import Understander, Understanding
from carvoice.nlu.unfinished import sounds_unfinished
from carvoice.stt import SpeechToText, Transcript
from carvoice.tts import SpeechChunk, SpeechStream, TextToSpeech
from carvoice.turn import EventKind, Span, TurnEvent, TurnRecord

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong there. Please try again."
HEARD_SURE = 0.5
"""Below this recogniser confidence (Transcript.confidence, the mean probability of its tokens) the assistant
asks before it acts. An English recogniser turns speech in another language into English-looking words
("Navigeer naar Central Station" heard as "Navigate on our central station else to believe"). Measured
2026-12-04 with whisper tiny.en on the read blind adversarial sets said by the reply voice: 95 of 189 inputs in
other languages fell below 0.5, 1 of 150 other inputs (odd spellings included), and 3 of the 125 recorded
commands, each of them misheard ("Resume playback" heard as "Remove playback"); 0.55 caught 125 of 189 and
asked about 2 of 150 and 4 of 125."""


class ReplyOutput(Protocol):
    """Where reply audio goes. Returns the time.monotonic() moment the first audio reached the speaker, or
    None where there is no speaker (the moment the first chunk was ready then stands as first audio)."""

    def play(self, chunks: Iterator[SpeechChunk], turn_id: int) -> float | None: ...


@dataclass
class Stages:
    """The warm models; `stt` and `tts` may be absent (text-only use)."""

    understander: Understander
    stt: SpeechToText | None = None
    tts: TextToSpeech | None = None


class StageFailed(Exception):
    def __init__(self, stage: str, cause: BaseException) -> None:
        super().__init__(f"{stage} failed: {type(cause).__name__}: {cause}")
        self.stage = stage


@dataclass
class Heard:
    """Speech turned into text and understanding, before anything is done about it."""

    transcript: Transcript | None = None
    understanding: Understanding | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    failure: StageFailed | None = None

    @property
    def complete(self) -> bool:
        """A whole command was heard (the speaker need not go on): understood as car intents, and not stopping
        mid-sentence. An out-of-scope answer does not count: the start of a command ("go to Central") is often
        out of scope on its own, and a real out-of-scope request only waits the longer silence.

        Dropped: ending an out-of-scope guess that does not sound unfinished after 0.6 s instead of the 1.2 s
        patience. Side by side on the 125 spoken commands replayed live (2026-12-03, AMD EPYC with AVX-512) it
        answered the 19 out-of-scope ones sooner (p50 830 against 1283 ms) but barely moved the p50 and p95
        of all (926 / 1272 against 968 / 1288 ms), and cut off 22 of 29 commands said with a 0.8 s pause in the
        middle against 13: their first halves read as out of scope."""
        understanding, transcript = self.understanding, self.transcript
        return (self.failure is None and understanding is not None and understanding.understood
                and bool(understanding.intents) and not understanding.out_of_scope
                and not sounds_unfinished(transcript.text if transcript else ""))


class Pipeline:
    def __init__(self, stages: Stages, vehicle: Vehicle, reply_output: ReplyOutput | None = None,
                 seed: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stages = stages
        self.vehicle = vehicle
        self.dialog = Dialog(vehicle, stages.understander.catalog, seed=seed)
        self.reply_output = reply_output
        self._clock = clock
        self._subscribers: list[Callable[[TurnEvent], None]] = []
        self._turns = 0
        self._models = threading.RLock()
        """Held while the STT and SLM models and the dialog are in use: a guess for the next utterance may
        run while a turn is still speaking, but never while one is being understood or acted on."""

    def subscribe(self, callback: Callable[[TurnEvent], None]) -> None:
        self._subscribers.append(callback)

    def run_text(self, text: str) -> TurnRecord:
        record = self._new_record("text", text)
        with self._models:
            heard = Heard()
            self._understand(heard, text)
            self._act(record, heard)
        return self._reply(record)

    def run_audio(self, audio: AudioSegment, source: str = "audio", heard: Heard | None = None) -> TurnRecord:
        """One turn on `audio`; `heard` is this very audio already prepared (smart endpointing's guess)."""
        record = self._new_record(source, audio.source)
        record.speech_ended_at = audio.speech_ended_at or record.started_at
        self._publish(EventKind.SPEECH_ENDED, record)
        with self._models:
            self._act(record, heard or self.prepare(audio))
        return self._reply(record)

    def prepare(self, audio: AudioSegment) -> Heard:
        """Speech to text to understanding, with nothing done about it yet; stage faults are kept in `failure`."""
        heard = Heard()
        with self._models:
            try:
                heard.transcript = self._transcribe(heard, audio)
                self._understand(heard, heard.transcript.text)
                heard.understanding = _unsure_if_misheard(heard.understanding, heard.transcript)
            except StageFailed as failure:
                heard.failure = failure
        return heard

    # -- the turn -------------------------------------------------------------------------------------------

    def _new_record(self, source: str, name: str) -> TurnRecord:
        self._turns += 1
        return TurnRecord(turn_id=self._turns, source=source, input=name, started_at=self._clock())

    def _transcribe(self, heard: Heard, audio: AudioSegment) -> Transcript:
        if self.stages.stt is None:
            raise StageFailed("stt", RuntimeError("no speech-to-text model is loaded"))
        with self._stage(heard.spans, "stt"):
            return self.stages.stt.transcribe(audio)

    def _understand(self, heard: Heard, text: str) -> None:
        try:
            with self._stage(heard.spans, "nlu"):
                heard.understanding = self.stages.understander.understand(text, self.dialog.previous_understanding)
        except StageFailed as failure:
            heard.failure = failure

    def _act(self, record: TurnRecord, heard: Heard) -> None:
        """What was heard goes into the record, and the car and the dialog act on it."""
        record.spans.update(heard.spans)
        record.transcript = heard.transcript
        if heard.transcript is not None:
            self._publish(EventKind.TRANSCRIPT, record)
        try:
            if heard.failure is not None:
                raise heard.failure
            record.understanding = heard.understanding
            self._publish(EventKind.UNDERSTOOD, record)
            with self._stage(record.spans, "vehicle"):
                record.dialog = self.dialog.respond(record.understanding)
            record.reply = record.dialog.reply
            if any(outcome.changes for outcome in record.dialog.outcomes):
                self._publish(EventKind.VEHICLE_CHANGED, record)
        except StageFailed as failure:
            log.warning("turn %d: %s", record.turn_id, failure)
            record.error = str(failure)
            record.reply = APOLOGY
            self._publish(EventKind.ERROR, record)

    def _reply(self, record: TurnRecord) -> TurnRecord:
        self._speak(record)
        self._publish(EventKind.DONE, record)
        return record

    def _speak(self, record: TurnRecord) -> None:
        if not record.reply or self.stages.tts is None or self.reply_output is None:
            return
        self._publish(EventKind.REPLYING, record)
        try:
            with self._stage(record.spans, "tts"):
                speech = self.stages.tts.stream(record.reply)
                played_at = self.reply_output.play(self._announcing_first_audio(speech, record), record.turn_id)
                record.first_audio_at = played_at or record.first_audio_at
                record.reply_audio_s = speech.timings.audio_s
        except StageFailed as failure:
            log.warning("turn %d: %s", record.turn_id, failure)
            record.error = record.error or str(failure)

    def _announcing_first_audio(self, speech: SpeechStream, record: TurnRecord) -> Iterator[SpeechChunk]:
        """The reply's chunks; the first one stamps the record and publishes FIRST_AUDIO."""
        for chunk in speech:
            if record.first_audio_at is None:
                record.first_audio_at = self._clock()
                self._publish(EventKind.FIRST_AUDIO, record)
            yield chunk

    @contextmanager
    def _stage(self, spans: dict[str, Span], stage: str) -> Iterator[None]:
        start = self._clock()
        try:
            yield
        except StageFailed:
            raise
        except Exception as exc:  # any stage fault ends this turn, never the assistant
            raise StageFailed(stage, exc) from exc
        finally:
            spans[stage] = Span(start=start, end=self._clock())

    def _publish(self, kind: EventKind, record: TurnRecord) -> None:
        event = TurnEvent(kind, self._clock(), record.model_copy())
        for callback in self._subscribers:
            try:
                callback(event)
            except Exception:  # a broken subscriber must not break the turn
                log.exception("event subscriber failed on %s", kind.value)


def _unsure_if_misheard(understanding: Understanding | None, transcript: Transcript) -> Understanding | None:
    """The understanding of words the recogniser was unsure of (below HEARD_SURE) asks before acting."""
    if understanding is None or transcript.confidence >= HEARD_SURE:
        return understanding
    return understanding.model_copy(update={"unsure": True})
