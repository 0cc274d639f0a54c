"""`carvoice bench wake`: how reliably the wake word wakes the assistant, and how rarely anything else does.

    audio = WakeBenchAudio.make(Speaker(voice_path), wake.model.phrase, WakeBenchOptions())
    report = run_wake_bench(wake, audio, WakeBenchOptions())
    report.curve            # per threshold: false rejects per noise level, false accepts per hour, delay

All audio is made here, seeded, from what the repository has (there are no recordings of the wake phrase):
- the wake phrase, said by the piper voice in several spellings ("Okay Nabu.", "Okay, Nabu!"), speeds and
  pitches (resampled: a deeper or a higher voice), with 1 s around it, in clean / 10 dB / 5 dB cabin noise
  (carvoice/audio/noise.py) and at three input levels (0, -20 and -35 dB: a speaker near or far, a quiet
  microphone gain);
- audio without it, for false accepts: the project's spoken commands (audio_samples/, piper and espeak voices;
  clean, 10 dB and 5 dB), talk-radio-like speech (the evaluation sets' requests read one after another at varied
  speed and pitch), the assistant's own replies to those requests (its real wording, in its own voice), and
  music-like sound (chords with harmonics, a bass line, drum hits).

The detector's averaged score is traced once per recording (carvoice/audio/wake.py), then every threshold is
read off the same traces: a phrase is rejected when its score never passes the threshold; a false accept is a
crossing of the threshold, and one crossing wakes the assistant once per `refractory_s`. The delay runs from the
end of the phrase to the detection. CPU is the detector's process time per second of audio, fed frame by frame
as the microphone feeds it.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime
from piper import PiperVoice, SynthesisConfig
from pydantic import BaseModel
from vehicle_sim import Vehicle

from carvoice.assistant.startup import resolve_model
from carvoice.assistant.wake_word import load_wake_word
from carvoice.audio.noise import CabinCondition, cabin_noise, mix_at_snr
from carvoice.audio.resample import resample
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.audio.wake import STEP_S, WakeWord
from carvoice.bench.samples import load_commands, sample_audio
from carvoice.bench.stats import percentile
from carvoice.config import Settings, builtin_catalog
from carvoice.dialog.manager import Dialog
from carvoice.models import Role
from carvoice.nlu.catalog import load_intent_catalog
from carvoice.nlu.evalset import load_eval_sets
from carvoice.nlu.understand import Understanding
from carvoice.progress import Tasks, no_tasks

NOISE_SNR_DB = {"clean": None, "10db": 10.0, "5db": 5.0}
LEVELS_DB = (0.0, -20.0, -35.0)
SPEEDS = (0.85, 1.0, 1.2)
"""piper's length scale: faster, normal, slower."""
PITCHES = (0.9, 1.0, 1.12)
"""Resampling factors: a deeper (slower) and a higher (faster) voice."""
PEAK = 0.7
FIRST_STEP_S = 0.05
"""The model's first score covers 50 ms of audio (its 30 ms feature window, then three 10 ms features)."""


@dataclass(frozen=True)
class WakeBenchOptions:
    talk_minutes: float = 30.0
    """Synthesised speech without the wake word: requests of the evaluation sets read one after another."""
    reply_minutes: float = 10.0
    """The assistant's replies to those requests, in its own voice."""
    music_minutes: float = 10.0
    thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97)
    refractory_s: float = 2.0
    """After a false wake, the assistant listens for a command; another crossing within this counts once."""
    seed: int = 0

    @classmethod
    def quick(cls) -> WakeBenchOptions:
        """A minute or so: a slice of each kind of audio (for tests)."""
        return cls(talk_minutes=1.0, reply_minutes=0.5, music_minutes=0.5)


class Speaker:
    """The piper voice, seeded, at a chosen speed and pitch, as 16 kHz float32."""

    def __init__(self, voice_path: Path, seed: int = 0) -> None:
        onnxruntime.set_seed(seed)  # piper's sampling noise: the same audio on every run
        self._voice = PiperVoice.load(voice_path)

    def say(self, text: str, speed: float = 1.0, pitch: float = 1.0) -> np.ndarray:
        chunks = list(self._voice.synthesize(text, syn_config=SynthesisConfig(length_scale=speed)))
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
        return resample(samples, round(chunks[0].sample_rate * pitch))


@dataclass(frozen=True)
class Phrase:
    """One rendering of the wake phrase, with a second of silence before and after it."""

    samples: np.ndarray
    end_s: float
    """Where the speech of the phrase ends."""


def spellings(phrase: str) -> list[str]:
    """How the phrase is written for the voice: each spelling is said a little differently."""
    words = phrase.split()
    comma = [f"{words[0]}, {' '.join(words[1:])}!"] if len(words) > 1 else []
    return [f"{phrase}.", f"{phrase}!", f"{phrase}?", *comma]


def render_phrases(speaker: Speaker, phrase: str) -> list[Phrase]:
    rendered = []
    for text, speed, pitch in itertools.product(spellings(phrase), SPEEDS, PITCHES):
        speech = speaker.say(text, speed, pitch)
        speech = PEAK * speech / np.abs(speech).max()
        loud = np.flatnonzero(np.abs(speech) > 0.01 * PEAK)
        padding = np.zeros(SAMPLE_RATE, dtype=np.float32)
        rendered.append(Phrase(np.concatenate([padding, speech, padding]), 1.0 + (loud[-1] + 1) / SAMPLE_RATE))
    return rendered


@dataclass(frozen=True)
class Trial:
    noise: str
    level_db: float
    trace: np.ndarray
    end_s: float


def positive_trials(wake: WakeWord, phrases: list[Phrase], seed: int) -> list[Trial]:
    """Every phrase in every noise level at every input level, traced."""
    rng = np.random.default_rng(seed)
    noise = cabin_noise(60.0, CabinCondition(), seed=seed)
    trials = []
    for phrase, (name, snr_db), level_db in itertools.product(phrases, NOISE_SNR_DB.items(), LEVELS_DB):
        audio = phrase.samples
        if snr_db is not None:
            start = int(rng.integers(0, len(noise) - len(audio)))
            audio = mix_at_snr(audio, noise[start : start + len(audio)], snr_db)
        wake.reset()
        trials.append(Trial(name, level_db, wake.trace(audio * 10 ** (level_db / 20)), phrase.end_s))
    return trials


def eval_texts(seed: int) -> list[str]:
    """The requests of the evaluation sets, shuffled."""
    cases = [case for cases in load_eval_sets().values() for case in cases]
    random.Random(seed).shuffle(cases)
    return [case.text for case in cases]


def assistant_replies(seed: int) -> list[str]:
    """What the assistant answers to the evaluation sets' requests, each the first turn of a new car."""
    catalog = load_intent_catalog()
    cases = [case for cases in load_eval_sets(catalog=catalog).values() for case in cases]
    random.Random(seed).shuffle(cases)
    replies = (Dialog(Vehicle(), catalog, seed=index).respond(Understanding.given(case.text, case.intents)).reply
               for index, case in enumerate(cases))
    return [reply for reply in replies if reply]


def read_aloud(speaker: Speaker, texts: list[str], minutes: float, varied: bool) -> np.ndarray:
    """The texts said one after another, with short pauses, until `minutes` of audio; `varied`: each at another
    speed and pitch."""
    voices = itertools.cycle(itertools.product(SPEEDS, PITCHES) if varied else [(1.0, 1.0)])
    pause = np.zeros(round(0.3 * SAMPLE_RATE), dtype=np.float32)
    pieces, total = [], 0
    for text in itertools.cycle(texts):
        if total >= minutes * 60 * SAMPLE_RATE:
            break
        speech = speaker.say(text, *next(voices))
        pieces += [PEAK * speech / max(np.abs(speech).max(), 1e-6), pause]
        total += len(speech) + len(pause)
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def music_like(minutes: float, seed: int) -> np.ndarray:
    """Chords of a few harmonics over a bass line, with drum hits on the beat: 120 bpm, seeded."""
    rng = np.random.default_rng(seed)
    beat = SAMPLE_RATE // 2
    t = np.arange(4 * beat) / SAMPLE_RATE
    bars = []
    for _ in range(max(1, round(minutes * 60 / 2))):
        root = 110.0 * 2 ** (rng.integers(0, 12) / 12)
        chord = sum(np.sin(2 * np.pi * root * ratio * harmonic * t) / harmonic
                    for ratio in (2.0, 2.52, 3.0) for harmonic in (1, 2, 3))
        bass = np.sin(2 * np.pi * root / 2 * t) * (1 - (t % 0.5) / 0.5)
        drums = rng.standard_normal(len(t)) * np.exp(-((t % 0.5) / 0.03))
        bars.append(0.15 * chord + 0.4 * bass + 0.3 * drums)
    music = np.concatenate(bars)
    return (PEAK * music / np.abs(music).max()).astype(np.float32)


@dataclass(frozen=True)
class WakeBenchAudio:
    phrases: list[Phrase]
    negatives: dict[str, np.ndarray]
    """Audio without the wake word, by kind."""

    @classmethod
    def make(cls, speaker: Speaker, phrase: str, options: WakeBenchOptions,
             note: Callable[[str], None] = lambda step: None) -> WakeBenchAudio:
        note("the wake phrase in every spelling, speed and pitch")
        phrases = render_phrases(speaker, phrase)
        negatives = {f"commands {name}": np.concatenate([sample_audio(command, name).samples
                                                         for command in load_commands()])
                     for name in NOISE_SNR_DB}
        note(f"{options.talk_minutes:g} min of talk, {options.reply_minutes:g} min of replies")
        negatives["talk"] = read_aloud(speaker, eval_texts(options.seed), options.talk_minutes, varied=True)
        negatives["replies"] = read_aloud(speaker, assistant_replies(options.seed), options.reply_minutes,
                                          varied=False)
        negatives["music"] = music_like(options.music_minutes, options.seed)
        return cls(phrases, negatives)


class ThresholdRow(BaseModel):
    threshold: float
    false_rejects_clean: float
    false_rejects_10db: float
    false_rejects_5db: float
    false_accepts: int
    false_accepts_per_hour: float
    delay_p50_s: float
    delay_p95_s: float


class LevelRow(BaseModel):
    level: str
    false_rejects_clean: float
    false_rejects_10db: float
    false_rejects_5db: float


class SourceRow(BaseModel):
    source: str
    minutes: float
    false_accepts: int
    false_accepts_per_hour: float
    top_score: float
    """The highest averaged score anywhere in this audio."""


class WakeBenchReport(BaseModel):
    model: str
    threshold: float
    """The threshold the rows by input level and by source are read at: the model's own, or the one asked for."""
    phrases: int
    negative_hours: float
    cpu_share: float
    """Process time of the detector per second of audio (0.01: 1 % of one core)."""
    curve: list[ThresholdRow]
    levels: list[LevelRow]
    sources: list[SourceRow]
    suggested: float | None
    """The lowest threshold without a false accept: above every score of the audio without the wake word (with an
    hour of it, a single false accept is already one per hour)."""


def count_wakes(trace: np.ndarray, threshold: float, refractory_s: float) -> int:
    """Crossings of `threshold`, each waking once per `refractory_s`."""
    above = np.flatnonzero(trace > threshold)
    wakes, last = 0, -np.inf
    for index in above:
        if (index - last) * STEP_S >= refractory_s:
            wakes, last = wakes + 1, index
    return wakes


def trace_framewise(wake: WakeWord, audio: np.ndarray, frame: int = 512) -> tuple[np.ndarray, float]:
    """The trace of `audio` fed as the microphone feeds it, and the process time it took."""
    wake.reset()
    started = time.process_time()
    traces = [wake.trace(audio[start : start + frame]) for start in range(0, len(audio), frame)]
    return np.concatenate(traces) if traces else np.zeros(0, dtype=np.float32), time.process_time() - started


def _false_rejects(trials: list[Trial], threshold: float) -> dict[str, float]:
    return {f"false_rejects_{name}": float(np.mean([t.trace.max(initial=0.0) <= threshold
                                                   for t in trials if t.noise == name]))
            for name in NOISE_SNR_DB}


def _delays(trials: list[Trial], threshold: float) -> list[float]:
    firsts = ((np.flatnonzero(t.trace > threshold), t.end_s) for t in trials)
    return [FIRST_STEP_S + above[0] * STEP_S - end_s for above, end_s in firsts if len(above)]


def _curve_row(trials: list[Trial], negatives: dict[str, np.ndarray], threshold: float, hours: float,
               options: WakeBenchOptions) -> ThresholdRow:
    accepts = sum(count_wakes(trace, threshold, options.refractory_s) for trace in negatives.values())
    delays = _delays(trials, threshold)
    return ThresholdRow(threshold=threshold, **_false_rejects(trials, threshold), false_accepts=accepts,
                        false_accepts_per_hour=accepts / hours, delay_p50_s=percentile(delays, 50),
                        delay_p95_s=percentile(delays, 95))


def _source_row(name: str, trace: np.ndarray, seconds: float, threshold: float, options: WakeBenchOptions
                ) -> SourceRow:
    accepts = count_wakes(trace, threshold, options.refractory_s)
    return SourceRow(source=name, minutes=seconds / 60, false_accepts=accepts,
                     false_accepts_per_hour=accepts / (seconds / 3600), top_score=float(trace.max(initial=0.0)))


def _suggest(curve: list[ThresholdRow]) -> float | None:
    return min((row.threshold for row in curve if row.false_accepts == 0), default=None)


def run_wake_bench(wake: WakeWord, audio: WakeBenchAudio, options: WakeBenchOptions,
                   tasks: Tasks = no_tasks) -> WakeBenchReport:
    advance = tasks("wake phrases and audio without it", 2)
    trials = positive_trials(wake, audio.phrases, options.seed)
    advance()
    traced = {name: trace_framewise(wake, samples) for name, samples in audio.negatives.items()}
    advance()
    traces = {name: trace for name, (trace, _) in traced.items()}
    seconds = {name: len(samples) / SAMPLE_RATE for name, samples in audio.negatives.items()}
    hours = sum(seconds.values()) / 3600
    curve = [_curve_row(trials, traces, threshold, hours, options) for threshold in options.thresholds]
    levels = [LevelRow(level=f"{level_db:+.0f} dB", **_false_rejects([t for t in trials if t.level_db == level_db],
                                                                     wake.threshold)) for level_db in LEVELS_DB]
    sources = [_source_row(name, trace, seconds[name], wake.threshold, options) for name, trace in traces.items()]
    return WakeBenchReport(model=wake.model.name, threshold=wake.threshold, phrases=len(audio.phrases),
                           negative_hours=hours, cpu_share=sum(cpu for _, cpu in traced.values()) / (hours * 3600),
                           curve=curve, levels=levels, sources=sources,
                           suggested=_suggest(curve))


def measure_wake(settings: Settings, options: WakeBenchOptions, threshold: float | None = None,
                 tasks: Tasks = no_tasks, note: Callable[[str], None] = lambda message: None) -> WakeBenchReport:
    """The configured wake word (else the catalog's default) measured on audio made with the configured voice;
    `note` hears what audio is being made."""
    wake = load_wake_word(settings, settings.wake_word or builtin_catalog().default(Role.WAKE).name,
                          threshold=threshold)
    speaker = Speaker(resolve_model(settings, Role.TTS).path, options.seed)
    audio = WakeBenchAudio.make(speaker, wake.model.phrase, options, note=note)
    return run_wake_bench(wake, audio, options, tasks)
