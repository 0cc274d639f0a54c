"""Speech-to-text benchmark: WER, latency and real-time factor per model, setting and noise level.

    carvoice bench stt --models whisper-tiny.en moonshine-tiny-en --noise clean 10db 5db

Runs every spoken command of the sample set through each model's `SpeechToText` backend, clean and mixed
with cabin noise, and scores the transcripts with the normalised WER of `carvoice.text.wer`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from carvoice.audio.segment import AudioSegment
from carvoice.progress import Advance, Tasks, no_tasks
from carvoice.bench.samples import SpokenCommand, sample_audio
from carvoice.text.wer import word_error_rate
from carvoice.stt import SpeechToText, SttOptions, Transcript, backend_for


@dataclass(frozen=True)
class Variant:
    """A named way of running the model, to compare against the default."""

    name: str
    options: SttOptions
    only: str | None = None
    """The backend (`SpeechToText.name`) whose results the change can move; None for every backend."""


class SttBenchRow(BaseModel):
    model: str
    variant: str
    noise: str
    commands: int
    wer: float
    wer_piper: float | None
    wer_espeak: float | None
    p50_s: float
    p95_s: float
    real_time_factor: float
    mean_audio_s: float
    empty_transcripts: int
    load_s: float


def standard_variants(base: SttOptions, ablations: bool) -> list[Variant]:
    """The default, and with `ablations` what each of its choices is worth, one change at a time."""
    variants = [Variant("default", base)]
    if ablations:
        variants += [
            Variant("12s-window", replace(base, encoder_window_s=12.0), only="whisper"),
            Variant("no-vocabulary", replace(base, vocabulary=(), prompt=None)),
            Variant("beam-1", replace(base, beam_size=1), only="whisper"),
            Variant("no-vad-trim", replace(base, trim_silence=False)),
        ]
    return variants


def run_stt_bench(
    model_name: str,
    model_path: Path,
    variants: Sequence[Variant],
    noise_levels: Sequence[str],
    commands: Sequence[SpokenCommand],
    on_row: Callable[[SttBenchRow], None],
    repeats: int = 1,
    tasks: Tasks = no_tasks,
) -> None:
    """Measure each variant that applies to the model's backend at each noise level, calling `on_row` as each
    result is ready.

    With `repeats` > 1 each command is transcribed that many times and the fastest run kept: on a machine
    shared with other work that is the closest to the uncontended latency (the text is the same each time).
    """
    backend = backend_for(model_path)
    audio = {noise: [sample_audio(command, noise) for command in commands] for noise in noise_levels}
    for variant in (v for v in variants if v.only in (None, backend.name)):
        stt = backend(model_path, variant.options)
        advance = tasks(f"{model_name} {variant.name}", len(noise_levels) * len(commands))
        for noise in noise_levels:
            transcripts = [_fastest(stt, segment, repeats, advance) for segment in audio[noise]]
            on_row(_score(model_name, variant.name, noise, commands, audio[noise], transcripts, stt.load_s))


def _fastest(stt: SpeechToText, segment: AudioSegment, repeats: int, advance: Advance) -> Transcript:
    fastest = min((stt.transcribe(segment) for _ in range(repeats)), key=lambda t: t.timings.total_s)
    advance()
    return fastest


def _score(
    model: str, variant: str, noise: str, commands: Sequence[SpokenCommand], audio: Sequence[AudioSegment],
    transcripts: Sequence[Transcript], load_s: float,
) -> SttBenchRow:
    latencies = [t.timings.total_s for t in transcripts]
    audio_s = sum(segment.duration_s for segment in audio)

    def wer_for(engine: str | None) -> float | None:
        pairs = [(c.text, t.text) for c, t in zip(commands, transcripts, strict=True) if engine in (None, c.engine)]
        return word_error_rate([r for r, _ in pairs], [h for _, h in pairs]) if pairs else None

    return SttBenchRow(
        model=model, variant=variant, noise=noise, commands=len(commands),
        wer=wer_for(None), wer_piper=wer_for("piper"), wer_espeak=wer_for("espeak"),
        p50_s=float(np.percentile(latencies, 50)), p95_s=float(np.percentile(latencies, 95)),
        real_time_factor=sum(latencies) / audio_s, mean_audio_s=audio_s / len(audio),
        empty_transcripts=sum(t.is_empty for t in transcripts), load_s=load_s,
    )
