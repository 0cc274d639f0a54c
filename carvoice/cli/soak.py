"""`carvoice bench soak`: thousands of turns in one process; exit 1 on memory growth, slowdown or a broken
invariant. `register(kinds, common)` adds it to the `carvoice bench` sub-commands."""

from __future__ import annotations

import argparse
import json
import sys

from carvoice.config import Settings


def register(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from carvoice.bench.soak import QUICK_PLAN, SoakPlan
    from carvoice.cli.output import int_at_least

    plan = SoakPlan()
    soak = kinds.add_parser(
        "soak", parents=[common], help="a long run: memory growth, p95 slowdown, vehicle invariants",
        description="Run many typed and spoken turns through one assistant (the real models, one car), sampling "
        f"memory every {plan.sample_every} turns and comparing latency at the start and the end. Fails (exit 1) "
        f"when the trend of resident memory after the {plan.warmup_turns}-turn warm-up rises more than "
        f"{plan.max_growth_mb:g} MB, the p95 latency of the last turns is more than x{plan.max_slowdown:g} that "
        "of the first ones, a turn ends in an error, or a vehicle invariant breaks.")
    soak.add_argument("--text-turns", type=int_at_least(0), default=plan.text_turns, metavar="N",
                      help=f"typed turns (default {plan.text_turns})")
    soak.add_argument("--audio-turns", type=int_at_least(0), default=plan.audio_turns, metavar="N",
                      help=f"spoken turns from audio_samples/ (default {plan.audio_turns})")
    soak.add_argument("--quick", action="store_true",
                      help=f"{QUICK_PLAN.text_turns} typed and {QUICK_PLAN.audio_turns} spoken turns, a few "
                      "minutes; too short to judge memory")
    soak.add_argument("--json", action="store_true", help="the report as one JSON object")
    soak.set_defaults(handler=bench_soak)


def bench_soak(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant.reply_audio import SilentOutput
    from carvoice.assistant.startup import load_assistant
    from carvoice.bench.soak import QUICK_PLAN, SoakPlan, run_soak

    plan = QUICK_PLAN if args.quick else SoakPlan(text_turns=args.text_turns, audio_turns=args.audio_turns)
    texts, recordings = soak_commands(plan.audio_turns)
    assistant = load_assistant(settings, speech_in=plan.audio_turns > 0)
    print(f"{assistant.describe_models()}; {plan.text_turns} typed + {plan.audio_turns} spoken turns",
          file=sys.stderr)
    report = run_soak(assistant.converse(reply_output=SilentOutput()), plan, texts, recordings, on_turn=_progress(plan.turns))
    if args.json:
        trend = report.memory_trend
        print(json.dumps({**report.model_dump(), "memory_trend": trend and trend.model_dump(),
                          "problems": report.problems}))
    else:
        _print_report(report, settings.threads)
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


def _print_report(report, threads: int) -> None:
    from rich.table import Table

    from carvoice.cli.output import machine_line, stdout_console

    console = stdout_console()
    console.print(machine_line(threads))
    console.print(f"memory (RSS)  start {report.rss_start_mb:.0f} MB · after {report.warmup_turns} warm-up turns "
                  f"{report.rss_warm_mb:.0f} MB · end {report.rss_end_mb:.0f} MB · peak {report.rss_peak_mb:.0f} MB")
    console.print(_trend_line(report))
    if report.rss_samples:
        console.print("RSS samples (turn: MB)  " + " ".join(f"{s.turn}:{s.mb:.0f}" for s in report.rss_samples))
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
        memory = "no memory growth beyond the bound" if report.memory_trend else "memory not judged"
        console.print(f"[green]OK[/] {memory}, no slowdown, every invariant held")


def _trend_line(report) -> str:
    from carvoice.bench.soak import MIN_TREND_SAMPLES

    trend = report.memory_trend
    if trend is None:
        return (f"memory trend not judged: fewer than {MIN_TREND_SAMPLES} samples after the warm-up "
                "(a run this short cannot tell a leak from the runtimes' pools filling)")
    return (f"memory trend after the warm-up  {trend.growth_mb:+.1f} MB over turns {trend.first_turn}-"
            f"{trend.last_turn} ({trend.mb_per_1000_turns:+.1f} MB per 1000 turns, {trend.samples} samples; "
            f"bound {report.max_growth_mb:g} MB)")
