"""Speech-to-text, tuned for short spoken commands: one interface, one backend per kind of model.

    stt = load_speech_to_text(model_folder, SttOptions(vocabulary=load_vocabulary()))
    transcript = stt.transcribe(load_audio("audio_samples/wav/clim-01.wav"))
    transcript.text, transcript.confidence, transcript.timings.total_s

The folder's files pick the backend: a CTranslate2 whisper folder (`model.bin`, `config.json`) runs on
faster-whisper (`whisper.py`), a Moonshine folder (`encoder_model.ort`, `decoder_model_merged.ort`,
`tokenizer.bin`) on ONNX Runtime (`moonshine.py`). What they share, silence trimming, vocabulary mending and
the `Transcript`, is written once in `base.py` and `words.py`.
"""

from __future__ import annotations

from pathlib import Path

from carvoice.models.resolve import SttFormat, stt_folder_problem, stt_format
from carvoice.stt.base import SpeechToText, SttError, SttOptions, SttTimings, Transcript, load_vocabulary
from carvoice.stt.moonshine import MoonshineSpeechToText
from carvoice.stt.whisper import WhisperSpeechToText, biasing_context
from carvoice.stt.words import drop_repetition, mend_phrases

BACKENDS: dict[SttFormat, type[SpeechToText]] = {
    SttFormat.WHISPER: WhisperSpeechToText,
    SttFormat.MOONSHINE: MoonshineSpeechToText,
}


def load_speech_to_text(model_path: Path | str, options: SttOptions = SttOptions()) -> SpeechToText:
    """The model in `model_path`, loaded by the backend its files call for, warm."""
    return backend_for(Path(model_path))(model_path, options)


def backend_for(model_path: Path) -> type[SpeechToText]:
    """The backend class of the model folder `model_path`, or a one-line SttError naming what is missing."""
    found = stt_format(model_path)
    if found is None:
        raise SttError(f"{model_path}: {stt_folder_problem(model_path)}")
    return BACKENDS[found]


__all__ = [
    "BACKENDS", "MoonshineSpeechToText", "SpeechToText", "SttError", "SttOptions", "SttTimings", "Transcript",
    "WhisperSpeechToText", "backend_for", "biasing_context", "drop_repetition", "load_speech_to_text",
    "load_vocabulary", "mend_phrases",
]
