"""What every speech-to-text backend shares: the options, the `Transcript`, and `SpeechToText.transcribe`.

    stt = load_speech_to_text(model_folder, SttOptions(vocabulary=load_vocabulary()))
    transcript = stt.transcribe(load_audio("audio_samples/wav/clim-01.wav"))
    transcript.text, transcript.timings.total_s

`transcribe` is written once: it checks the input, cuts the audio to its speech with Silero VAD (shipped with
faster-whisper; no speech at all gives an empty transcript, since a model left alone on silence or noise tends
to invent words), hands the speech window by window to the backend's `_recognise`, rejects what the backend
judges not speech, and mends domain words (`carvoice.stt.words`). A backend only recognises one window.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import yaml
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps
from pydantic import BaseModel, ConfigDict

from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.errors import CarvoiceError
from carvoice.shipped import shipped_dir
from carvoice.stt.words import drop_repetition, mend_phrases

VOCABULARY_FILE = shipped_dir("audio_samples") / "vocabulary.yaml"
"""Domain phrases (grouped): what the car knows about, for `SttOptions.vocabulary`."""
FULL_WINDOW_S = 30
"""Whisper's window. Moonshine, made for short live segments, is given speech in windows of the same size."""
MAX_WINDOW_SPEECH_S = 28
"""Speech handed to the backend at once: leaves room for a margin of silence inside 30 s."""
TOKENS_PER_SECOND_LIMIT = 12
"""Fast speech is ~4 words/s; a model writing more than this per second of speech is looping."""


class SttError(CarvoiceError):
    """The speech-to-text model could not be loaded or run."""


@dataclass(frozen=True)
class SttOptions:
    """How a speech-to-text model runs. Fields marked (whisper) only change what whisper does: Moonshine
    decodes greedily with no preceding text, and has no no-speech probability."""

    language: str = "en"
    beam_size: int = 5
    """(whisper) Beam width; 1 is greedy."""
    threads: int = 2
    """CPU threads of the model's own computation."""
    compute_type: str = "int8"
    """(whisper) CTranslate2's weight type."""
    encoder_window_s: float = 30.0
    """(whisper) Length of audio the encoder sees (speech, then silence): 30 is whisper's own window. Shorter
    is faster (the encoder's cost grows with it) and as good on clean speech, worse in noise; below ~10 s
    whisper starts repeating itself."""
    trim_silence: bool = True
    """Cut the audio to the speech found by Silero VAD before transcribing."""
    vocabulary: tuple[str, ...] = ()
    """Domain phrases to favour (intent words, artists, streets): every backend mends words heard one letter
    wrong inside them (`mend_phrases`); whisper is also told them as preceding text (`biasing_context`)."""
    prompt: str | None = None
    """(whisper) Free text given to whisper as the preceding context (its `initial_prompt`), before the
    vocabulary. Whisper keeps at most 223 tokens of context: pick the phrases that matter now (the current
    screen, the media library's top artists) rather than everything."""
    vad_threshold: float = 0.5
    min_speech_s: float = 0.25
    """Less speech than this (after VAD trimming) is no command: an empty transcript, the model not run."""
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    """(whisper) Whisper's rule: no-speech probability above `no_speech_threshold` with an average
    log-probability below `log_prob_threshold` is not speech."""
    certain_no_speech: float = 0.9
    """(whisper) Above this no-speech probability the text is dropped however confident it is: on silence
    whisper says "you" or "Thank you." with a high log-probability, so its own rule lets them through."""
    temperatures: tuple[float, ...] = (0.0, 0.4)
    """(whisper) Greedy first; sampling at the next temperature only if the greedy result looks like a
    repetition loop (compression ratio above 2.4) or is unsure (average log-probability below
    `log_prob_threshold`)."""
    seed: int | None = 0
    """(whisper) The seed of that sampling, so that a run repeats itself: the same clips in the same order give
    the same text. CTranslate2 keeps one generator per worker thread, seeded when the thread first samples, so
    the seed holds for a whole process, not per clip. None: a new draw every process."""
    max_audio_s: float = 60.0
    """Longer audio is refused rather than transcribed: a command lasts seconds, and ten minutes of audio
    would hold the assistant for minutes."""

    def __post_init__(self) -> None:
        if not 1.0 <= self.encoder_window_s <= FULL_WINDOW_S:
            raise ValueError(f"encoder_window_s must be between 1 and 30 seconds, got {self.encoder_window_s}")
        if self.max_audio_s <= 0:
            raise ValueError(f"max_audio_s must be positive, got {self.max_audio_s}")
        if self.beam_size < 1 or self.threads < 1:
            raise ValueError("beam_size and threads must be at least 1")


class SttTimings(BaseModel):
    model_config = ConfigDict(frozen=True)
    vad_s: float = 0.0
    encode_s: float = 0.0
    """The encoder (with whisper, the mel features too)."""
    decode_s: float = 0.0
    total_s: float = 0.0


class Transcript(BaseModel):
    """What was said in one piece of audio, with how sure the model is and what it cost."""

    model_config = ConfigDict(frozen=True)
    text: str
    confidence: float
    """exp(average token log-probability): 1.0 is certain; 0 for an empty transcript."""
    language: str
    audio_duration_s: float
    speech_duration_s: float
    no_speech_prob: float | None
    """Whisper's probability that the audio holds no speech (1.0 when VAD found none); None from a model that
    does not estimate it (Moonshine)."""
    rejected: str | None = None
    """Why the text is empty, when it is."""
    source: str = ""
    speech_ended_at: float | None = None
    """Copied from the audio: the time.monotonic() moment the speaker stopped."""
    timings: SttTimings = SttTimings()

    @property
    def is_empty(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Recognised:
    """What a backend made of some speech."""

    text: str
    avg_logprob: float
    no_speech_prob: float | None
    encode_s: float
    """Of the time it took, the part spent encoding the audio."""


NOTHING_HEARD = Recognised("", -math.inf, 1.0, 0.0)


class SpeechToText(ABC):
    """A speech-to-text model loaded once and kept warm; `transcribe` may be called any number of times.
    Made by `load_speech_to_text`, which picks the backend from the model's files."""

    name: ClassVar[str]
    """The kind of model, in messages: "whisper", "moonshine"."""
    language: str
    """The transcripts' language code."""
    load_s: float
    """Seconds the model took to load and warm up."""

    def __init__(self, options: SttOptions) -> None:
        self.options = options
        self._vad_options = VadOptions(threshold=options.vad_threshold, min_silence_duration_ms=500, speech_pad_ms=200)

    @abstractmethod
    def _recognise(self, speech: np.ndarray) -> Recognised:
        """The text of at most `MAX_WINDOW_SPEECH_S` of speech (16 kHz float32 samples)."""

    def _rejection(self, recognised: Recognised) -> str | None:
        """Why the recognised text is not to be trusted, or None."""
        return None if recognised.text else f"{self.name} heard no words"

    def _warm_up(self) -> None:
        """Load the VAD and run the model once, so the first command does not pay for their set-up."""
        one_second = np.zeros(SAMPLE_RATE, dtype=np.float32)
        self._speech_only(one_second)
        self._recognise(one_second)

    def transcribe(self, audio: AudioSegment | np.ndarray) -> Transcript:
        """Transcribe 16 kHz mono audio (an AudioSegment, or float32 samples)."""
        segment = audio if isinstance(audio, AudioSegment) else AudioSegment(np.asarray(audio), "array")
        self._check_input(segment)
        started = time.perf_counter()
        speech = self._speech_only(segment.samples)
        vad_s = time.perf_counter() - started
        speech_duration_s = len(speech) / SAMPLE_RATE
        if speech_duration_s < self.options.min_speech_s:
            recognised, rejected = NOTHING_HEARD, "no speech detected"
        else:
            recognised = self._recognise_windows(speech)
            rejected = self._rejection(recognised)
        total_s = time.perf_counter() - started
        encode_s = recognised.encode_s
        return Transcript(
            text="" if rejected else mend_phrases(recognised.text, self.options.vocabulary),
            confidence=0.0 if rejected else math.exp(recognised.avg_logprob),
            language=self.language, audio_duration_s=segment.duration_s, speech_duration_s=speech_duration_s,
            no_speech_prob=recognised.no_speech_prob, rejected=rejected, source=segment.source,
            speech_ended_at=segment.speech_ended_at,
            timings=SttTimings(vad_s=vad_s, encode_s=encode_s, decode_s=total_s - vad_s - encode_s, total_s=total_s),
        )

    def _check_input(self, segment: AudioSegment) -> None:
        if segment.duration_s > self.options.max_audio_s:
            raise SttError(f"the audio {segment.source!r} lasts {segment.duration_s:.0f} s; a spoken command may "
                           f"last at most {self.options.max_audio_s:g} s: trim the recording to the command")
        if not np.isfinite(segment.samples).all():
            raise SttError(f"the audio {segment.source!r} holds samples that are not numbers (NaN or infinity)")

    def _speech_only(self, samples: np.ndarray) -> np.ndarray:
        if not self.options.trim_silence:
            return samples
        chunks = get_speech_timestamps(samples, self._vad_options)
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        pieces, _ = collect_chunks(samples, chunks)
        return np.concatenate(pieces)

    def _recognise_windows(self, speech: np.ndarray) -> Recognised:
        """Recognise `speech` window by window (one window for any command); a window's text that is one phrase
        over and over (a model's looping failure) is cut to the phrase."""
        window = MAX_WINDOW_SPEECH_S * SAMPLE_RATE
        pieces = [self._recognise(speech[start : start + window]) for start in range(0, len(speech), window)]
        no_speech = [piece.no_speech_prob for piece in pieces if piece.no_speech_prob is not None]
        texts = [drop_repetition(piece.text) for piece in pieces]
        return Recognised(
            text=" ".join(text for text in texts if text),
            avg_logprob=float(np.mean([piece.avg_logprob for piece in pieces])),
            no_speech_prob=min(no_speech) if no_speech else None,
            encode_s=sum(piece.encode_s for piece in pieces),
        )


def max_new_tokens(speech_samples: int) -> int:
    """The most tokens a backend writes for this much speech: more would be a repetition loop."""
    return 10 + math.ceil(speech_samples / SAMPLE_RATE * TOKENS_PER_SECOND_LIMIT)


def load_vocabulary(path: Path = VOCABULARY_FILE) -> tuple[str, ...]:
    """The phrases of a vocabulary file (groups of phrases, flattened), for `SttOptions.vocabulary`."""
    try:
        groups = yaml.safe_load(path.read_text(encoding="utf-8"))
        return tuple(phrase for phrases in groups.values() for phrase in phrases)
    except (OSError, yaml.YAMLError, AttributeError, TypeError) as error:
        raise SttError(f"cannot read the vocabulary {str(path)!r}: {error}") from error
