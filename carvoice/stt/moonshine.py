"""Moonshine (tiny-en, ONNX Runtime) behind `SpeechToText`: compute that grows with the speech.

    stt = MoonshineSpeechToText(moonshine_folder, SttOptions(vocabulary=load_vocabulary()))
    stt.transcribe(load_audio("audio_samples/wav/clim-01.wav")).text

Whisper encodes a fixed 30 s window whatever the length of the command; Moonshine's encoder takes the raw
samples of the speech alone (with half a second of silence either side), so a 2 s command costs a 3 s
encoding. The folder holds what the moonshine-voice package ships: `encoder_model.ort`,
`decoder_model_merged.ort` (ONNX Runtime format, run here by the stock onnxruntime that piper and Silero VAD
already use) and `tokenizer.bin`. Decoding is greedy, one token at a time with the decoder's key/value cache,
and stops at the end-of-text token or after `max_new_tokens`.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import onnxruntime
from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

from carvoice.audio.segment import SAMPLE_RATE
from carvoice.models.resolve import SttFormat
from carvoice.stt.base import Recognised, SpeechToText, SttError, SttOptions, max_new_tokens

ENCODER_FILE, DECODER_FILE, TOKENIZER_FILE = SttFormat.MOONSHINE.files
_MARGIN_S = 0.5
"""Silence put before and after the speech VAD kept: Moonshine misreads a first word that starts at once ("Twitch
off the AC"). Measured on the 125 sample commands: WER clean 18.3 -> 15.1 %, 5 dB 32.6 -> 27.2 % (0.25 s: 15.6 /
31.2 %; 1 s: 15.6 / 29.2 %)."""
_START, _END = 1, 2
"""Token ids: the decoder starts from <s> and stops at </s>."""
_WORD_START = "\u2581".encode()
"""SentencePiece's mark of a word's first piece: a space."""
_CONTROL_TOKEN = re.compile(rb"<[/a-z]+>|<<ST_[0-9]+>>")
"""<unk>, <s>, </s> and the unused <<ST_n>>: not text."""
_ORT_ERRORS = (ort_errors.Fail, ort_errors.InvalidArgument, ort_errors.InvalidGraph, ort_errors.InvalidProtobuf,
               ort_errors.NoSuchFile, ort_errors.NotImplemented, ort_errors.RuntimeException, OSError)
"""What onnxruntime raises for a file that is no model, or a model that is not Moonshine."""


class MoonshineSpeechToText(SpeechToText):
    """A Moonshine model loaded once and kept warm."""

    name = "moonshine"
    language = "en"

    def __init__(self, model_path: Path | str, options: SttOptions = SttOptions()) -> None:
        super().__init__(options)
        started = time.perf_counter()
        folder = Path(model_path)
        _check_folder(folder)
        self._encoder = _session(folder / ENCODER_FILE, options.threads)
        self._decoder = _session(folder / DECODER_FILE, options.threads)
        self._empty_cache, self._present_at = _cache_layout(self._decoder, folder)
        self._pieces = read_tokenizer(folder / TOKENIZER_FILE, self._decoder.get_outputs()[0].shape[-1])
        try:
            self._warm_up()
        except _ORT_ERRORS as error:
            raise SttError(f"the model in {folder} does not run as Moonshine: {type(error).__name__}: {error}"
                           ) from error
        self.load_s = time.perf_counter() - started

    def _recognise(self, speech: np.ndarray) -> Recognised:
        started = time.perf_counter()
        silence = np.zeros(round(_MARGIN_S * SAMPLE_RATE), dtype=np.float32)
        samples = np.concatenate([silence, speech.astype(np.float32), silence])[None]
        mask = np.ones_like(samples, np.int64)
        hidden = self._encoder.run(None, {"input_values": samples, "attention_mask": mask})[0]
        encode_s = time.perf_counter() - started
        tokens, logprobs = self._greedy({"encoder_hidden_states": hidden, "encoder_attention_mask": mask},
                                        max_new_tokens(len(speech)))
        return Recognised(self._text(tokens), float(np.mean(logprobs)), None, encode_s)

    def _greedy(self, fixed: dict[str, np.ndarray], limit: int) -> tuple[list[int], list[float]]:
        """The most likely token at each step from <s>, until </s> or `limit` tokens, with their
        log-probabilities (</s>'s included). `fixed`: the encoder's output, and its mask over the samples (the
        decoder shrinks that to the output's length itself; a mask of the output's length breaks past ~10 s)."""
        cache = self._empty_cache
        tokens, logprobs = [_START], []
        while len(tokens) <= limit:
            outputs = self._decoder.run(None, {**fixed, **cache, "input_ids": np.array([[tokens[-1]]]),
                                               "use_cache_branch": np.array([len(tokens) > 1])})
            logits = outputs[0][0, -1].astype(np.float64)
            token = int(np.argmax(logits))
            logprobs.append(float(logits[token] - logits.max() - np.log(np.exp(logits - logits.max()).sum())))
            if token == _END:
                break
            tokens.append(token)
            cache = self._next_cache(cache, outputs, first=len(tokens) == 2)
        return tokens[1:], logprobs

    def _next_cache(self, cache: dict[str, np.ndarray], outputs: list[np.ndarray], first: bool
                    ) -> dict[str, np.ndarray]:
        """The decoder's own keys/values grow each step; the encoder's are computed at the first step only."""
        return {name: outputs[at] if first or ".decoder." in name else cache[name]
                for name, at in self._present_at.items()}

    def _text(self, tokens: list[int]) -> str:
        joined = b"".join(self._pieces[token] for token in tokens).replace(_WORD_START, b" ")
        return joined.decode("utf-8", errors="replace").strip()


def read_tokenizer(path: Path, vocabulary_size: int) -> list[bytes]:
    """The bytes of each token, by id, from Moonshine's `tokenizer.bin`: one length byte, then that many bytes
    (control tokens such as <s> are dropped, byte tokens <0x00>..<0xFF> are the byte itself)."""
    data = path.read_bytes()
    pieces, at = [], 0
    while at < len(data):
        length = data[at]
        pieces.append(data[at + 1 : at + 1 + length])
        at += 1 + length
    if at != len(data) or len(pieces) != vocabulary_size:
        raise SttError(f"{path} is not the Moonshine tokenizer of this model: {len(pieces)} tokens read, "
                       f"the decoder writes {vocabulary_size}")
    return [b"" if _CONTROL_TOKEN.fullmatch(piece) else piece for piece in pieces]


def _check_folder(folder: Path) -> None:
    missing = SttFormat.MOONSHINE.missing(folder)
    if missing:
        raise SttError(f"{folder} is not a Moonshine model folder ({', '.join(missing)} missing)")


def _cache_layout(decoder: onnxruntime.InferenceSession, folder: Path) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The empty key/value cache of the first step (0 positions), and where each cache input's next value is
    among the decoder's outputs ("past_key_values.0.decoder.key" comes back as "present.0.decoder.key")."""
    inputs = [i for i in decoder.get_inputs() if i.name.startswith("past_key_values.")]
    outputs = [o.name for o in decoder.get_outputs()]
    present = {i.name: i.name.replace("past_key_values.", "present.", 1) for i in inputs}
    if not inputs or not set(present.values()) <= set(outputs):
        raise SttError(f"{folder / DECODER_FILE} is not a Moonshine decoder with a key/value cache")
    empty = {i.name: np.zeros((1, i.shape[1], 0, i.shape[3]), np.float32) for i in inputs}
    return empty, {name: outputs.index(output) for name, output in present.items()}


def _session(path: Path, threads: int) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except _ORT_ERRORS as error:
        raise SttError(f"cannot load the Moonshine model file {path}: {type(error).__name__}: {error}") from error
