"""`carvoice bench stt|tts|nlu`: measure the stages on the project's spoken test set and evaluation set."""

from __future__ import annotations

import argparse
import json
import math

from pydantic import BaseModel
from rich.table import Table

from carvoice.cli.speech import model_path
from carvoice.config import Settings
from carvoice.models import Role

NOISE_CHOICES = ("clean", "10db", "5db", "0db")
"""The names of carvoice.audio.noise.NOISE_LEVELS, written out so that `carvoice --help` need not import numpy."""


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    bench = subparsers.add_parser("bench", help="measure accuracy and latency of the stages")
    kinds = bench.add_subparsers(title="benchmarks", metavar="BENCH", required=True)

    stt = kinds.add_parser("stt", parents=[common], help="WER, latency and real-time factor of speech-to-text",
                           description="Transcribe audio_samples/ clean and with cabin noise; WER is scored on "
                           "normalised text (numbers, punctuation, case).")
    stt.add_argument("--models", nargs="+", metavar="MODEL", help="catalog names or folders (default: --stt)")
    stt.add_argument("--noise", nargs="+", choices=NOISE_CHOICES, default=list(NOISE_CHOICES))
    stt.add_argument("--ablations", action="store_true",
                     help="also run with a 12 s encoder window, without vocabulary, greedy, without VAD trim")
    stt.add_argument("--limit", type=positive_int, metavar="N", help="only the first N commands (a quick look)")
    stt.add_argument("--repeat", type=positive_int, default=1, metavar="N",
                     help="transcribe each command N times and keep the fastest (on a busy machine)")
    stt.add_argument("--json", action="store_true", help="one JSON object per row")
    stt.set_defaults(handler=bench_stt)

    tts = kinds.add_parser("tts", parents=[common], help="load time, time to first audio, real-time factor")
    tts.add_argument("--limit", type=positive_int, metavar="N", help="only the first N replies (a quick look)")
    tts.add_argument("--json", action="store_true", help="one JSON object per row")
    tts.set_defaults(handler=bench_tts)

    _register_nlu(kinds, common)


def _register_nlu(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    nlu = kinds.add_parser("nlu", parents=[common], help="accuracy and latency of understanding (the SLM)",
                           description="Run the SLM over the labelled evaluation set (intents/eval): exact match, "
                           "intent accuracy, slot F1, out-of-scope precision/recall, multi-intent accuracy, "
                           "latency p50/p95 and tokens per utterance.")
    nlu.add_argument("--all-models", action="store_true",
                     help="every installed SLM side by side, each also without the KV-cache prefix reuse")
    nlu.add_argument("--limit", type=positive_int, metavar="N", help="every k-th case so that N are run")
    nlu.add_argument("--naive-limit", type=positive_int, default=5, metavar="N",
                     help="cases for the naive run (full prompt every time: tens of seconds each); default 5")
    nlu.add_argument("--json", action="store_true", help="one JSON object per row")
    nlu.set_defaults(handler=bench_nlu)


def bench_nlu(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.nlu import load_understander, run_nlu_bench, spread
    from carvoice.nlu.catalog import load_intent_catalog
    from carvoice.nlu.evalset import load_eval_set
    from carvoice.startup import installed_slm_specs

    catalog = load_intent_catalog()
    cases = spread(load_eval_set(catalog=catalog), args.limit)
    specs = installed_slm_specs(settings) if args.all_models else [settings.slm_model]
    rows = _RowPrinter(args.json, f"understanding ({len(cases)} utterances from intents/eval)", {
        "model": "model", "mode": "mode", "cases": "cases", "exact_match": "exact", "intent_accuracy": "intent",
        "slot_f1": "slot F1", "oos_precision": "OOS prec", "oos_recall": "OOS rec",
        "multi_intent_accuracy": "multi", "latency_p50_s": "p50", "latency_p95_s": "p95",
        "prompt_tokens_mean": "prompt tok", "output_tokens_mean": "out tok",
    })
    for spec in specs:
        for reuse in (True, False) if args.all_models else (True,):
            understander = load_understander(settings, spec, catalog, reuse_prefix=reuse)
            chosen = cases if reuse else cases[: args.naive_limit]
            report = run_nlu_bench(understander, chosen, spec)
            rows.add(report.row("cached" if reuse else "naive"))
    rows.finish("exact: every intent and slot right, in order. OOS: out of scope. Latency per utterance. "
                "cached: the static prompt stays in the KV cache; naive: the whole prompt is evaluated every time.")
    return 0


def bench_stt(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.samples import load_commands
    from carvoice.bench.stt import run_stt_bench, standard_variants
    from carvoice.stt import SttOptions, load_vocabulary

    commands = load_commands()[: args.limit]
    base = SttOptions(threads=settings.threads, vocabulary=load_vocabulary())
    rows = _RowPrinter(args.json, "speech-to-text", {
        "model": "model", "variant": "variant", "noise": "noise", "wer": "WER", "wer_piper": "WER piper",
        "wer_espeak": "WER espeak", "p50_s": "p50", "p95_s": "p95", "real_time_factor": "RTF",
        "empty_transcripts": "empty",
    })
    variants = standard_variants(base, args.ablations)
    for name in args.models or [settings.stt_model]:
        run_stt_bench(name, model_path(Role.STT, name, settings), variants, args.noise, commands, rows.add,
                      repeats=args.repeat)
    rows.finish(f"{len(commands)} commands, {settings.threads} threads")
    return 0


def bench_tts(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.tts import REPLIES, run_tts_bench

    rows = _RowPrinter(args.json, "text-to-speech", {
        "voice": "voice", "variant": "variant", "load_s": "load", "first_audio_p50_s": "first audio p50",
        "first_audio_p95_s": "p95", "first_audio_max_s": "max", "real_time_factor": "RTF",
    })
    run_tts_bench(settings.tts_voice, model_path(Role.TTS, settings.tts_voice, settings), rows.add,
                  REPLIES[: args.limit])
    rows.finish(f"{settings.threads} threads")
    return 0


class _RowPrinter:
    """JSON lines as rows arrive, or one table at the end."""

    def __init__(self, as_json: bool, title: str, columns: dict[str, str]) -> None:
        self.as_json = as_json
        self.title = title
        self.columns = columns
        self.rows: list[BaseModel] = []

    def add(self, row: BaseModel) -> None:
        if self.as_json:
            print(json.dumps(row.model_dump()), flush=True)
        self.rows.append(row)

    def finish(self, caption: str) -> None:
        if self.as_json:
            return
        from carvoice.cli.output import stdout_console

        table = Table(title=self.title, caption=caption)
        for header in self.columns.values():
            table.add_column(header)
        for row in self.rows:
            values = row.model_dump()
            table.add_row(*(_cell(field, values[field]) for field in self.columns))
        stdout_console().print(table)


PERCENT_FIELDS = {"exact_match", "intent_accuracy", "slot_f1", "oos_precision", "oos_recall",
                  "multi_intent_accuracy"}


def _cell(field: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"  # nothing to measure, e.g. out-of-scope recall on a slice without out-of-scope cases
    if isinstance(value, float):
        if field.startswith("wer") or field in PERCENT_FIELDS:
            return f"{value:.1%}"
        if field.endswith("_mean"):
            return f"{value:.1f}"
        return f"{value:.3f}" if field == "real_time_factor" else f"{value * 1000:.0f} ms"
    return str(value)
