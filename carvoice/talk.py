"""The hands-free conversation behind `carvoice talk`: listen, act, speak, again.

    HandsFreeTalk(assistant.converse(reply_output=speaker), Microphone(), on_turn=print).run()   # until Ctrl-C

Endpointing is smart by default (carvoice/audio/speculation.py): the speech so far is understood during the
speaker's pauses and the turn ends as soon as it is a whole command. With barge-in, the microphone keeps
listening while the reply plays and the driver's voice stops it; that needs an echo-cancelling microphone
(as cars have) or a headset, otherwise the assistant hears its own reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from carvoice.assistant.conversation import Conversation, Spoken
from carvoice.audio.mic import Microphone, MicrophoneError
from carvoice.turn import TurnRecord

log = logging.getLogger(__name__)


class HandsFreeTalk:
    def __init__(self, conversation: Conversation, microphone: Microphone, on_turn: Callable[[TurnRecord], None],
                 barge_in: bool = False, on_problem: Callable[[str], None] = log.warning) -> None:
        """`barge_in`: the microphone's events must reach the player (`Microphone(on_event=player.stop_on_speech)`).
        `on_problem` hears of a microphone that stopped mid-utterance (the utterance is lost; listening starts
        again)."""
        self.conversation = conversation
        self.microphone = microphone
        self.on_turn = on_turn
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

    def _listen(self) -> Spoken | None:
        """The next utterance; a microphone that stalls is opened again once (one that is really gone then
        fails to open, with a clear error for the caller)."""
        try:
            return self._listen_once()
        except MicrophoneError as error:
            self.on_problem(f"{error}; listening again")
            return self._listen_once()

    def _listen_once(self) -> Spoken | None:
        return self.conversation.listen(self.microphone)

    def _turn(self, utterance: Spoken) -> None:
        record = self.conversation.answer(utterance)
        try:
            self.on_turn(record)
        except Exception:  # showing a turn must not end the conversation
            log.exception("could not show turn %d", record.turn_id)
