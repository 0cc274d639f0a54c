"""The wake word: microWakeWord (pymicro-wakeword's TensorFlow Lite models) listening for "okay nabu" in a
live 16 kHz stream, and the gate that keeps the microphone's endpointer closed until it is heard.

    wake = WakeWord(Path("okay_nabu.json"))           # a microWakeWord config, its .tflite beside it
    detection = wake.feed(frame, captured_at)          # float32 16 kHz samples, any length; a Detection or None
    scores = wake.trace(samples)                       # the score of every 30 ms step (benchmarks)
    utterance = microphone.listen(wake=wake)           # carvoice/audio/mic.py: the command after the wake word

The model scores every 30 ms of audio; the detector averages the last `window` scores (the model's own
sliding window) and fires when the average passes the threshold, then starts afresh. The average lags: it
passes the threshold about 0.12 s after the wake phrase ended, so the command said in the same breath
("okay nabu turn on the A/C") starts `lookback_s` before the detection; the wake phrase itself is not
handed on.
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymicro_wakeword
from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures

from carvoice.audio.endpoint import FRAME_SAMPLES, Endpointer, rms_dbfs
from carvoice.audio.events import EventListener, ListeningState, StateChanged, WakeScore, Woken
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.errors import CarvoiceError

STEP_S = 0.03
"""The model scores the audio in steps of three 10 ms feature windows."""


class WakeWordError(CarvoiceError):
    pass


@dataclass(frozen=True)
class WakeOptions:
    threshold: float | None = None
    """The averaged score above which the wake word counts as heard; None: the model's own cutoff."""
    lookback_s: float = 0.12
    """How long before the detection the command may start (the lag of the averaged score)."""
    command_wait_s: float = 4.0
    """After the wake word, how long the command may take to start before the wake word is needed again."""

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0 < self.threshold < 1:
            raise ValueError(f"the wake threshold must lie between 0 and 1, got {self.threshold}")
        if self.lookback_s < 0 or self.command_wait_s <= 0:
            raise ValueError("lookback_s must be >= 0 and command_wait_s > 0")


@dataclass(frozen=True)
class WakeModel:
    """A microWakeWord model as its .json config describes it."""

    name: str
    phrase: str
    """What is said, e.g. "Okay Nabu"."""
    tflite: Path
    cutoff: float
    """The threshold its authors chose."""
    window: int
    """Scores averaged for a detection."""


@dataclass(frozen=True)
class Detection:
    score: float
    """The averaged score that passed the threshold."""
    at: float
    """time.monotonic() of the audio in which it fired (the capture time of the frame)."""
    audio_s: float
    """Seconds of audio the detector had been fed, since it was made or last fired, when it fired."""


def read_wake_model(config: Path) -> WakeModel:
    """The model a microWakeWord .json config names; a clear error for anything else."""
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        micro = data["micro"]
        model = WakeModel(Path(data["model"]).stem, str(data["wake_word"]), config.parent / data["model"],
                          float(micro["probability_cutoff"]), int(micro["sliding_window_size"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise WakeWordError(f"{config}: not a microWakeWord config (.json with model, wake_word and micro "
                            f"probability_cutoff / sliding_window_size): {type(error).__name__}: {error}") from error
    if not model.tflite.is_file():
        raise WakeWordError(f"{config}: its model {model.tflite.name} is not beside it")
    return model


def _tflite_library() -> Path:
    found = sorted((Path(pymicro_wakeword.__file__).parent / "lib").glob("*tensorflowlite_c.*"))
    if not found:
        raise WakeWordError("pymicro-wakeword is installed without its TensorFlow Lite library")
    return found[0]


class WakeWord:
    """One wake-word model listening to one stream."""

    def __init__(self, config: Path, options: WakeOptions = WakeOptions()) -> None:
        self.model = read_wake_model(config)
        self.options = options
        self.threshold = options.threshold if options.threshold is not None else self.model.cutoff
        self._engine = MicroWakeWord(self.model.name, wake_word=self.model.phrase, tflite_model=self.model.tflite,
                                     probability_cutoff=self.threshold, sliding_window_size=1,
                                     trained_languages=[], libtensorflowlite_c_path=_tflite_library())
        self._features = MicroWakeWordFeatures()
        self._scores: deque[float] = deque(maxlen=self.model.window)
        self._pending_features = 0
        self._samples_fed = 0
        self.score = 0.0
        """The latest averaged score."""

    def feed(self, samples: np.ndarray, captured_at: float = 0.0) -> Detection | None:
        """Listen to the next samples; a Detection when the wake word was heard in them (the detector then
        starts afresh, so one wake word fires once)."""
        best = max(self._scores_of(samples), default=0.0)
        self._samples_fed += len(samples)
        if best <= self.threshold:
            return None
        detection = Detection(best, captured_at, self._samples_fed / SAMPLE_RATE)
        self.reset()
        return detection

    def trace(self, samples: np.ndarray) -> np.ndarray:
        """The averaged score after every 30 ms step of `samples`, without firing or starting afresh."""
        return np.array(self._scores_of(samples), dtype=np.float32)

    def reset(self) -> None:
        self._engine.reset()
        self._features.reset()
        self._scores.clear()
        self._pending_features = 0
        self._samples_fed = 0
        self.score = 0.0

    def _scores_of(self, samples: np.ndarray) -> list[float]:
        pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        scores = []
        for features in self._features.process_streaming(pcm):
            probability = self._engine.process_streaming_prob(features)
            self._pending_features = (self._pending_features + 1) % self._engine.stride
            if self._pending_features == 0 and probability is not None:  # the model ran on this step
                self._scores.append(probability)
                self.score = sum(self._scores) / self.model.window
                scores.append(self.score)
        return scores


Frame = tuple[np.ndarray, float]
"""A microphone frame and the time.monotonic() its last sample was captured."""


class WakeGate:
    """Between the microphone and its endpointer for one `listen`: the frames reach the endpointer only after
    the wake word, starting `lookback_s` before it fired; when no command starts within `command_wait_s`,
    the gate closes and waits for the wake word again."""

    def __init__(self, wake: WakeWord, on_event: EventListener) -> None:
        self._wake = wake
        self._on_event = on_event
        lookback_frames = math.ceil(wake.options.lookback_s * SAMPLE_RATE / FRAME_SAMPLES)
        self._recent: deque[Frame] = deque(maxlen=max(1, lookback_frames))
        self._wait_frames = round(wake.options.command_wait_s * SAMPLE_RATE / FRAME_SAMPLES)
        self._waited = 0
        self.awake = False

    def admit(self, frame: np.ndarray, captured_at: float, endpointer: Endpointer) -> list[Frame]:
        """The frames to hand the endpointer now: none while the gate is closed; on waking, the lookback."""
        if self.awake and endpointer.state is ListeningState.WAITING:
            self._waited += 1
            if self._waited > self._wait_frames:
                self._close(endpointer, captured_at)
        if self.awake:
            return [(frame, captured_at)]
        self._recent.append((frame, captured_at))
        detection = self._wake.feed(frame, captured_at)
        self._on_event(WakeScore(self._wake.score, rms_dbfs(frame), captured_at))
        return [] if detection is None else self._open(detection)

    def _open(self, detection: Detection) -> list[Frame]:
        self.awake, self._waited = True, 0
        self._on_event(Woken(self._wake.model.phrase, detection.score, detection.at))
        self._on_event(StateChanged(ListeningState.WAITING, detection.at))
        lookback = list(self._recent)
        self._recent.clear()
        return lookback

    def _close(self, endpointer: Endpointer, at: float) -> None:
        self.awake = False
        endpointer.reset()
        self._on_event(StateChanged(ListeningState.ASLEEP, at))
