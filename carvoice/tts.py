"""Text-to-speech with piper (piper-tts 1.8), streamed sentence by sentence.

    tts = TextToSpeech(voice_path)            # loads the voice once
    stream = tts.stream("Setting 22 degrees. Anything else?")
    for chunk in stream: play(chunk)          # the first chunk comes after the first sentence only
    stream.timings.first_audio_s

Piper's cost grows with the length of what it synthesises in one go, so the reply is cut into sentences
and a long first sentence is cut once more at its first clause boundary (comma, semicolon, colon, dash):
the first audio is then ready in a fraction of the time of the whole reply. Pieces a car says again word for
word ("Done.", "Anything else?", "Sorry, I can't do that while driving.") are kept as audio, the most
recently said `cached_pieces` of them, and not synthesised again.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnxruntime
from piper import PiperVoice

from carvoice.errors import CarvoiceError

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?=[-–—]\s)")


# Control characters piper cannot take (a NUL makes it raise); said as a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TtsError(CarvoiceError):
    pass


@dataclass(frozen=True)
class SpeechChunk:
    """One piece of the reply: mono float32 samples in [-1, 1] and the text they say."""

    samples: np.ndarray
    sample_rate: int
    text: str
    index: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass
class SynthesisTimings:
    first_audio_s: float | None = None
    """From the call to the first chunk being ready."""
    total_s: float = 0.0
    audio_s: float = 0.0

    @property
    def real_time_factor(self) -> float:
        """Synthesis time per second of audio (below 1 is faster than real time)."""
        return self.total_s / self.audio_s if self.audio_s else 0.0


@dataclass
class SpeechStream:
    """The chunks of one reply, produced as they are iterated; `timings` fill in along the way."""

    _chunks: Iterator[SpeechChunk]
    timings: SynthesisTimings = field(default_factory=SynthesisTimings)

    def __iter__(self) -> Iterator[SpeechChunk]:
        started = time.perf_counter()
        for chunk in self._chunks:
            elapsed = time.perf_counter() - started
            if self.timings.first_audio_s is None:
                self.timings.first_audio_s = elapsed
            self.timings.total_s = elapsed
            self.timings.audio_s += chunk.duration_s
            yield chunk
            started = time.perf_counter() - elapsed  # time spent by the consumer is not synthesis time


class TextToSpeech:
    def __init__(self, voice_path: Path | str, first_chunk_words: int = 6, cached_pieces: int = 64,
                 seed: int | None = 0) -> None:
        """`first_chunk_words`: a first sentence longer than this is cut at its first clause boundary.
        `cached_pieces`: how many recently said pieces are kept as audio (0: always synthesise).
        `seed`: piper draws noise for every piece, so a text never sounds quite the same twice; with a seed, a
        voice loaded afresh says the same texts in the same order the same way (a benchmark that speaks its
        inputs repeats itself). None: new draws every time."""
        started = time.perf_counter()
        self.voice_path = Path(voice_path)
        if seed is not None:
            onnxruntime.set_seed(seed)  # read once, by the voice's random kernels as its session is built
        self._voice = _load_voice(self.voice_path)
        self.first_chunk_words = first_chunk_words
        self.sample_rate: int = self._voice.config.sample_rate
        self._said: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cached_pieces = cached_pieces
        self.synthesize("Ready.")  # onnxruntime sizes its buffers on the first run; not on the first reply
        self.load_s = time.perf_counter() - started

    def stream(self, text: str) -> SpeechStream:
        pieces = split_for_streaming(_CONTROL.sub(" ", text), self.first_chunk_words)
        if not pieces:
            raise TtsError("there is nothing to say: the text is empty")
        return SpeechStream(self._synthesise(pieces))

    def synthesize(self, text: str) -> tuple[np.ndarray, SynthesisTimings]:
        """The whole reply as one array, with its timings; TtsError when the voice makes no sound of it."""
        stream = self.stream(text)
        chunks = [chunk.samples for chunk in stream]
        if not chunks:
            raise TtsError(f"there is nothing to say: the voice makes no sound of {text!r}")
        return np.concatenate(chunks), stream.timings

    def _synthesise(self, pieces: list[str]) -> Iterator[SpeechChunk]:
        for index, piece in enumerate(pieces):
            samples = self._piece_audio(piece)
            if len(samples):
                yield SpeechChunk(samples, self.sample_rate, piece, index)

    def _piece_audio(self, piece: str) -> np.ndarray:
        if piece in self._said:
            self._said.move_to_end(piece)
            return self._said[piece]
        audio = [chunk.audio_float_array for chunk in self._voice.synthesize(piece)]
        samples = np.concatenate(audio) if audio else np.zeros(0, dtype=np.float32)
        if self.cached_pieces:
            self._said[piece] = samples
            while len(self._said) > self.cached_pieces:
                self._said.popitem(last=False)
        return samples


def split_for_streaming(text: str, first_chunk_words: int = 6) -> list[str]:
    """Sentences, with a long first sentence cut once at a clause boundary."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if not sentences or len(sentences[0].split()) <= first_chunk_words:
        return sentences
    head, *rest = _CLAUSE_END.split(sentences[0], maxsplit=1)
    return [head, *[r.strip() for r in rest], *sentences[1:]]


def _load_voice(voice_path: Path) -> PiperVoice:
    config = voice_path.with_name(voice_path.name + ".json")
    if not voice_path.is_file() or not config.is_file():
        raise TtsError(f"{voice_path}: a piper voice is an .onnx file with its .onnx.json config beside it")
    try:
        return PiperVoice.load(voice_path)
    except Exception as error:  # onnxruntime and json raise many kinds for a damaged voice
        raise TtsError(f"cannot load the piper voice {voice_path}: {type(error).__name__}: {error}") from error
