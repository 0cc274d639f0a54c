"""The wake word: microWakeWord (pymicro-wakeword's TensorFlow Lite models) listening for "okay nabu" in a
live 16 kHz stream, and the gate that keeps the microphone's endpointer closed until it is heard.

    wake = WakeWord(Path("okay_nabu.json"))           # a microWakeWord config, its .tflite beside it
    detection = wake.feed(frame, captured_at)          # float32 16 kHz samples, any length; a Detection or None
    scores = wake.trace(samples)                       # the score of every 30 ms step (benchmarks)
    utterance = microphone.listen(wake=wake)           # carvoice/audio/mic.py: the command after the wake word
    speak = wake.speaks_on(player_play)                # what `speak` plays never wakes it; the earcon plays on it

The model scores every 30 ms of audio; the detector averages the last `window` scores (the model's own
sliding window) and fires when the average passes the threshold, then starts afresh. The average lags: it
passes the threshold about 0.12 s after the wake phrase ended, so the command said in the same breath
("okay nabu turn on the A/C") starts `lookback_s` before the detection; the wake phrase itself is not
handed on. A detection in audio that is the reply the speaker just played (carvoice/audio/own_voice.py) is
the assistant's own voice and is ignored; a wake word said over the reply is not. When no speech follows the
wake word at once, the earcon (carvoice/audio/earcon.py) says "go on".
"""

from __future__ import annotations

import json
import logging
import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymicro_wakeword
from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures

from carvoice.audio.earcon import earcon
from carvoice.audio.endpoint import FRAME_SAMPLES, Endpointer, rms_dbfs
from carvoice.audio.events import EventListener, ListeningState, StateChanged, WakeScore, Woken
from carvoice.audio.own_voice import OwnVoice
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.errors import CarvoiceError
from carvoice.tts import SpeechChunk

log = logging.getLogger(__name__)

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
    own_voice_match: float | None = 0.85
    """A detection whose last `own_voice_window_s` of audio matches the reply audio the speaker played (an
    `OwnVoice.echo_of` at or above this) is the assistant's own voice, and ignored; None: never ignored. The
    reply heard back scores 0.94 to 1 (quieter, later, in 10 dB of cabin noise or less); the wake word said over
    a reply half as loud as it 0.56, over one as loud 0.80 (measured with the piper voice)."""
    own_voice_window_s: float = 1.0
    """The audio compared with the reply: the wake phrase and the detector's lag after it."""
    own_voice_hold_s: float = 2.0
    """How long after it played out a reply is still known (the room's echo, the sound device's delay)."""
    earcon: bool = True
    """Play the earcon (carvoice/audio/earcon.py) where replies are heard when the command does not follow the
    wake word in the same breath."""
    earcon_after_s: float = 0.4
    """After the wake word, how long without speech means the command is not coming in the same breath (the
    command said after a comma begins 0.2 to 0.3 s after the wake word fires)."""

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0 < self.threshold < 1:
            raise ValueError(f"the wake threshold must lie between 0 and 1, got {self.threshold}")
        if self.own_voice_match is not None and not 0 < self.own_voice_match <= 1:
            raise ValueError(f"own_voice_match must lie in (0, 1], got {self.own_voice_match}")
        if self.lookback_s < 0 or self.own_voice_hold_s < 0 or self.earcon_after_s < 0:
            raise ValueError("lookback_s, own_voice_hold_s and earcon_after_s must be >= 0")
        if self.command_wait_s <= 0 or self.own_voice_window_s <= 0:
            raise ValueError("command_wait_s and own_voice_window_s must be > 0")


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
        self.own_voice = OwnVoice(options.own_voice_hold_s)
        """What the assistant's speaker played lately: never a wake word (fed by the speaker, see `speaks_on`)."""
        self.earcon_output: Callable[[SpeechChunk], None] | None = None
        """Where the earcon is played: the speaker replies are heard on; None: nowhere (files, no speaker)."""

    def speaks_on(self, play: Callable[[Iterator[SpeechChunk]], object]) -> Callable[[Iterator[SpeechChunk]], object]:
        """`play` (a speaker's) made known to the wake word: what it plays never wakes it, and the earcon (with
        `options.earcon`) is played on it. Returns the `play` to use from now on."""
        def known(chunks: Iterator[SpeechChunk]) -> object:
            return play(self.own_voice.tap(chunks))

        if self.options.earcon:
            self.earcon_output = lambda chunk: known(iter([chunk]))
        return known

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
    the wake word, starting `lookback_s` before it fired; a wake word in the assistant's own voice (the reply
    the speaker just played, heard back) is ignored. When no speech follows within `earcon_after_s`, the
    earcon plays; when no command starts within `command_wait_s`, the gate closes and waits for the wake word
    again."""

    def __init__(self, wake: WakeWord, on_event: EventListener) -> None:
        self._wake = wake
        self._on_event = on_event
        options = wake.options
        self._recent: deque[Frame] = deque(maxlen=max(1, _frames(options.lookback_s)))
        self._heard: deque[np.ndarray] = deque(maxlen=_frames(options.own_voice_window_s))
        self._wait_frames = round(options.command_wait_s * SAMPLE_RATE / FRAME_SAMPLES)
        self._earcon_frames = max(1, round(options.earcon_after_s * SAMPLE_RATE / FRAME_SAMPLES))
        self._waited = 0
        self.awake = False

    def admit(self, frame: np.ndarray, captured_at: float, endpointer: Endpointer) -> list[Frame]:
        """The frames to hand the endpointer now: none while the gate is closed; on waking, the lookback."""
        if self.awake and endpointer.state is ListeningState.WAITING:
            self._wait_for_command(endpointer, captured_at)
        if self.awake:
            return [(frame, captured_at)]
        self._recent.append((frame, captured_at))
        self._heard.append(frame)
        detection = self._wake.feed(frame, captured_at)
        self._on_event(WakeScore(self._wake.score, rms_dbfs(frame), captured_at))
        if detection is None or self._own_voice(detection):
            return []
        return self._open(detection)

    def _wait_for_command(self, endpointer: Endpointer, at: float) -> None:
        self._waited += 1
        if self._waited == self._earcon_frames and not endpointer.hears_speech and self._wake.earcon_output:
            self._wake.earcon_output(earcon())
        if self._waited > self._wait_frames:
            self._close(endpointer, at)

    def _own_voice(self, detection: Detection) -> bool:
        match = self._wake.options.own_voice_match
        echo = 0.0 if match is None else self._wake.own_voice.echo_of(np.concatenate(self._heard))
        if match is None or echo < match:
            return False
        log.info("wake word (score %.2f) ignored: the assistant's own voice (%.2f like its reply)",
                 detection.score, echo)
        return True

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


def _frames(seconds: float) -> int:
    return math.ceil(seconds * SAMPLE_RATE / FRAME_SAMPLES)
