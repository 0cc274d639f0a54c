"""Reading audio files of any common kind into a 16 kHz mono `AudioSegment`.

libsndfile (soundfile) reads WAV of every sample format, FLAC and OGG/Vorbis; anything it cannot read
(MP3, M4A, WebM, ...) goes through FFmpeg via PyAV.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import soundfile

from carvoice.audio.resample import resample, to_mono
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.errors import CarvoiceError

MAX_FILE_SECONDS = 600.0
"""Longer files are refused before they are decoded: far beyond any command, and an hour of 48 kHz stereo
would take over a gigabyte of memory."""
SAMPLE_RATES = range(1_000, 384_001)
MAX_CHANNELS = 32
"""A header outside these is damaged (random bytes can claim two billion samples a second)."""


class AudioDecodeError(CarvoiceError):
    """An audio file could not be read; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"cannot read audio file {str(path)!r}: {reason}")
        self.path = Path(path)
        self.reason = reason


def load_audio(path: Path | str, max_seconds: float = MAX_FILE_SECONDS) -> AudioSegment:
    """Decode `path`, mix it to mono and resample it to 16 kHz; files longer than `max_seconds` are refused."""
    path = Path(path)
    if not path.is_file():
        raise AudioDecodeError(path, "no such file" if not path.exists() else "not a regular file")
    if path.stat().st_size == 0:
        raise AudioDecodeError(path, "the file is empty")
    samples, rate = _decode(path, max_seconds)
    if len(samples) == 0:
        raise AudioDecodeError(path, "the file holds no audio samples")
    if not np.isfinite(samples).all():
        raise AudioDecodeError(path, "some samples are not numbers (NaN or infinity): the file is damaged")
    return from_array(samples, rate, source=str(path))


def from_array(samples: np.ndarray, sample_rate: int, source: str) -> AudioSegment:
    """Turn (frames,) or (frames, channels) audio at any rate into an `AudioSegment`."""
    mono = to_mono(np.asarray(samples, dtype=np.float32))
    return AudioSegment(resample(mono, sample_rate, SAMPLE_RATE), source)


def _decode(path: Path, max_seconds: float) -> tuple[np.ndarray, int]:
    try:
        return _decode_with_libsndfile(path, max_seconds)
    except (soundfile.LibsndfileError, RuntimeError) as libsndfile_error:
        try:
            return _decode_with_ffmpeg(path, max_seconds)
        except (av.FFmpegError, ValueError, EOFError) as ffmpeg_error:
            reason = f"not a supported audio format ({libsndfile_error}; FFmpeg: {ffmpeg_error})"
            raise AudioDecodeError(path, reason) from ffmpeg_error


def _decode_with_libsndfile(path: Path, max_seconds: float) -> tuple[np.ndarray, int]:
    with soundfile.SoundFile(path) as audio:
        _check_format(path, audio.samplerate, audio.channels)
        _check_length(path, audio.frames, audio.samplerate, max_seconds)
        return audio.read(dtype="float32", always_2d=True), audio.samplerate


def _decode_with_ffmpeg(path: Path, max_seconds: float) -> tuple[np.ndarray, int]:
    """Decode the first audio stream to float32 (frames, channels) at its own rate."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            raise ValueError("the file has no audio stream")
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            raise ValueError("the audio stream cannot be decoded")
        channels = stream.codec_context.channels
        _check_format(path, stream.rate, channels)
        converter = av.AudioResampler(format="flt", layout=stream.layout.name, rate=stream.rate)
        blocks, frames = [], 0
        for frame in container.decode(stream):
            for converted in converter.resample(frame):
                blocks.append(converted.to_ndarray().reshape(-1, channels))
                frames += len(blocks[-1])
            _check_length(path, frames, stream.rate, max_seconds)
        rate = stream.rate
    if not blocks:
        return np.zeros((0, 1), dtype=np.float32), rate
    return np.concatenate(blocks), rate


def _check_format(path: Path, rate: int, channels: int) -> None:
    if rate not in SAMPLE_RATES or not 1 <= channels <= MAX_CHANNELS:
        raise AudioDecodeError(path, f"its header is damaged ({rate} Hz, {channels} channels)")


def _check_length(path: Path, frames: int, rate: int, max_seconds: float) -> None:
    if frames > max_seconds * rate:
        raise AudioDecodeError(path, f"it lasts over {max_seconds:g} s, far longer than a spoken command; "
                               "trim it to the command")
