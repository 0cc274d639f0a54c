"""Speech-to-text with faster-whisper (CTranslate2), tuned for short spoken commands.

One public entry point: `SpeechToText(model_path, options).transcribe(audio) -> Transcript`.

What it does beyond calling whisper, and why:
- Silero VAD (shipped with faster-whisper) first cuts the audio down to its speech. No speech at all gives
  an empty transcript: whisper left alone on silence or noise tends to invent "Thank you.".
- Whisper's encoder works on a 30 s window, padded with silence, whatever the input length; on a 2-core
  CPU that alone costs ~0.2 s for tiny.en. CTranslate2 accepts shorter inputs: `encoder_window_s=12`
  encodes a command ~4x faster at the same WER on clean speech, but measured on the sample set its WER
  in cabin noise is much worse (5 dB SNR: 15 % instead of 9 %), so the default keeps whisper's 30 s.
  The window is padded with silent audio rather than zero features (what faster-whisper does): lower WER.
- After decoding, whisper's own no-speech probability and the average log-probability reject what is
  still not speech (the same rule faster-whisper applies between segments).
- Domain vocabulary ("defrost", artist and street names) and a free prompt string bias decoding as
  whisper's previous-text context.
- A transcript that is one phrase repeated (whisper's looping failure) is cut to the phrase.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps
from pydantic import BaseModel, ConfigDict

from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.errors import CarvoiceError

_PUNCTUATION = ".,!?;:\"'"
VOCABULARY_FILE = Path(__file__).resolve().parents[1] / "audio_samples" / "vocabulary.yaml"
"""Domain phrases (grouped) that whisper is told came before the audio: what the car knows about."""

_FULL_WINDOW_S = 30
_WINDOW_MARGIN_S = 1.0
_MAX_WINDOW_SPEECH_S = 28  # leaves room for the margin inside whisper's 30 s
_TOKENS_PER_SECOND_LIMIT = 12
_PUNCTUATION = ".,!?;:\"'"  # fast speech is ~4 words/s; beyond this whisper is looping


class SttError(CarvoiceError):
    """The speech-to-text model could not be loaded or run."""


@dataclass(frozen=True)
class SttOptions:
    language: str = "en"
    beam_size: int = 5
    threads: int = 2
    compute_type: str = "int8"
    encoder_window_s: float = 30.0
    """Length of audio the encoder sees (speech, then silence): 30 is whisper's own window. Shorter is
    faster (the encoder's cost grows with it) and as good on clean speech, worse in noise; below ~10 s
    whisper starts repeating itself."""
    trim_silence: bool = True
    """Cut the audio to the speech found by Silero VAD before transcribing."""
    vocabulary: tuple[str, ...] = ()
    """Domain phrases to favour (intent words, artists, streets); see `biasing_context`."""
    prompt: str | None = None
    """Free text given to whisper as the preceding context (its `initial_prompt`), before the vocabulary.
    Whisper keeps at most 223 tokens of context: pick the phrases that matter now (the current screen,
    the media library's top artists) rather than everything."""
    vad_threshold: float = 0.5
    min_speech_s: float = 0.25
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    """Whisper's rule: no-speech probability above `no_speech_threshold` with an average log-probability
    below `log_prob_threshold` is not speech."""
    certain_no_speech: float = 0.9
    """Above this no-speech probability the text is dropped however confident it is: on silence whisper
    says "you" or "Thank you." with a high log-probability, so its own rule lets them through."""
    temperatures: tuple[float, ...] = (0.0, 0.4)
    """Greedy first; sampling at the next temperature only if the result looks like a repetition loop."""
    max_audio_s: float = 60.0
    """Longer audio is refused rather than transcribed: a command lasts seconds, and ten minutes of audio
    would hold the assistant for minutes."""

    def __post_init__(self) -> None:
        if not 1.0 <= self.encoder_window_s <= _FULL_WINDOW_S:
            raise ValueError(f"encoder_window_s must be between 1 and 30 seconds, got {self.encoder_window_s}")
        if self.max_audio_s <= 0:
            raise ValueError(f"max_audio_s must be positive, got {self.max_audio_s}")
        if self.beam_size < 1 or self.threads < 1:
            raise ValueError("beam_size and threads must be at least 1")


class SttTimings(BaseModel):
    model_config = ConfigDict(frozen=True)
    vad_s: float = 0.0
    encode_s: float = 0.0
    """Mel features and the encoder."""
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
    no_speech_prob: float
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
class _Decoded:
    text: str
    avg_logprob: float
    no_speech_prob: float


class SpeechToText:
    """A faster-whisper model loaded once and kept warm; `transcribe` may be called any number of times."""

    def __init__(self, model_path: Path | str, options: SttOptions = SttOptions()) -> None:
        self.options = options
        started = time.perf_counter()
        self._model = _load_model(Path(model_path), options)
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer, self._model.model.is_multilingual, task="transcribe",
            language=options.language,
        )
        self._prompt = self._build_prompt()
        self._vad_options = VadOptions(threshold=options.vad_threshold, min_silence_duration_ms=500, speech_pad_ms=200)
        self._warm_up()
        self.load_s = time.perf_counter() - started

    def _warm_up(self) -> None:
        """Load the VAD and run the model once, so the first command does not pay for their set-up."""
        one_second = np.zeros(SAMPLE_RATE, dtype=np.float32)
        self._speech_only(one_second)
        self._decode(one_second)

    def transcribe(self, audio: AudioSegment | np.ndarray) -> Transcript:
        """Transcribe 16 kHz mono audio (an AudioSegment, or float32 samples)."""
        segment = audio if isinstance(audio, AudioSegment) else AudioSegment(np.asarray(audio), "array")
        self._check_input(segment)
        started = time.perf_counter()
        speech = self._speech_only(segment.samples)
        vad_s = time.perf_counter() - started
        speech_duration_s = len(speech) / SAMPLE_RATE
        if speech_duration_s < self.options.min_speech_s:
            decoded, rejected = _Decoded("", -math.inf, 1.0), "no speech detected"
            encode_s = 0.0
        else:
            decoded, encode_s = self._decode(speech)
            rejected = self._rejection(decoded)
        total_s = time.perf_counter() - started
        return Transcript(
            text="" if rejected else mend_phrases(decoded.text, self.options.vocabulary),
            confidence=0.0 if rejected else math.exp(decoded.avg_logprob),
            language=self._tokenizer.language_code,
            audio_duration_s=segment.duration_s,
            speech_duration_s=speech_duration_s,
            no_speech_prob=decoded.no_speech_prob,
            rejected=rejected,
            source=segment.source,
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

    def _decode(self, speech: np.ndarray) -> tuple[_Decoded, float]:
        """Decode `speech` window by window (one window for any command); returns it and the encoding time."""
        window = _MAX_WINDOW_SPEECH_S * SAMPLE_RATE
        pieces = [self._decode_window(speech[start : start + window]) for start in range(0, len(speech), window)]
        decoded = _Decoded(
            text=" ".join(piece.text for piece, _ in pieces if piece.text),
            avg_logprob=float(np.mean([piece.avg_logprob for piece, _ in pieces])),
            no_speech_prob=min(piece.no_speech_prob for piece, _ in pieces),
        )
        return decoded, sum(encode_s for _, encode_s in pieces)

    def _decode_window(self, speech: np.ndarray) -> tuple[_Decoded, float]:
        started = time.perf_counter()
        window = np.zeros(self._window_samples(len(speech)), dtype=np.float32)
        window[: len(speech)] = speech
        # The extractor returns one frame more than samples / 160; the encoder wants an even count (3000).
        encoder_output = self._model.encode(self._model.feature_extractor(window)[:, :-1])
        encode_s = time.perf_counter() - started
        result, avg_logprob, _, _ = self._model.generate_with_fallback(
            encoder_output, self._prompt, self._tokenizer, self._generation_options(len(speech))
        )
        text = drop_repetition(self._tokenizer.decode(result.sequences_ids[0]).strip())
        return _Decoded(text, avg_logprob, result.no_speech_prob), encode_s

    def _window_samples(self, speech_samples: int) -> int:
        """Whole seconds, at least `encoder_window_s` and the speech plus a margin, at most 30 s."""
        wanted_s = max(self.options.encoder_window_s, speech_samples / SAMPLE_RATE + _WINDOW_MARGIN_S)
        return min(_FULL_WINDOW_S, math.ceil(wanted_s)) * SAMPLE_RATE

    def _rejection(self, decoded: _Decoded) -> str | None:
        if not decoded.text:
            return "whisper heard no words"
        unsure = decoded.avg_logprob < self.options.log_prob_threshold
        if decoded.no_speech_prob > self.options.no_speech_threshold and (
            unsure or decoded.no_speech_prob > self.options.certain_no_speech
        ):
            return f"whisper judged it not speech (no-speech probability {decoded.no_speech_prob:.2f})"
        return None

    def _build_prompt(self) -> list[int]:
        context = biasing_context(self.options.prompt, self.options.vocabulary)
        tokens = self._tokenizer.encode(" " + context) if context else []
        return self._model.get_prompt(self._tokenizer, tokens, without_timestamps=True)

    def _generation_options(self, speech_samples: int) -> TranscriptionOptions:
        max_new_tokens = 10 + math.ceil(speech_samples / SAMPLE_RATE * _TOKENS_PER_SECOND_LIMIT)
        return TranscriptionOptions(
            beam_size=self.options.beam_size, best_of=1, patience=1.0, length_penalty=1.0,
            repetition_penalty=1.0, no_repeat_ngram_size=0,
            log_prob_threshold=self.options.log_prob_threshold,
            no_speech_threshold=self.options.no_speech_threshold,
            compression_ratio_threshold=2.4, condition_on_previous_text=False, prompt_reset_on_temperature=0.5,
            temperatures=list(self.options.temperatures), initial_prompt=None, prefix=None,
            suppress_blank=True, suppress_tokens=get_suppressed_tokens(self._tokenizer, [-1]),
            without_timestamps=True, max_initial_timestamp=1.0, word_timestamps=False,
            prepend_punctuations="", append_punctuations="", multilingual=False,
            max_new_tokens=min(max_new_tokens, self._model.max_length // 2), clip_timestamps="0",
            hallucination_silence_threshold=None, hotwords=None,
        )


def mend_phrases(text: str, vocabulary: tuple[str, ...]) -> str:
    """A word heard one letter wrong inside a vocabulary phrase of several words, with the rest of the phrase
    right beside it ("seat, Keater" for "seat heater", "rear widow"), becomes the vocabulary's word. Single
    words are left alone: one letter away from a car word is often another real word."""
    words = text.split()
    plain = [word.strip(_PUNCTUATION).lower() for word in words]
    for phrase in (p.split() for p in vocabulary if " " in p.strip()):
        wanted = [word.lower() for word in phrase]
        for start in range(len(plain) - len(phrase) + 1):
            wrong = [i for i, word in enumerate(wanted) if plain[start + i] != word]
            if len(wrong) == 1 and len(wanted[wrong[0]]) >= 4 and _one_edit(plain[start + wrong[0]], wanted[wrong[0]]):
                at = start + wrong[0]
                words[at] = phrase[wrong[0]] + words[at][len(words[at].rstrip(_PUNCTUATION)):]
                plain[at] = wanted[wrong[0]]
    return " ".join(words)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by changing, adding or dropping one letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def load_vocabulary(path: Path = VOCABULARY_FILE) -> tuple[str, ...]:
    """The phrases of a vocabulary file (groups of phrases, flattened), for `SttOptions.vocabulary`."""
    try:
        groups = yaml.safe_load(path.read_text(encoding="utf-8"))
        return tuple(phrase for phrases in groups.values() for phrase in phrases)
    except (OSError, yaml.YAMLError, AttributeError, TypeError) as error:
        raise SttError(f"cannot read the vocabulary {str(path)!r}: {error}") from error


def biasing_context(prompt: str | None, vocabulary: tuple[str, ...]) -> str:
    """The text whisper is told came before the audio: the prompt, then the vocabulary as a sentence.

    Given as previous text rather than as faster-whisper's `hotwords`: measured on the sample set, hotwords
    (a bare list) made tiny.en drop capitals and end on commas as if continuing the list, and raised WER,
    while the same words as a preceding sentence lowered it.
    """
    parts = [prompt.strip()] if prompt and prompt.strip() else []
    if vocabulary:
        parts.append(", ".join(vocabulary) + ".")
    return " ".join(parts)


def drop_repetition(text: str) -> str:
    """Cut a whisper repetition loop: "Turn on the AC. Turn on the AC. Turn on" -> "Turn on the AC."

    If the words repeat one leading group throughout (the last copy may be cut short), keep that group.
    """
    words = text.split()
    keys = [word.strip(_PUNCTUATION).lower() for word in words]
    for period in range(1, len(words) // 2 + 1):
        if all(keys[i] == keys[i % period] for i in range(period, len(words))):
            return " ".join(words[:period])
    return text


def _load_model(model_path: Path, options: SttOptions) -> WhisperModel:
    if not (model_path / "model.bin").is_file():
        raise SttError(f"{model_path} is not a CTranslate2 whisper model folder (no model.bin in it)")
    try:
        return WhisperModel(
            str(model_path), device="cpu", compute_type=options.compute_type, cpu_threads=options.threads
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise SttError(f"cannot load the whisper model in {model_path}: {error}") from error

