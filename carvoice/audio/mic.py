"""The microphone: capture at the device's native rate, resample to 16 kHz, endpoint with VAD.

    mic = Microphone(device=None, on_event=print)
    utterance = mic.listen()                  # hands-free: returns when the speaker has finished
    utterance = mic.listen(judge=understand)  # smart endpointing: ends as soon as the speech is a whole command
    utterance = mic.listen(wake=wake)         # the command after the wake word (carvoice/audio/wake.py)
    utterance = mic.push_to_talk(released)    # push-to-talk: returns when `released` (an Event) is set

The input stream is made by a factory (sounddevice's `InputStream` by default) so tests can feed WAV
files through exactly the same path. Blocks arrive on PortAudio's thread and are queued; all processing
happens on the caller's thread.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from carvoice.audio.devices import find_device, load_sounddevice
from carvoice.audio.endpoint import FRAME_SAMPLES, EndpointOptions, Endpointer, EndReason, Utterance
from carvoice.audio.events import EventListener, ListeningState, StateChanged, ignore_events
from carvoice.audio.resample import StreamResampler, to_mono
from carvoice.audio.speculation import G, SmartEndOptions, Speculation
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.audio.wake import Frame, WakeGate, WakeWord
from carvoice.errors import CarvoiceError

BLOCK_SECONDS = 0.032
_IDLE_POLL_S = 0.05
STALL_S = 2.0
"""A live stream that sends nothing for this long has lost its device (unplugged, or taken by another app)."""


class MicrophoneError(CarvoiceError):
    pass


class InputStream(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


BlockCallback = Callable[[np.ndarray, int, Any, Any], None]
"""sounddevice's callback shape: (indata as (frames, channels) float32, frames, time_info, status)."""


class InputStreamFactory(Protocol):
    """Makes a stream that calls `callback` with each captured block and `finished_callback` when it ends."""

    def __call__(self, *, samplerate: int, blocksize: int, channels: int, device: int | None,
                 callback: BlockCallback, finished_callback: Callable[[], None]) -> InputStream: ...


@dataclass(frozen=True)
class StreamFormat:
    sample_rate: int
    channels: int
    device: int | None


def sounddevice_stream(*, samplerate: int, blocksize: int, channels: int, device: int | None,
                       callback: BlockCallback, finished_callback: Callable[[], None]) -> InputStream:
    sd = load_sounddevice()
    return sd.InputStream(samplerate=samplerate, blocksize=blocksize, channels=channels, device=device,
                          dtype="float32", callback=callback, finished_callback=finished_callback)


def native_format(device: str | int | None) -> StreamFormat:
    """The chosen microphone at its own sample rate (resampling is ours, so every device works)."""
    info = find_device(device, "input")
    return StreamFormat(info.default_sample_rate, min(info.input_channels, 2), info.index)


class Microphone:
    def __init__(
        self,
        device: str | int | None = None,
        options: EndpointOptions = EndpointOptions(),
        on_event: EventListener = ignore_events,
        stream_factory: InputStreamFactory = sounddevice_stream,
        stream_format: StreamFormat | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`stream_format` defaults to the device's native one; pass it with a custom `stream_factory`."""
        self.format = stream_format or native_format(device)
        self._stream_factory = stream_factory
        self._clock = clock
        self._on_event = on_event
        self._options = options
        self._endpointer = Endpointer(options, on_event)
        self._blocks: queue.Queue[tuple[np.ndarray, float]] = queue.Queue()
        self._stream_closed = threading.Event()

    def listen(self, timeout_s: float | None = None, judge: Callable[[AudioSegment], G] | None = None,
               smart: SmartEndOptions = SmartEndOptions(), wake: WakeWord | None = None) -> Utterance[G] | None:
        """Wait for one spoken command; None if no speech starts within `timeout_s` of audio, or the stream ends.

        With a `judge` (speech to understanding), endpointing is smart (see speculation.py): the utterance
        ends as soon as the judge finds a whole command in a pause, and carries that judgement as `guess`.
        With a `wake` word (see wake.py), only speech after it counts, and `timeout_s` is the wait for it.
        """
        self._endpointer.options = smart.endpoint_options(self._options) if judge else self._options
        gate = WakeGate(wake, self._on_event) if wake is not None else None
        if judge is None:
            return self._hear(timeout_s, None, gate)
        speculation = Speculation(judge, smart)
        utterance = None
        try:
            utterance = self._hear(timeout_s, speculation, gate)
        finally:
            utterance, guess = speculation.settle(utterance)
        return replace(utterance, guess=guess) if utterance is not None else None

    def _hear(self, timeout_s: float | None, speculation: Speculation | None, gate: WakeGate | None
              ) -> Utterance | None:
        frames_to_wait = None if timeout_s is None else timeout_s * SAMPLE_RATE / FRAME_SAMPLES
        frames_waited = 0
        with self._capturing(ListeningState.ASLEEP if gate else ListeningState.WAITING):
            for frame, captured_at in self._frames():
                admitted = [(frame, captured_at)] if gate is None else gate.admit(frame, captured_at, self._endpointer)
                utterance = self._endpoint(admitted, speculation)
                if utterance is not None:
                    return utterance
                frames_waited += not gate.awake if gate else self._endpointer.state is ListeningState.WAITING
                if frames_to_wait is not None and frames_waited >= frames_to_wait:
                    return None
            return self._endpointer.finish(EndReason.SILENCE)  # the stream ran out

    def _endpoint(self, frames: list[Frame], speculation: Speculation | None) -> Utterance | None:
        """Feed the endpointer (and the smart guess); the utterance as soon as one is complete."""
        for frame, captured_at in frames:
            utterance = self._endpointer.feed(frame, captured_at)
            if utterance is None and speculation is not None:
                utterance = speculation.step(self._endpointer)
            if utterance is not None:
                return utterance
        return None

    def push_to_talk(self, released: threading.Event, max_s: float = 30.0) -> Utterance | None:
        """Record everything from now until `released` is set (or `max_s`); None if nothing was captured.

        The release is the end of speech (latency counts from it). VAD still runs, for the UI's level
        meter and speech state, but does not cut the recording.
        """
        frames: list[np.ndarray] = []
        reason = EndReason.RELEASED
        with self._capturing():
            for frame, captured_at in self._frames(stop=released):
                self._endpointer.feed(frame, captured_at)
                frames.append(frame)
                if len(frames) * FRAME_SAMPLES >= max_s * SAMPLE_RATE:
                    reason = EndReason.MAX_LENGTH
                    break
        if not frames:
            return None
        return Utterance(AudioSegment(np.concatenate(frames), "microphone", speech_ended_at=self._clock()), reason)

    @contextmanager
    def _capturing(self, listening: ListeningState = ListeningState.WAITING) -> Iterator[None]:
        stream = self._open(listening)
        try:
            yield
        finally:
            stream.stop()
            stream.close()
            self._on_event(StateChanged(ListeningState.IDLE, self._clock()))

    def _open(self, listening: ListeningState) -> InputStream:
        self._blocks = queue.Queue()
        self._stream_closed.clear()
        self._resampler = StreamResampler(self.format.sample_rate)
        self._pending = np.zeros(0, dtype=np.float32)
        self._endpointer.reset()
        try:
            stream = self._stream_factory(
                samplerate=self.format.sample_rate, blocksize=round(BLOCK_SECONDS * self.format.sample_rate),
                channels=self.format.channels, device=self.format.device, callback=self._on_block,
                finished_callback=self._stream_closed.set,
            )
            stream.start()
        except CarvoiceError:
            raise
        except Exception as error:  # PortAudio reports device trouble with several exception types
            raise MicrophoneError(f"cannot open the microphone ({type(error).__name__}: {error})") from error
        self._last_block_at = self._clock()
        self._on_event(StateChanged(listening, self._clock()))
        return stream

    def _check_not_stalled(self) -> None:
        silent_s = self._clock() - self._last_block_at
        if silent_s > STALL_S:
            raise MicrophoneError(f"the microphone stopped sending audio ({silent_s:.1f} s without a block): "
                                  "was it unplugged?")

    def _on_block(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's thread: stamp the block with the moment its last sample was captured, and queue it."""
        self._blocks.put((to_mono(np.array(indata, dtype=np.float32)), self._clock()))

    def _frames(self, stop: threading.Event | None = None) -> Iterator[tuple[np.ndarray, float]]:
        """16 kHz frames of FRAME_SAMPLES with the capture time of each frame's last sample."""
        while stop is None or not stop.is_set():
            try:
                block, captured_at = self._blocks.get(timeout=_IDLE_POLL_S)
            except queue.Empty:
                if self._stream_closed.is_set():
                    return
                self._check_not_stalled()
                continue
            self._last_block_at = self._clock()
            converted = self._resampler.process(block)
            self._pending = np.concatenate([self._pending, converted])
            usable = len(self._pending) - len(self._pending) % FRAME_SAMPLES
            for start in range(0, usable, FRAME_SAMPLES):
                frame_end = (usable - start - FRAME_SAMPLES) / SAMPLE_RATE
                yield self._pending[start : start + FRAME_SAMPLES], captured_at - frame_end
            self._pending = self._pending[usable:]
