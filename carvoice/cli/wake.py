"""`carvoice bench wake`: false rejects of the wake phrase per noise level and input level, false accepts per hour
on audio without it, the delay and the CPU, per threshold. `register(kinds, common)` adds it to `carvoice bench`."""

from __future__ import annotations

import argparse
import json
import sys

from carvoice.config import Settings


def register(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from carvoice.cli.output import float_in

    bench = kinds.add_parser(
        "wake", parents=[common], help="false rejects, false accepts per hour, delay and CPU of the wake word",
        description="The wake phrase synthesised by the piper voice (spellings, speeds, pitches) in clean, 10 dB "
        "and 5 dB cabin noise at three input levels, and long audio without it (the spoken commands of "
        "audio_samples/, talk read from the evaluation sets, the assistant's own replies, music-like sound): "
        "false rejects and false accepts per hour for each threshold, the delay from the end of the phrase, and "
        "the detector's CPU per second of audio. The wake word is --wake-word (default okay_nabu). Takes about "
        "8 minutes by default, most of it synthesising speech.")
    bench.add_argument("--talk-minutes", type=float_in(0, 24 * 60), default=30.0, metavar="M",
                       help="synthesised talk without the wake word (default 30)")
    bench.add_argument("--reply-minutes", type=float_in(0, 24 * 60), default=10.0, metavar="M",
                       help="the assistant's replies, in its own voice (default 10)")
    bench.add_argument("--music-minutes", type=float_in(0, 24 * 60), default=10.0, metavar="M",
                       help="music-like sound (default 10)")
    bench.add_argument("--threshold", type=float_in(0, 1), metavar="T",
                       help="read the rows per input level and per source at this threshold (default: the one "
                       "carvoice uses for the model)")
    bench.add_argument("--quick", action="store_true", help="a minute of talk and half a minute of the rest")
    bench.add_argument("--json", action="store_true", help="one JSON object per row")
    bench.set_defaults(handler=bench_wake)


def bench_wake(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.bench.wake import WakeBenchOptions, measure_wake
    from carvoice.cli.output import WorkProgress

    options = WakeBenchOptions.quick() if args.quick else WakeBenchOptions(
        talk_minutes=args.talk_minutes, reply_minutes=args.reply_minutes, music_minutes=args.music_minutes)
    with WorkProgress() as tasks:
        report = measure_wake(settings, options, args.threshold, tasks, note=tasks.note)
    _print(report, args.json, settings.threads)
    return 0


def _print(report, as_json: bool, threads: int) -> None:
    from carvoice.cli.output import RowPrinter, machine_line

    if as_json:
        print(json.dumps(report.model_dump()))
        print(machine_line(threads), file=sys.stderr)
        return
    fr = {"false_rejects_clean": "FR clean", "false_rejects_10db": "FR 10 dB", "false_rejects_5db": "FR 5 dB"}
    tables = [
        (f"{report.model}: threshold curve ({report.phrases} phrases x 3 levels per noise; "
         f"{report.negative_hours:.2f} h without it)", report.curve,
         {"threshold": "threshold", **fr, "false_accepts": "false accepts", "false_accepts_per_hour": "per hour",
          "delay_p50_s": "delay p50", "delay_p95_s": "delay p95"}),
        (f"false rejects by input level at {report.threshold:.2f}", report.levels, {"level": "input level", **fr}),
        (f"false accepts by source at {report.threshold:.2f}", report.sources,
         {"source": "audio without the wake word", "minutes": "minutes", "false_accepts": "false accepts",
          "false_accepts_per_hour": "per hour", "top_score": "top score"}),
    ]
    for index, (title, rows, columns) in enumerate(tables):
        printer = RowPrinter(False, title, columns, threads)
        for row in rows:
            printer.add(row)
        last = index == len(tables) - 1
        printer.finish(_caption(report) if last else "FR: false rejects. Delay: from the end of the phrase.")


def _caption(report) -> str:
    suggested = "none of those tried" if report.suggested is None else f"{report.suggested:.2f}"
    return (f"detector CPU: {report.cpu_share:.2%} of one core per second of audio. Suggested threshold (the "
            f"lowest without a false accept): {suggested}")
