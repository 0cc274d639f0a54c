"""`carvoice bench soak`: thousands of turns in one process; exit 1 on memory growth, slowdown or a broken
invariant. `register(kinds, common)` adds it to the `carvoice bench` sub-commands."""

from __future__ import annotations

import argparse
import json
import sys

from carvoice.config import Settings

QUICK_TEXT_TURNS, QUICK_AUDIO_TURNS = 60, 6


def register(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from carvoice.bench.soak import SoakPlan
    from carvoice.cli.bench import int_at_least

    plan = SoakPlan()
    soak = kinds.add_parser(
        "soak", parents=[common], help="a long run: memory growth, p95 slowdown, vehicle invariants",
        description="Run many typed and spoken turns through one assistant (the real models, one car) and "
        f"compare memory and latency at the start and the end. Fails (exit 1) when resident memory grows more "
        f"than {plan.max_growth_mb:g} MB after the warm-up, the p95 latency of the last turns is more than "
        f"x{plan.max_slowdown:g} that of the first ones, a turn ends in an error, or a vehicle invariant breaks.")
    soak.add_argument("--text-turns", type=int_at_least(0), default=plan.text_turns, metavar="N",
                      help=f"typed turns (default {plan.text_turns})")
    soak.add_argument("--audio-turns", type=int_at_least(0), default=plan.audio_turns, metavar="N",
                      help=f"spoken turns from audio_samples/ (default {plan.audio_turns})")
    soak.add_argument("--quick", action="store_true",
                      help=f"{QUICK_TEXT_TURNS} typed and {QUICK_AUDIO_TURNS} spoken turns, a few minutes")
    soak.add_argument("--json", action="store_true", help="the report as one JSON object")
    soak.set_defaults(handler=bench_soak)


def bench_soak(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant import Assistant
    from carvoice.bench.soak import SoakPlan, run_soak
    from carvoice.reply_audio import SilentOutput

    text_turns, audio_turns = (QUICK_TEXT_TURNS, QUICK_AUDIO_TURNS) if args.quick else (args.text_turns,
                                                                                        args.audio_turns)
    plan = SoakPlan(text_turns=text_turns, audio_turns=audio_turns)
    texts, recordings = soak_commands(audio_turns)
    assistant = Assistant(settings, speech_in=audio_turns > 0, reply_output=SilentOutput())
    print(f"{assistant.describe_models()}; {text_turns} typed + {audio_turns} spoken turns", file=sys.stderr)
    report = run_soak(assistant.pipeline, plan, texts, recordings, on_turn=_progress(text_turns + audio_turns))
    if args.json:
        print(json.dumps({**report.model_dump(), "growth_mb": report.growth_mb, "problems": report.problems}))
    else:
        _print_report(report)
    return 1 if report.problems else 0


def soak_commands(audio_turns: int):
    """The evaluation set's utterances as typed turns; the spoken test set, clean and in cabin noise, as audio."""
    from carvoice.bench.samples import load_commands, sample_audio
    from carvoice.nlu.evalset import load_eval_set

    texts = [case.text for case in load_eval_set()]
    commands = load_commands()[:audio_turns]
    recordings = [sample_audio(command, "clean" if index % 2 == 0 else "10db")
                  for index, command in enumerate(commands)]
    return texts, recordings


def _progress(total: int):
    step = max(1, total // 20)

    def report(number: int, record) -> None:
        if number % step == 0 or number == total:
            print(f"  turn {number}/{total}", file=sys.stderr, flush=True)

    return report


def _print_report(report) -> None:
    from rich.table import Table

    from carvoice.cli.output import stdout_console

    console = stdout_console()
    console.print(f"memory (RSS)  start {report.rss_start_mb:.0f} MB · after warm-up {report.rss_warm_mb:.0f} MB · "
                  f"end {report.rss_end_mb:.0f} MB · peak {report.rss_peak_mb:.0f} MB · growth "
                  f"{report.growth_mb:+.1f} MB (bound {report.max_growth_mb:g} MB)")
    table = Table(title="latency per turn, first and last window",
                  caption=f"slowdown = last p95 / first p95 (bound x{report.max_slowdown:g})")
    for header in ("turns", "kind", "window", "first p50", "first p95", "last p50", "last p95", "slowdown"):
        table.add_column(header)
    for w in report.latency:
        table.add_row(str(w.turns), w.kind, str(w.window), *(f"{v * 1000:.0f} ms" for v in (
            w.first_p50_s, w.first_p95_s, w.last_p50_s, w.last_p95_s)), f"x{w.slowdown:.2f}")
    console.print(table)
    console.print(f"invariant checks {report.invariant_checks}, failed {len(report.invariant_failures)}; "
                  f"turns with an error {len(report.failed_turns)}; {report.wall_s:.0f} s in all")
    for problem in report.problems:
        console.print(f"[red]FAIL[/] {problem}")
    if not report.problems:
        console.print("[green]OK[/] no growth beyond the bound, no slowdown, every invariant held")
