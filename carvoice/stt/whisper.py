"""Whisper (faster-whisper, CTranslate2) behind `SpeechToText`, tuned for short spoken commands.

    stt = WhisperSpeechToText(whisper_folder, SttOptions(vocabulary=load_vocabulary()))
    stt.transcribe(load_audio("audio_samples/wav/clim-01.wav")).text

What it does beyond calling whisper (silence trimming and vocabulary mending are `SpeechToText`'s), and why:
- Whisper's encoder works on a 30 s window, padded with silence, whatever the input length; on a 2-core
  CPU that alone costs ~0.25 s for tiny.en. CTranslate2 accepts shorter inputs: a 12 s window halves the
  time of a command at the same WER on clean speech, but in cabin noise the WER is much worse, and 20 s is no
  better (`bench stt`, 125 commands, 2026-12-05, AMD EPYC with AVX-512: WER at 10 / 5 dB 11.0 / 17.1 % with
  30 s, 12.2 / 23.1 % with 12 s, 14.8 / 26.7 % with 20 s), so the default keeps whisper's 30 s.
  The window is padded with silent audio rather than zero features (what faster-whisper does): lower WER.
- Where a command's time goes (same machine, 30 clips): the encoder ~265 ms, decoding ~155 ms (beam 5 after
  the ~200 tokens of vocabulary context), log-Mel features 11 ms, VAD 4 ms. Greedy decoding saves ~40 ms for
  +1.9 / +2.1 WER points at 10 / 5 dB; float32 weights encode 28 % slower than int8.
- After decoding, whisper's own no-speech probability and the average log-probability reject what is
  still not speech (the same rule faster-whisper applies between segments).
- Domain vocabulary ("defrost", artist and street names) and a free prompt string bias decoding as
  whisper's previous-text context.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

from carvoice.audio.segment import SAMPLE_RATE
from carvoice.stt.base import FULL_WINDOW_S, Recognised, SpeechToText, SttError, SttOptions, max_new_tokens

_WINDOW_MARGIN_S = 1.0


class WhisperSpeechToText(SpeechToText):
    """A faster-whisper model loaded once and kept warm."""

    name = "whisper"

    def __init__(self, model_path: Path | str, options: SttOptions = SttOptions()) -> None:
        super().__init__(options)
        started = time.perf_counter()
        self._model = _load_model(Path(model_path), options)
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer, self._model.model.is_multilingual, task="transcribe",
            language=options.language,
        )
        self.language = self._tokenizer.language_code
        self._prompt = self._build_prompt()
        self._warm_up()
        self.load_s = time.perf_counter() - started

    def _recognise(self, speech: np.ndarray) -> Recognised:
        started = time.perf_counter()
        window = np.zeros(self._window_samples(len(speech)), dtype=np.float32)
        window[: len(speech)] = speech
        # The extractor returns one frame more than samples / 160; the encoder wants an even count (3000).
        encoder_output = self._model.encode(self._model.feature_extractor(window)[:, :-1])
        encode_s = time.perf_counter() - started
        result, avg_logprob, _, _ = self._model.generate_with_fallback(
            encoder_output, self._prompt, self._tokenizer, self._generation_options(len(speech))
        )
        text = self._tokenizer.decode(result.sequences_ids[0]).strip()
        return Recognised(text, avg_logprob, result.no_speech_prob, encode_s)

    def _window_samples(self, speech_samples: int) -> int:
        """Whole seconds, at least `encoder_window_s` and the speech plus a margin, at most 30 s."""
        wanted_s = max(self.options.encoder_window_s, speech_samples / SAMPLE_RATE + _WINDOW_MARGIN_S)
        return min(FULL_WINDOW_S, math.ceil(wanted_s)) * SAMPLE_RATE

    def _rejection(self, recognised: Recognised) -> str | None:
        no_speech = recognised.no_speech_prob or 0.0
        unsure = recognised.avg_logprob < self.options.log_prob_threshold
        if recognised.text and no_speech > self.options.no_speech_threshold and (
            unsure or no_speech > self.options.certain_no_speech
        ):
            return f"whisper judged it not speech (no-speech probability {no_speech:.2f})"
        return super()._rejection(recognised)

    def _build_prompt(self) -> list[int]:
        context = biasing_context(self.options.prompt, self.options.vocabulary)
        tokens = self._tokenizer.encode(" " + context) if context else []
        return self._model.get_prompt(self._tokenizer, tokens, without_timestamps=True)

    def _generation_options(self, speech_samples: int) -> TranscriptionOptions:
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
            max_new_tokens=min(max_new_tokens(speech_samples), self._model.max_length // 2), clip_timestamps="0",
            hallucination_silence_threshold=None, hotwords=None,
        )


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


def _load_model(model_path: Path, options: SttOptions) -> WhisperModel:
    if not (model_path / "model.bin").is_file():
        raise SttError(f"{model_path} is not a CTranslate2 whisper model folder (no model.bin in it)")
    if options.seed is not None:
        ctranslate2.set_random_seed(options.seed)
    try:
        return WhisperModel(
            str(model_path), device="cpu", compute_type=options.compute_type, cpu_threads=options.threads
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise SttError(f"cannot load the whisper model in {model_path}: {error}") from error

