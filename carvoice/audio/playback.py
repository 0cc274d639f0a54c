"""Playing speech through a speaker, stoppable at any moment (barge-in), or writing it to a WAV file.

    player = Player(device=None)
    mic = Microphone(on_event=player.stop_on_speech)    # the user talking over the reply stops it
    result = player.play(tts.stream(reply))              # blocks until done or stopped

Audio is written to the output stream in short blocks, and the stop flag is checked between blocks, so
playback stops within one block (~50 ms) of `stop()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile

from carvoice.audio.devices import find_device, load_sounddevice
from carvoice.audio.events import AudioEvent, ListeningState, StateChanged
from carvoice.audio.resample import StreamResampler
from carvoice.errors import CarvoiceError
from carvoice.tts import SpeechChunk

BLOCK_SECONDS = 0.05


class PlaybackError(CarvoiceError):
    pass


class OutputStream(Protocol):
    def start(self) -> None: ...
    def write(self, samples: np.ndarray) -> object: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


class OutputStreamFactory(Protocol):
    def __call__(self, *, samplerate: int, channels: int, device: int | None) -> OutputStream: ...


def sounddevice_output(*, samplerate: int, channels: int, device: int | None) -> OutputStream:
    sd = load_sounddevice()
    return sd.OutputStream(samplerate=samplerate, channels=channels, device=device, dtype="float32")


@dataclass(frozen=True)
class PlaybackResult:
    first_audio_at: float | None
    """time.monotonic() when the first block was handed to the speaker."""
    played_s: float
    interrupted: bool


class Player:
    def __init__(
        self,
        device: str | int | None = None,
        stream_factory: OutputStreamFactory = sounddevice_output,
        sample_rate: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`sample_rate` defaults to the device's own rate; give it with a custom `stream_factory`."""
        self._device = None if sample_rate else find_device(device, "output")
        self.sample_rate = sample_rate or self._device.default_sample_rate
        self._stream_factory = stream_factory
        self._clock = clock
        self._stop = threading.Event()

    def play(self, chunks: Iterable[SpeechChunk]) -> PlaybackResult:
        """Play the chunks as they come; returns early if `stop()` is called (from any thread)."""
        self._stop.clear()
        stream = self._open()
        first_audio_at, played = None, 0
        try:
            for block in self._blocks(chunks):
                if self._stop.is_set():
                    break
                stream.write(block.reshape(-1, 1))
                first_audio_at = first_audio_at or self._clock()
                played += len(block)
        finally:
            stream.stop()
            stream.close()
        return PlaybackResult(first_audio_at, played / self.sample_rate, interrupted=self._stop.is_set())

    def stop(self) -> None:
        self._stop.set()

    def stop_on_speech(self, event: AudioEvent) -> None:
        """A microphone listener for barge-in: stops playback when the user starts speaking."""
        if isinstance(event, StateChanged) and event.state is ListeningState.HEARING:
            self.stop()

    def _open(self) -> OutputStream:
        device = self._device.index if self._device else None
        try:
            stream = self._stream_factory(samplerate=self.sample_rate, channels=1, device=device)
            stream.start()
        except CarvoiceError:
            raise
        except Exception as error:  # PortAudio reports device trouble with several exception types
            raise PlaybackError(f"cannot open the speaker ({type(error).__name__}: {error})") from error
        return stream

    def _blocks(self, chunks: Iterable[SpeechChunk]) -> Iterable[np.ndarray]:
        """The chunks resampled to the device rate, cut into BLOCK_SECONDS blocks."""
        resampler: StreamResampler | None = None
        block = round(BLOCK_SECONDS * self.sample_rate)
        for chunk in chunks:
            resampler = resampler or StreamResampler(chunk.sample_rate, self.sample_rate)
            samples = resampler.process(chunk.samples)
            for start in range(0, len(samples), block):
                yield samples[start : start + block]
        if resampler is not None:
            yield resampler.flush()


@dataclass(frozen=True)
class WavResult:
    path: Path
    duration_s: float
    sample_rate: int


def write_wav(chunks: Iterable[SpeechChunk], path: Path | str) -> WavResult:
    """Write the chunks, as they come, to a 16-bit mono WAV at the voice's own rate."""
    path = Path(path)
    frames = 0
    writer: soundfile.SoundFile | None = None
    try:
        for chunk in chunks:
            if writer is None:
                writer = _open_wav(path, chunk.sample_rate)
            writer.write(chunk.samples)
            frames += len(chunk.samples)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise PlaybackError(f"nothing was synthesised, so {path} was not written")
    return WavResult(path, frames / writer.samplerate, writer.samplerate)


def _open_wav(path: Path, sample_rate: int) -> soundfile.SoundFile:
    try:
        return soundfile.SoundFile(path, "w", samplerate=sample_rate, channels=1, subtype="PCM_16")
    except (OSError, soundfile.LibsndfileError, RuntimeError) as error:
        raise PlaybackError(f"cannot write {path}: {error}") from error
