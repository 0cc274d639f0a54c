"""`carvoice bench endpointing`: fixed silence vs smart endpointing, replayed live through the microphone code;
`carvoice bench e2e`: end of speech -> first reply audio, stage by stage, the way `carvoice talk` answers."""

from __future__ import annotations

import argparse

from carvoice.config import Settings


def register(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from carvoice.cli.output import positive_int

    bench = kinds.add_parser(
        "endpointing", parents=[common], help="latency and false cut-offs of fixed vs smart endpointing",
        description="Replay spoken commands in real time into the microphone code and run each as a turn: "
        "end of speech -> first reply audio with the endpointing wait included, the share of turns ended "
        "early as whole commands, agreement with the fixed rule, and false cut-offs on the same commands said "
        "with a hesitation in the middle. Takes about 10 s per command.")
    bench.add_argument("--limit", type=positive_int, default=30, metavar="N",
                       help="spoken commands (spread over audio_samples/); default 30")
    bench.add_argument("--pause", type=float, default=0.8, metavar="SECONDS",
                       help="the hesitation in the middle of the paused commands; default 0.8")
    bench.add_argument("--fixed-silence", type=float, default=0.6, metavar="SECONDS",
                       help="the fixed rule's end-of-speech silence; default 0.6")
    bench.add_argument("--json", action="store_true", help="one JSON object per row")
    bench.set_defaults(handler=bench_endpointing)

    e2e = kinds.add_parser(
        "e2e", parents=[common], help="end of speech -> first reply audio, stage by stage, replayed live",
        description="Replay spoken commands in real time into the microphone code, endpointed as `carvoice talk` "
        "does, and run each as the first turn of a new car: the latency from the end of speech to the first reply "
        "audio and each stage's part of it (endpointing wait, STT, NLU, vehicle, first TTS chunk). Choose models "
        "with --stt/--slm/--voice. About 4 s per command.")
    e2e.add_argument("--limit", type=positive_int, default=40, metavar="N",
                     help="spoken commands (spread over audio_samples/); default 40")
    e2e.add_argument("--json", action="store_true", help="one JSON object per row")
    e2e.set_defaults(handler=bench_e2e)


def bench_endpointing(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant.startup import load_assistant
    from carvoice.bench.endpointing import run_endpointing_bench, standard_modes
    from carvoice.bench.nlu import spread
    from carvoice.bench.samples import load_commands, sample_audio
    from carvoice.cli.output import RowPrinter

    chosen = spread(load_commands(), args.limit)
    assistant = load_assistant(settings, speech_in=True)
    rows = RowPrinter(args.json, f"endpointing ({len(chosen)} commands, live)", {
        "mode": "mode", "commands": "commands", "latency_p50_s": "end->audio p50", "latency_p95_s": "p95",
        "early_end_share": "ended early", "agreement": "same answer", "pause_s": "pause",
        "false_cutoffs": "cut off",
    }, threads=settings.threads)
    run_endpointing_bench(assistant, [sample_audio(c).samples for c in chosen], [c.text for c in chosen],
                          standard_modes(args.fixed_silence), args.pause, rows.add)
    rows.finish("end->audio: end of speech to first reply audio, endpointing wait included. same answer: "
                "intents equal to the fixed rule's. cut off: share of the commands said with a pause in the "
                "middle whose first half was taken as the whole command.")
    return 0


def bench_e2e(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant.startup import load_assistant
    from carvoice.bench.nlu import spread
    from carvoice.bench.report.e2e import describe_endpointing, measure_end_to_end, stage_rows
    from carvoice.bench.samples import load_commands
    from carvoice.cli.output import RowPrinter, WorkProgress

    chosen = spread(load_commands(), args.limit)
    assistant = load_assistant(settings, speech_in=True)
    with WorkProgress() as tasks:
        advance = tasks("spoken commands, live", len(chosen))
        turns = measure_end_to_end(assistant, chosen, on_turn=lambda _: advance())
    answered = sum(turn.latency_s is not None and turn.error is None for turn in turns)
    rows = RowPrinter(args.json, f"end of speech -> first reply audio ({answered}/{len(turns)} commands answered)",
                      {"stage": "stage", "p50_s": "p50", "p95_s": "p95", "share": "share of the latency"},
                      threads=settings.threads)
    for row in stage_rows(turns):
        rows.add(row)
    rows.finish(f"{assistant.describe_models()}. Endpointing {describe_endpointing()}. Each command is the first "
                "turn of a new car; the reply is synthesised, not played.")
    return 0 if answered else 1
