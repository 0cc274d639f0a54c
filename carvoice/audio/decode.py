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


class AudioDecodeError(CarvoiceError):
    """An audio file could not be read; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"cannot read audio file {str(path)!r}: {reason}")
        self.path = Path(path)
        self.reason = reason


def load_audio(path: Path | str) -> AudioSegment:
    """Decode `path`, mix it to mono and resample it to 16 kHz."""
    path = Path(path)
    if not path.is_file():
        raise AudioDecodeError(path, "no such file" if not path.exists() else "not a regular file")
    if path.stat().st_size == 0:
        raise AudioDecodeError(path, "the file is empty")
    samples, rate = _decode(path)
    if len(samples) == 0:
        raise AudioDecodeError(path, "the file holds no audio samples")
    return from_array(samples, rate, source=str(path))


def from_array(samples: np.ndarray, sample_rate: int, source: str) -> AudioSegment:
    """Turn (frames,) or (frames, channels) audio at any rate into an `AudioSegment`."""
    mono = to_mono(np.asarray(samples, dtype=np.float32))
    return AudioSegment(resample(mono, sample_rate, SAMPLE_RATE), source)


def _decode(path: Path) -> tuple[np.ndarray, int]:
    try:
        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
        return samples, rate
    except (soundfile.LibsndfileError, RuntimeError) as libsndfile_error:
        try:
            return _decode_with_ffmpeg(path)
        except (av.FFmpegError, ValueError) as ffmpeg_error:
            reason = f"not a supported audio format ({libsndfile_error}; FFmpeg: {ffmpeg_error})"
            raise AudioDecodeError(path, reason) from ffmpeg_error


def _decode_with_ffmpeg(path: Path) -> tuple[np.ndarray, int]:
    """Decode the first audio stream to float32 (frames, channels) at its own rate."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            raise ValueError("the file has no audio stream")
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels
        converter = av.AudioResampler(format="flt", layout=stream.layout.name, rate=stream.rate)
        blocks = [
            converted.to_ndarray().reshape(-1, channels)
            for frame in container.decode(stream)
            for converted in converter.resample(frame)
        ]
        rate = stream.rate
    if not blocks:
        return np.zeros((0, 1), dtype=np.float32), rate
    return np.concatenate(blocks), rate
