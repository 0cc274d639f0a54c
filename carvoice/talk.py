"""The hands-free conversation behind `carvoice talk`: listen, act, speak, again.

Endpointing is smart by default (carvoice/audio/speculation.py): the speech so far is understood during the
speaker's pauses and the turn ends as soon as it is a whole command. With barge-in, the microphone keeps
listening while the reply plays and the driver's voice stops it; that needs an echo-cancelling microphone
(as cars have) or a headset, otherwise the assistant hears its own reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from carvoice.audio.endpoint import Utterance
from carvoice.audio.mic import Microphone, MicrophoneError
from carvoice.audio.speculation import SmartEndOptions
from carvoice.pipeline import Pipeline
from carvoice.turn import TurnRecord

log = logging.getLogger(__name__)


class Conversation:
    def __init__(self, pipeline: Pipeline, microphone: Microphone, on_turn: Callable[[TurnRecord], None],
                 smart: SmartEndOptions | None = SmartEndOptions(), barge_in: bool = False,
                 on_problem: Callable[[str], None] = log.warning) -> None:
        """`smart` None: a fixed end-of-speech silence. `barge_in`: the microphone's events must reach the
        player (`Microphone(on_event=player.stop_on_speech)`). `on_problem` hears of a microphone that
        stopped mid-utterance (the utterance is lost; listening starts again)."""
        self.pipeline = pipeline
        self.microphone = microphone
        self.on_turn = on_turn
        self.smart = smart
        self.barge_in = barge_in
        self.on_problem = on_problem

    def run(self) -> None:
        """Turn after turn until the microphone's stream ends (or Ctrl-C)."""
        if not self.barge_in:
            while (utterance := self._listen()) is not None:
                self._turn(utterance)
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="turn") as turns:
            while (utterance := self._listen()) is not None:
                turns.submit(self._turn, utterance)  # the reply plays while the microphone listens on

    def _listen(self) -> Utterance | None:
        """The next utterance; a microphone that stalls is opened again once (one that is really gone then
        fails to open, with a clear error for the caller)."""
        try:
            return self._listen_once()
        except MicrophoneError as error:
            self.on_problem(f"{error}; listening again")
            return self._listen_once()

    def _listen_once(self) -> Utterance | None:
        if self.smart is None:
            return self.microphone.listen()
        return self.microphone.listen(judge=self.pipeline.prepare, smart=self.smart)

    def _turn(self, utterance: Utterance) -> None:
        record = self.pipeline.run_audio(utterance.audio, source="microphone", heard=utterance.guess)
        try:
            self.on_turn(record)
        except Exception:  # showing a turn must not end the conversation
            log.exception("could not show turn %d", record.turn_id)
