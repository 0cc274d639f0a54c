"""A recording played into the microphone code as if it were a live input stream.

For demos and tests on machines without a sound card, and for replaying a problem recording exactly:

    Microphone(stream_factory=replay_stream_factory(audio, 48000), stream_format=StreamFormat(48000, 2, None))

Blocks are handed to the callback from a separate thread, as PortAudio does; in real time, or as fast as
possible (endpointing counts samples, not wall-clock time, so it decides the same either way). The
recording goes on between streams, like the world outside a live microphone: in real time a second
`listen()` hears what follows the first command; at full speed the first stream has already played it all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from carvoice.audio.mic import BlockCallback, InputStreamFactory


class _Recording:
    """The audio and how far it has been played: re-opening the stream continues where the last one stopped,
    as a live microphone would have gone on in the meantime."""

    def __init__(self, frames: np.ndarray) -> None:
        self.frames = frames.astype(np.float32, copy=False)
        self.position = 0


class ReplayInputStream:
    def __init__(self, recording: _Recording, *, samplerate: int, blocksize: int, channels: int,
                 callback: BlockCallback, finished_callback: Callable[[], None], realtime: bool) -> None:
        if recording.frames.shape[1] != channels:
            raise ValueError(f"replayed audio must be (frames, {channels}); got shape {recording.frames.shape}")
        self._recording = recording
        self._samplerate, self._blocksize, self._realtime = samplerate, blocksize, realtime
        self._callback, self._finished_callback = callback, finished_callback
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replay-input", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def close(self) -> None:
        self.stop()

    def _run(self) -> None:
        recording = self._recording
        while recording.position < len(recording.frames) and not self._stopping.is_set():
            block = recording.frames[recording.position : recording.position + self._blocksize]
            recording.position += len(block)
            if self._realtime:
                time.sleep(len(block) / self._samplerate)
            self._callback(block, len(block), None, None)
        self._finished_callback()


def replay_stream_factory(audio: np.ndarray, realtime: bool = False) -> InputStreamFactory:
    """A `Microphone` stream factory that plays `audio` ((frames,) or (frames, channels) at the stream's rate)."""
    recording = _Recording(audio.reshape(-1, 1) if audio.ndim == 1 else audio)

    def open_stream(*, samplerate: int, blocksize: int, channels: int, device: int | None,
                    callback: BlockCallback, finished_callback: Callable[[], None]) -> ReplayInputStream:
        return ReplayInputStream(recording, samplerate=samplerate, blocksize=blocksize, channels=channels,
                                 callback=callback, finished_callback=finished_callback, realtime=realtime)

    return open_stream
