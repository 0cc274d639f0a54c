"""Training texts as the product's ear hears them: a share of the generated examples is said by the configured
piper voice, mixed with cabin noise at a signal-to-noise ratio drawn from `HearingOptions.snrs_db`, and
transcribed by the configured speech-to-text model; the heard text replaces the written one, and the label stays
(it is what the speaker meant). Of a follow-up only the new utterance is heard: the previous turn stays as
written. A heard example is dropped when nothing was heard, or when a name or a number its label holds is no
longer in the words: such a label would teach the student to invent. The near-copy filter against the
evaluation sets runs on the heard text (dataset.py).

    carvoice train data --heard 0.3 --run runs/q05        # 30 % of the examples heard
    hearing = Hearing(HearingOptions(share=0.3), load_ear(settings))
    examples, report = generate_dataset(GenerationOptions(), catalog, hear=hearing)
    hearing.tried, hearing.dropped                          # heard examples, and those dropped by reason
    drop_reason(example, "play marina veil")                # None: kept, as the NLU stage keeps the name
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from carvoice.assistant.startup import load_speech
from carvoice.audio.noise import CabinCondition, cabin_noise, mix_at_snr
from carvoice.audio.resample import resample
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.config import Settings
from carvoice.nlu.grounding import ungrounded_names
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.understand import what_was_said
from carvoice.stt import SpeechToText
from carvoice.train.dataset import TrainingExample
from carvoice.train.errors import TrainError
from carvoice.tts import TextToSpeech

NOTHING_HEARD, NAME_LOST, NUMBER_LOST = "nothing heard", "name lost", "number lost"
"""Why a heard example is dropped: the keys of `Hearing.dropped` and of the data report's `heard_dropped`."""
PAD_S = 0.3
"""Seconds of silence (noise, once mixed) before and after the speech, as a microphone's endpointer hands it over."""
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class HearingOptions:
    share: float = 0.0
    """Probability (0..1) that a generated example is heard; 0 hears none and changes nothing."""
    snrs_db: tuple[float | None, ...] = (None, 20.0, 10.0, 5.0)
    """The levels a heard example is mixed at, one drawn at random: speech over cabin noise in dB, None for no
    noise (clean). Recorded on the example as the style `heard_<level>` beside `heard`."""
    condition: CabinCondition = CabinCondition()
    """The car the noise comes from (by default motorway cruising with the fan on medium)."""
    seed: int = 7
    """Seeds which examples are heard, their levels and their noise (apart from the generation's own draws)."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise TrainError(f"the heard share must be between 0 and 1, got {self.share:g}")


@dataclass(frozen=True)
class Ear:
    """The product's voice and recogniser, loaded once: `hear` says a text and writes down what is heard."""

    tts: TextToSpeech
    stt: SpeechToText

    def hear(self, text: str, snr_db: float | None, condition: CabinCondition, seed: int) -> str:
        """`text` said, mixed with the noise of `condition` (seeded) at `snr_db` (None: no noise), and transcribed."""
        samples, _ = self.tts.synthesize(text)
        pad = np.zeros(round(PAD_S * SAMPLE_RATE), dtype=np.float32)
        speech = np.concatenate([pad, resample(samples, self.tts.sample_rate), pad])
        if snr_db is not None:
            speech = mix_at_snr(speech, cabin_noise(len(speech) / SAMPLE_RATE, condition, seed), snr_db)
        return self.stt.transcribe(AudioSegment(speech, f"heard: {text}")).text


def load_ear(settings: Settings) -> Ear:
    """The configured voice and speech-to-text model (the pack's vocabulary, `settings.threads`), loaded as the
    assistant loads them."""
    stt, tts = load_speech(settings)
    return Ear(tts, stt)


class Hearing:
    """Hears each example it is given with probability `options.share` (a `generate_dataset` hook): returns it
    unchanged, heard, or None when the heard words no longer carry its label (counted in `dropped`)."""

    def __init__(self, options: HearingOptions, ear: Ear) -> None:
        self.options = options
        self.ear = ear
        self.tried = 0
        self.dropped: Counter[str] = Counter()
        self._rng = random.Random(f"heard {options.seed}")

    def __call__(self, example: TrainingExample) -> TrainingExample | None:
        if self._rng.random() >= self.options.share:
            return example
        snr_db = self._rng.choice(self.options.snrs_db)
        heard = self.ear.hear(example.text, snr_db, self.options.condition, self._rng.randrange(2**32))
        self.tried += 1
        reason = drop_reason(example, heard)
        if reason is not None:
            self.dropped[reason] += 1
            return None
        level = "clean" if snr_db is None else f"{snr_db:g}db"
        return example.model_copy(update={"text": heard, "styles": [*example.styles, "heard", f"heard_{level}"]})


def drop_reason(example: TrainingExample, heard: str) -> str | None:
    """Why `heard` cannot keep the example's label: nothing heard, or a name slot (grounding.py's check, which
    allows ASR slips) or a number slot said in the written text that the heard text lost; None keeps it."""
    if not any(char.isalnum() for char in heard):
        return NOTHING_HEARD
    if _unsupported_names(example, heard) - _unsupported_names(example, example.text):
        return NAME_LOST
    if _unsaid_numbers(example, heard) - _unsaid_numbers(example, example.text):
        return NUMBER_LOST
    return None


def _unsupported_names(example: TrainingExample, text: str) -> set[tuple[int, str]]:
    """(call, slot) of the name slots `text` (with the previous exchange, as the NLU stage reads it) lacks."""
    said = what_was_said(text, example.exchange)
    return {(number, slot) for number, call in enumerate(example.calls) for slot in ungrounded_names(call.slots, said)}


def _unsaid_numbers(example: TrainingExample, text: str) -> set[tuple[int, str]]:
    """(call, slot) of the number slots whose size is not among the numbers of `text` (words read as digits)."""
    said = {float(number) for number in _NUMBER.findall(normalize_transcript(text))}
    return {(number, slot) for number, call in enumerate(example.calls) for slot, value in call.slots.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) not in said}
