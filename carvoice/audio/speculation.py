"""Smart endpointing: understand the speech while the speaker pauses, and end the turn as soon as it is a
whole command, instead of always waiting out a fixed silence.

A fixed end-of-speech silence (Home Assistant waits 0.7 s) is paid on every turn before any work starts.
Here, once the speaker has been quiet for `probe_after_s`, a *guess* (the caller's judge: speech-to-text and
understanding) runs on the speech so far, on a worker thread, while the microphone keeps listening:

- the guess is a whole command and no speech came since: the turn ends at once, and the guess is the turn's
  transcript and understanding, so nothing is computed twice;
- the speaker goes on talking: the guess is dropped, and a new one starts at the next pause;
- the guess is not a whole command ("set the temperature to ..."): the turn waits for up to `patience_s` of
  silence, longer than a fixed endpointer would, so a hesitating speaker is not cut off.

The endpointing wait is thereby spent on work the turn needs anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Generic, Protocol, TypeVar

from carvoice.audio.endpoint import Endpointer, EndpointOptions, EndReason, Utterance
from carvoice.audio.events import ListeningState
from carvoice.audio.segment import AudioSegment


log = logging.getLogger(__name__)


class Guess(Protocol):
    @property
    def complete(self) -> bool:
        """True when the speech so far is a whole command: nothing more needs to be heard."""
        ...


G = TypeVar("G", bound=Guess)


@dataclass(frozen=True)
class SmartEndOptions:
    probe_after_s: float = 0.1
    """Silence after which the speech so far is transcribed and understood, speculatively."""
    patience_s: float = 1.2
    """The longest silence waited for when the speech so far is not a whole command."""

    def __post_init__(self) -> None:
        if not 0 < self.probe_after_s < self.patience_s:
            raise ValueError("smart endpointing needs 0 < probe_after_s < patience_s")

    def endpoint_options(self, base: EndpointOptions = EndpointOptions()) -> EndpointOptions:
        """The endpointer's own rule becomes the patience limit; complete commands end earlier."""
        return replace(base, end_silence_s=self.patience_s)


class Speculation(Generic[G]):
    """Follows one utterance being heard; `step` after every frame, `settle` when it has ended."""

    def __init__(self, judge: Callable[[AudioSegment], G], options: SmartEndOptions) -> None:
        self._judge = judge
        self._options = options
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speculation")
        self._guess: Future[G | None] | None = None

    def step(self, endpointer: Endpointer) -> Utterance | None:
        """Start, drop or accept a guess for the frame just fed; an Utterance when the command is whole."""
        if endpointer.state is not ListeningState.HEARING:
            return None
        if endpointer.silence_s == 0:
            self._drop_guess()  # speech again: the guess no longer covers what was said
        elif self._guess is None and endpointer.silence_s >= self._options.probe_after_s:
            self._guess = self._worker.submit(self._judge_safely, endpointer.speech_so_far())
        elif self._guess is not None and self._guess.done() and self._is_whole_command(self._guess.result()):
            return endpointer.finish(EndReason.COMPLETE)
        return None

    def settle(self, utterance: Utterance | None) -> tuple[Utterance | None, G | None]:
        """The utterance with the guess that covers all of it, if any; waits for guesses still running, so
        the models are free again when this returns."""
        guess = self._guess.result() if utterance is not None and self._guess is not None else None
        self._worker.shutdown(wait=True)
        return utterance, guess

    def _drop_guess(self) -> None:
        """Forget the guess; one still queued never runs, so on a slow CPU stale guesses do not pile up in
        front of the one that matters."""
        if self._guess is not None:
            self._guess.cancel()
        self._guess = None

    def _judge_safely(self, audio: AudioSegment) -> G | None:
        try:
            return self._judge(audio)
        except Exception:  # a failed guess only costs the head start; the turn itself will report the fault
            log.exception("speculative understanding failed; waiting for the end of speech instead")
            return None

    @staticmethod
    def _is_whole_command(guess: G | None) -> bool:
        return guess is not None and guess.complete
