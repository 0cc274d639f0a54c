"""One conversation with the assistant: one car, one dialog, and the turns that reach them, typed, from audio
files or from a microphone. Every front end and benchmark drives a turn through here.

    conversation = assistant.converse()                  # a new car; smart endpointing by default
    record = conversation.text("turn on the A/C")
    utterance = conversation.listen(microphone)         # ends as soon as the speech is a whole command
    conversation = assistant.converse(wake=WakeWord(path))  # listen: only the command after the wake word
    record = conversation.answer(utterance)              # the turn, without hearing the speech twice
    heard = conversation.after_wake(audio)               # a recording heard as `listen` would hear it: one turn or none

Smart endpointing (carvoice/audio/speculation.py) is a handshake between the microphone and the pipeline:
while the speaker pauses, the microphone asks `Pipeline.prepare` to transcribe and understand the speech so
far, and an utterance that ends as a whole command carries that `Heard` as its guess, which `answer` hands
back to the pipeline. This is the one place that handshake is written, and the one place a wake word
(carvoice/audio/wake.py) stands in front of it: with one, `listen` hears only what follows the wake word.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from vehicle_sim import Vehicle

from carvoice.audio.endpoint import Utterance
from carvoice.audio.events import AudioEvent, Woken
from carvoice.audio.mic import Microphone, StreamFormat
from carvoice.audio.replay import replay_stream_factory
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.audio.speculation import SmartEndOptions
from carvoice.audio.wake import WakeWord
from carvoice.pipeline import Heard, Pipeline
from carvoice.turn import TurnEvent, TurnRecord

Spoken = Utterance[Heard]
"""An utterance from the microphone, with what smart endpointing already heard and understood of it."""


@dataclass(frozen=True)
class AfterWake:
    """A recording heard behind the wake word: the turn of the command after it, or none and why."""

    record: TurnRecord | None
    woken: Woken | None
    """The wake word as it was heard (its score), or None."""
    phrase: str

    @property
    def why_no_turn(self) -> str:
        if self.woken is None:
            return f"no {self.phrase!r} heard: no turn"
        return f"woken (score {self.woken.score:.2f}) but no command followed: no turn"


class Conversation:
    def __init__(self, pipeline: Pipeline, smart: SmartEndOptions | None = SmartEndOptions(),
                 wake: WakeWord | None = None) -> None:
        """`smart` None: each utterance ends after the microphone's fixed end-of-speech silence; `wake`: the
        microphone's utterances are only those that follow the wake word."""
        self.pipeline = pipeline
        self.smart = smart
        self.wake = wake

    @property
    def vehicle(self) -> Vehicle:
        return self.pipeline.vehicle

    def subscribe(self, callback: Callable[[TurnEvent], None]) -> None:
        """`callback` receives every turn's events (carvoice/turn.py) as the turn goes on."""
        self.pipeline.subscribe(callback)

    def text(self, text: str) -> TurnRecord:
        return self.pipeline.run_text(text)

    def audio(self, audio: AudioSegment, source: str = "audio") -> TurnRecord:
        return self.pipeline.run_audio(audio, source=source)

    def listen(self, microphone: Microphone, timeout_s: float | None = None) -> Spoken | None:
        """The next utterance (None when no speech, or with a wake word no wake word, started within
        `timeout_s`, or the stream ended)."""
        if self.smart is None:
            return microphone.listen(timeout_s=timeout_s, wake=self.wake)
        return microphone.listen(timeout_s=timeout_s, judge=self.pipeline.prepare, smart=self.smart, wake=self.wake)

    def push_to_talk(self, microphone: Microphone, released: threading.Event) -> Spoken | None:
        """What is said until `released` is set."""
        return microphone.push_to_talk(released)

    def answer(self, utterance: Spoken) -> TurnRecord:
        return self.pipeline.run_audio(utterance.audio, source="microphone", heard=utterance.guess)

    def after_wake(self, audio: AudioSegment) -> AfterWake:
        """`audio` replayed into the microphone code behind the wake word (the conversation's, which must be
        set), as `carvoice talk` hears it: the command after the wake word is one turn; none without it."""
        woken: list[Woken] = []

        def keep_woken(event: AudioEvent) -> None:
            if isinstance(event, Woken):
                woken.append(event)

        microphone = Microphone(on_event=keep_woken, stream_factory=replay_stream_factory(audio.samples),
                                stream_format=StreamFormat(SAMPLE_RATE, 1, None))
        self.wake.reset()  # each recording heard afresh
        utterance = self.listen(microphone)
        record = None if utterance is None else self.answer(utterance)
        return AfterWake(record, woken[0] if woken else None, self.wake.model.phrase)
