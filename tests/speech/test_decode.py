"""Decoding audio files of every common kind into 16 kHz mono float32."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
import soundfile

from carvoice.audio.decode import AudioDecodeError, from_array, load_audio
from carvoice.audio.resample import StreamResampler, resample
from carvoice.audio.segment import SAMPLE_RATE

FORMATS = [
    ("wav", "PCM_U8"), ("wav", "PCM_16"), ("wav", "PCM_24"), ("wav", "PCM_32"), ("wav", "FLOAT"),
    ("wav", "DOUBLE"), ("flac", "PCM_16"), ("flac", "PCM_24"), ("ogg", "VORBIS"),
]
RATES = [8000, 16000, 22050, 44100, 48000]


@pytest.mark.parametrize(("extension", "subtype"), FORMATS)
@pytest.mark.parametrize("rate", RATES)
def test_every_format_and_rate_becomes_16k_mono_with_the_same_sound(tmp_path: Path, extension: str, subtype: str,
                                                                     rate: int, tone, dominant_hz) -> None:
    path = tmp_path / f"tone.{extension}"
    soundfile.write(path, tone(1.0, 440.0, rate), rate, subtype=subtype)

    segment = load_audio(path)

    assert segment.samples.dtype == np.float32 and segment.samples.ndim == 1
    assert segment.duration_s == pytest.approx(1.0, abs=0.01)
    assert dominant_hz(segment.samples) == pytest.approx(440.0, abs=3.0)
    assert np.abs(segment.samples).max() == pytest.approx(0.5, abs=0.05)
    assert segment.source == str(path)


def test_stereo_is_mixed_to_mono(tmp_path: Path, tone) -> None:
    left, right = tone(1.0, 440.0, 44100), tone(1.0, 1000.0, 44100)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, np.stack([left, right], axis=1), 44100)

    samples = load_audio(path).samples

    spectrum = np.abs(np.fft.rfft(samples))
    freqs = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    assert spectrum[np.abs(freqs - 440).argmin()] == pytest.approx(spectrum[np.abs(freqs - 1000).argmin()], rel=0.1)
    assert np.abs(samples).max() <= 0.5 + 1e-3  # averaged, not summed


def test_formats_libsndfile_cannot_read_go_through_ffmpeg(tmp_path: Path, tone, dominant_hz) -> None:
    path = tmp_path / "speech.m4a"
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=48000, layout="stereo")
        samples = np.stack([tone(1.0, 440.0, 48000)] * 2)
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="stereo")
        frame.sample_rate = 48000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)

    segment = load_audio(path)

    assert segment.duration_s == pytest.approx(1.0, abs=0.05)
    assert dominant_hz(segment.samples) == pytest.approx(440.0, abs=3.0)


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: None, "no such file"),
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_text("this is not audio at all\n" * 50), "not a supported audio format"),
    (lambda p: p.mkdir(), "not a regular file"),
])
def test_unreadable_input_is_a_clear_error_naming_the_file(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "command.wav"
    make(path)

    with pytest.raises(AudioDecodeError) as raised:
        load_audio(path)

    assert str(path) in str(raised.value) and reason in str(raised.value)


def test_a_wav_header_without_samples_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    soundfile.write(path, np.zeros(0, dtype=np.float32), 16000)

    with pytest.raises(AudioDecodeError, match="no audio samples"):
        load_audio(path)


def test_resampling_removes_what_the_target_rate_cannot_hold(tone) -> None:
    """A 10 kHz tone at 48 kHz would alias to 6 kHz at 16 kHz without the low-pass filter."""
    high = tone(1.0, 10_000.0, 48000)
    audible = tone(1.0, 1_000.0, 48000)

    out_high, out_audible = resample(high, 48000), resample(audible, 48000)

    assert np.sqrt(np.mean(out_high**2)) < 0.01 * np.sqrt(np.mean(out_audible**2))


def test_block_by_block_resampling_matches_the_whole_signal(tone) -> None:
    signal = tone(0.5, 440.0, 44100)
    resampler = StreamResampler(44100)

    blocks = [resampler.process(block) for block in np.array_split(signal, 17)] + [resampler.flush()]

    np.testing.assert_allclose(np.concatenate(blocks), resample(signal, 44100), atol=1e-6)


def test_arrays_are_accepted_as_frames_by_channels(tone, dominant_hz) -> None:
    stereo = np.stack([tone(0.5, 300.0, 8000), tone(0.5, 300.0, 8000)], axis=1)

    segment = from_array(stereo, 8000, "array")

    assert segment.duration_s == pytest.approx(0.5, abs=0.01)
    assert dominant_hz(segment.samples) == pytest.approx(300.0, abs=4.0)
