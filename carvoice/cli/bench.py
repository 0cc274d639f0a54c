"""`carvoice bench stt|tts|nlu`: measure the stages on the project's spoken test set and evaluation set;
`carvoice bench all` runs them all into one report, `carvoice bench compare` lines two reports up."""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

from rich.table import Table

from carvoice.cli import adversarial, endpointing, soak, wake
from carvoice.cli.output import RowPrinter, WorkProgress, machine_line, positive_int, stdout_console
from carvoice.cli.speech import model_path
from carvoice.config import Settings
from carvoice.errors import CarvoiceError
from carvoice.models import Role
from carvoice.nlu.evalset import EVAL_SETS

NOISE_CHOICES = ("clean", "10db", "5db", "0db")
"""The names of carvoice.audio.noise.NOISE_LEVELS, written out so that `carvoice --help` need not import numpy."""




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
    _register_report(kinds, common)
    endpointing.register(kinds, common)
    adversarial.register(kinds, common)
    soak.register(kinds, common)
    wake.register(kinds, common)


def _register_nlu(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    nlu = kinds.add_parser("nlu", parents=[common], help="accuracy and latency of understanding (the SLM)",
                           description="Run the SLM over the labelled evaluation sets (intents/eval, and "
                           "intents/eval_blind, written blind): exact match, intent accuracy, slot F1, "
                           "out-of-scope precision/recall, multi-intent accuracy, latency p50/p95 and tokens per "
                           "utterance.")
    nlu.add_argument("--all-models", action="store_true",
                     help="every installed SLM side by side, each also without the KV-cache prefix reuse")
    nlu.add_argument("--limit", type=positive_int, metavar="N", help="every k-th case so that N are run")
    nlu.add_argument("--naive-limit", type=positive_int, default=5, metavar="N",
                     help="cases for the naive run (full prompt every time: tens of seconds each); default 5")
    nlu.add_argument("--set", dest="eval_sets", choices=list(EVAL_SETS), action="append",
                     help="evaluation set(s) to run (repeatable); default: the intent pack's own (intents/eval) and "
                          "blind (intents/eval_blind, written without seeing the phrasebook)")
    nlu.add_argument("--cases", type=Path, action="append", metavar="PATH",
                     help="your own labelled cases instead (repeatable): a YAML file or folder in the format of "
                          "intents/eval/ (see its README), or JSON lines of {\"text\", \"intents\"}")
    nlu.add_argument("--confusions", type=positive_int, default=0, metavar="N",
                     help="also print the N most frequent wrong readings per model and set")
    nlu.add_argument("--misses", type=Path, metavar="FILE",
                     help="write every case not read exactly right to FILE as JSON lines (the model, the set, "
                          "what was said, expected, understood, what the model wrote), to see the classes of errors "
                          "behind the figures")
    nlu.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                     help="run as Ray actors (pip install 'carvoice[cluster]'): a worker per model and --threads "
                          "CPUs; alone, a local Ray instance; 'auto' or ray://HOST:PORT joins a cluster")
    nlu.add_argument("--json", action="store_true", help="one JSON object per row")
    nlu.set_defaults(handler=bench_nlu)


def _register_report(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    everything = kinds.add_parser(
        "all", parents=[common], help="every measurement into one report (report.md, report.json, plots)",
        description="End to end (end of speech -> first reply audio, per-stage shares, peak RSS, cold start), "
        "every installed SLM and STT model (clean and in cabin noise) with the Pareto front, text-to-speech, and "
        "two baselines: the same SLM called naively, and Home Assistant's hassil. Exits 1 on a broken "
        "measurement (no cases, NaN, accuracy near zero, a stage missing), never on a slow machine.")
    everything.add_argument("--out", type=Path, default=Path("report"), metavar="DIR",
                            help="folder for report.md, report.json and the plots (default: report/)")
    everything.add_argument("--quick", action="store_true",
                            help="small slices of every set, a few minutes on a laptop CPU (for CI)")
    everything.add_argument("--naive-limit", type=positive_int, metavar="N",
                            help="utterances for the naive SLM baseline, tens of seconds each (default 8, quick 2)")
    everything.add_argument("--json", action="store_true", help="print report.json instead of the headline table")
    everything.set_defaults(handler=bench_all)

    compare = kinds.add_parser("compare", parents=[common], help="what got better or worse between two reports",
                               description="Each metric of two report.json files, the change, and whether it is "
                               "better or worse (knowing which way is good for each metric).")
    compare.add_argument("before", type=Path, metavar="A.json")
    compare.add_argument("after", type=Path, metavar="B.json")
    compare.add_argument("--json", action="store_true", help="one JSON object per metric")
    compare.set_defaults(handler=bench_compare)


def bench_all(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.report.markdown import headline
    from carvoice.bench.report.run import ReportOptions, run_report
    from carvoice.bench.report.writer import write_report

    options = ReportOptions.quick_run() if args.quick else ReportOptions()
    if args.naive_limit:
        options = replace(options, naive_cases=args.naive_limit)
    with WorkProgress() as tasks:
        report = run_report(settings, options, progress=lambda step: tasks.note(f"bench all: {step}"), tasks=tasks)
    written = write_report(report, args.out)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        _print_headline(headline(report), f"written: {', '.join(str(path) for path in written)}\n"
                        f"{machine_line(settings.threads)}")
    for problem in report.problems:
        print(f"carvoice: broken measurement: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


def bench_compare(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.report.compare import compare_reports, load_report, run_differences

    before, after = load_report(args.before), load_report(args.after)
    changes = compare_reports(before, after)
    if args.json:
        for change in changes:
            print(json.dumps({"metric": change.metric, "unit": change.unit, "a": change.a, "b": change.b,
                              "change": change.delta, "verdict": change.verdict}))
        return 0
    table = Table(title=f"{args.before} → {args.after}")
    for header in ("metric", "A", "B", "change", ""):
        table.add_column(header)
    for label, a, b in run_differences(before.run, after.run):
        table.add_row(label, a, b, "", "" if a == b else "[yellow]differs[/]")
    table.add_section()
    styles = {"better": "green", "worse": "red"}
    for change in changes:
        style = styles.get(change.verdict, "")
        table.add_row(change.metric, _value(change.a, change.unit), _value(change.b, change.unit),
                      _relative(change.relative), f"[{style}]{change.verdict}[/]" if style else change.verdict)
    stdout_console().print(table)
    return 0


def _value(value: float | None, unit: str) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return {"s": f"{value * 1000:.0f} ms", "%": f"{value:.1%}", "MB": f"{value:.0f} MB"}.get(unit, f"{value:.2f}×")


def _relative(fraction: float | None) -> str:
    return "-" if fraction is None or not math.isfinite(fraction) else f"{fraction:+.1%}"


def _print_headline(rows: list[tuple[str, str]], caption: str) -> None:
    table = Table(title="carvoice benchmark", caption=caption)
    table.add_column("measurement")
    table.add_column("value")
    for row in rows:
        table.add_row(*row)
    stdout_console().print(table)


NLU_COLUMNS = {
    "model": "model", "mode": "mode", "eval_set": "set", "cases": "cases", "exact_match": "exact",
    "intent_accuracy": "intent",
    "slot_f1": "slot F1", "oos_precision": "OOS prec", "oos_recall": "OOS rec",
    "multi_intent_accuracy": "multi", "ask_share": "asks", "ask_needed": "ask needed",
    "latency_p50_s": "p50", "latency_p95_s": "p95",
    "prompt_tokens_mean": "prompt tok", "output_tokens_mean": "out tok",
}


def bench_nlu(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant.startup import installed_specs
    from carvoice.bench.nlu import NluRun, spread
    from carvoice.pack import IntentPack

    if args.ray is not None:
        from carvoice.bench.cluster import require_ray

        require_ray(args.ray)
    pack = IntentPack.at(settings.intents_dir)
    catalog = pack.catalog()
    sets = {name: spread(cases, args.limit) for name, cases in _eval_sets(args, pack).items()}
    specs = installed_specs(settings, Role.SLM) if args.all_models else [settings.slm_model]
    runs = [NluRun(spec, reuse, {name: cases if reuse else cases[: args.naive_limit] for name, cases in sets.items()})
            for spec in specs for reuse in ((True, False) if args.all_models else (True,))]
    sizes = ", ".join(f"{len(cases)} {name}" for name, cases in sets.items())
    rows = RowPrinter(args.json, f"understanding ({sizes} utterances)", NLU_COLUMNS, threads=settings.threads)
    confusions: list[str] = []
    misses: list[dict] = []

    def add(run: NluRun, name: str, report) -> None:
        rows.add(report.row(run.mode, name))
        confusions.extend(f"{run.spec} {name} x{count}: {want} -> {got}"
                          for (want, got), count in report.confusions().most_common(args.confusions))
        misses.extend({"model": run.spec, "mode": run.mode, "set": name, **miss} for miss in report.misses())

    with WorkProgress() as tasks:
        where = (_nlu_on_ray(args, settings, runs, add, tasks) if args.ray is not None
                 else _nlu_here(settings, catalog, runs, add, tasks))
    rows.finish("exact: every intent and slot right, in order. OOS: out of scope. asks: the model was unsure, so "
                "the assistant asks first; ask needed: of those, the reading was wrong. Latency per utterance. "
                "cached: the static prompt stays in the KV cache; naive: the whole prompt is evaluated every time."
                + where)
    for line in confusions:
        print(line)
    if args.misses is not None:
        _write_misses(args.misses, misses)
    return 0


def _write_misses(path: Path, misses: list[dict]) -> None:
    """The cases read wrong, one JSON object a line; the count goes to stderr, out of the way of --json."""
    try:
        path.write_text("".join(json.dumps(miss, ensure_ascii=False) + "\n" for miss in misses), encoding="utf-8")
    except OSError as error:
        raise CarvoiceError(f"cannot write the misses to {path}: {error.strerror}") from error
    print(f"{len(misses)} cases not read exactly right written to {path}", file=sys.stderr)


def _nlu_here(settings: Settings, catalog, runs: list, on_report, tasks) -> str:
    """Each run on this machine, one model loaded at a time; nothing to add to the caption."""
    from carvoice.assistant.startup import load_understander, resolve_model
    from carvoice.bench.nlu import run_nlu_bench

    for run in runs:
        tasks.note(f"loading {run.spec}")
        path = resolve_model(settings, Role.SLM, run.spec).path
        understander = load_understander(settings, path, catalog, reuse_prefix=run.reuse_prefix)
        for name, cases in run.sets.items():
            advance = tasks(run.label(name), len(cases))
            on_report(run, name, run_nlu_bench(understander, cases, run.spec, on_result=lambda _: advance()))
    return ""


def _nlu_on_ray(args: argparse.Namespace, settings: Settings, runs: list, on_report, tasks) -> str:
    """Each run as Ray actors (carvoice.bench.cluster); the caption's line says how many workers ran, and where."""
    from carvoice.bench.cluster import RayOptions, run_nlu_on_ray

    tasks.note(f"ray: {'starting a local instance' if args.ray == 'local' else f'joining {args.ray}'}")
    options = RayOptions(address=args.ray, worker_logs=getattr(args, "verbose", False))
    placement = run_nlu_on_ray(settings, runs, options, on_report, tasks).describe()
    if args.json:
        print(placement, file=sys.stderr)
    return f"\n{placement}"


def _eval_sets(args: argparse.Namespace, pack) -> dict:
    """The user's own cases (--cases), each file or folder a set named after it; else the intent pack's sets."""
    from carvoice.nlu.evalset import load_eval_set

    if args.cases:
        return {path.stem: load_eval_set(path, pack.catalog()) for path in args.cases}
    names = args.eval_sets or list(pack.eval_sets)
    missing = [name for name in names if name not in pack.eval_sets] or ([] if names else list(EVAL_SETS))
    if missing:
        folders = ", ".join(f"{path.name}/" for path in EVAL_SETS.values())
        raise CarvoiceError(f"the intent pack {pack.folder} has no {' or '.join(missing)} evaluation set (folders "
                            f"{folders}); give cases with --cases FILE")
    return {name: load_eval_set(pack.eval_sets[name], pack.catalog()) for name in names}


def bench_stt(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.samples import load_commands
    from carvoice.bench.stt import run_stt_bench, standard_variants
    from carvoice.stt import SttOptions, load_vocabulary

    commands = load_commands()[: args.limit]
    base = SttOptions(threads=settings.threads, vocabulary=load_vocabulary())
    rows = RowPrinter(args.json, "speech-to-text", {
        "model": "model", "variant": "variant", "noise": "noise", "wer": "WER", "wer_piper": "WER piper",
        "wer_espeak": "WER espeak", "p50_s": "p50", "p95_s": "p95", "real_time_factor": "RTF",
        "empty_transcripts": "empty",
    }, threads=settings.threads)
    variants = standard_variants(base, args.ablations)
    with WorkProgress() as tasks:
        for name in args.models or [settings.stt_model]:
            run_stt_bench(name, model_path(Role.STT, name, settings), variants, args.noise, commands, rows.add,
                          repeats=args.repeat, tasks=tasks)
    rows.finish(f"{len(commands)} commands, {settings.threads} threads")
    return 0


def bench_tts(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.tts import REPLIES, run_tts_bench

    rows = RowPrinter(args.json, "text-to-speech", {
        "voice": "voice", "variant": "variant", "load_s": "load", "first_audio_p50_s": "first audio p50",
        "first_audio_p95_s": "p95", "first_audio_max_s": "max", "real_time_factor": "RTF",
    }, threads=settings.threads)
    run_tts_bench(settings.tts_voice, model_path(Role.TTS, settings.tts_voice, settings), rows.add,
                  REPLIES[: args.limit])
    rows.finish(f"{settings.threads} threads")
    return 0
