"""Speech-to-text with the real Moonshine tiny-en behind the same interface as whisper: the folder picks the
backend, recordings come out as their text, and a wrong folder is a one-line error (silence giving nothing is
tested for both backends in test_stt.py)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from carvoice.audio.decode import load_audio
from carvoice.audio.segment import AudioSegment
from carvoice.bench.samples import load_commands
from carvoice.cli import main
from carvoice.stt import (
    MoonshineSpeechToText, SpeechToText, SttError, Transcript, WhisperSpeechToText, load_speech_to_text,
)
from carvoice.stt.moonshine import read_tokenizer
from carvoice.suites.loader import WAV_DIR
from carvoice.text.wer import normalise, word_error_rate

RECORDINGS = [c for c in load_commands() if c.engine == "piper"][:12]
"""Repo recordings (audio_samples/wav/*.wav, piper joe) with what they say."""


def test_the_folder_s_files_pick_the_backend(moonshine_stt: SpeechToText, stt: SpeechToText) -> None:
    assert isinstance(moonshine_stt, MoonshineSpeechToText) and moonshine_stt.name == "moonshine"
    assert isinstance(stt, WhisperSpeechToText)


def test_a_recording_is_transcribed_as_its_text(moonshine_stt: SpeechToText, command_audio: AudioSegment) -> None:
    transcript = moonshine_stt.transcribe(replace(command_audio, speech_ended_at=7.0))

    assert normalise(transcript.text) == "set the temperature to twenty two degrees"
    assert transcript.language == "en" and transcript.rejected is None and transcript.no_speech_prob is None
    assert 0.5 < transcript.confidence <= 1.0 and transcript.speech_ended_at == 7.0
    timings = transcript.timings
    assert timings.total_s == pytest.approx(timings.vad_s + timings.encode_s + timings.decode_s)
    assert min(timings.vad_s, timings.encode_s, timings.decode_s) > 0


def test_recordings_come_out_close_to_what_was_said(moonshine_stt: SpeechToText) -> None:
    heard = [moonshine_stt.transcribe(load_audio(WAV_DIR / f"{c.id}.wav")).text for c in RECORDINGS]

    assert word_error_rate([c.text for c in RECORDINGS], heard) < 0.15


def test_longer_speech_is_read_in_full_at_a_cost_that_grows_with_it(moonshine_stt: SpeechToText,
                                                                      command_audio: AudioSegment) -> None:
    names = [f"clim-{number:02d}" for number in range(1, 7)]
    long_audio = np.concatenate([load_audio(WAV_DIR / f"{name}.wav").samples for name in names])

    def fastest(samples: np.ndarray) -> Transcript:
        return min((moonshine_stt.transcribe(samples) for _ in range(3)), key=lambda t: t.timings.encode_s)

    long, short = fastest(long_audio), fastest(command_audio.samples)
    assert normalise(long.text).startswith("set the temperature") and normalise(long.text).endswith("two degrees")
    assert long.speech_duration_s > 12 and long.timings.encode_s > 2 * short.timings.encode_s


def _copy_without(source: Path, target: Path, *dropped: str) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*dropped, "verified.json"))
    return target


def test_a_folder_missing_a_model_file_is_named_in_one_line(moonshine_tiny_path: Path, tmp_path: Path) -> None:
    folder = _copy_without(moonshine_tiny_path, tmp_path / "moonshine", "decoder_model_merged.ort")

    with pytest.raises(SttError, match=r"not a Moonshine folder: decoder_model_merged.ort missing$"):
        load_speech_to_text(folder)
    with pytest.raises(SttError, match=r"is not a Moonshine model folder \(decoder_model_merged.ort missing\)"):
        MoonshineSpeechToText(folder)


def test_a_damaged_model_file_is_a_clear_error(moonshine_tiny_path: Path, tmp_path: Path) -> None:
    folder = _copy_without(moonshine_tiny_path, tmp_path / "moonshine", "encoder_model.ort")
    (folder / "encoder_model.ort").write_bytes(b"not a model")

    with pytest.raises(SttError, match="cannot load the Moonshine model file .*encoder_model.ort"):
        load_speech_to_text(folder)


def test_a_tokenizer_of_another_model_is_refused(moonshine_tiny_path: Path, tmp_path: Path) -> None:
    folder = _copy_without(moonshine_tiny_path, tmp_path / "moonshine", "tokenizer.bin")
    (folder / "tokenizer.bin").write_bytes(b"\x05<unk>\x03<s>\x04</s>")

    with pytest.raises(SttError, match="not the Moonshine tokenizer of this model: 3 tokens read"):
        load_speech_to_text(folder)


def test_a_wrong_model_folder_on_the_command_line_is_one_line_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "tokenizer.bin").write_bytes(b"")

    code = main(["stt", str(WAV_DIR / "clim-01.wav"), "--stt", str(tmp_path)])

    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert err.strip().splitlines() == [f"carvoice: error: {tmp_path}: not a Moonshine folder: "
                                        "encoder_model.ort, decoder_model_merged.ort missing"]


def test_the_tokenizer_file_gives_each_id_its_bytes_and_control_tokens_no_text(tmp_path: Path) -> None:
    path = tmp_path / "tokenizer.bin"
    path.write_bytes(b"\x05<unk>\x03<s>\x04</s>\x01\x00\x05\xe2\x96\x81Hi\x02<>\x09<<ST_12>>")

    assert read_tokenizer(path, 7) == [b"", b"", b"", b"\x00", "\u2581Hi".encode(), b"<>", b""]
    with pytest.raises(SttError, match="7 tokens read, the decoder writes 8"):
        read_tokenizer(path, 8)
