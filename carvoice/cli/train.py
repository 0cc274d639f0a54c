"""`carvoice train data|fit|export|all`: distil a small, fast student for the NLU stage (see carvoice/train), for
the built-in intents or any intent pack:

    carvoice train all --quick --intents packs/comfort --run runs/comfort
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path

from carvoice.config import Settings
from carvoice.errors import CarvoiceError

QUICK = {"size": 48, "steps": 3, "batch": 4, "rank": 8, "student": "smollm2-135m-instruct"}
DEFAULTS = {"size": 4000, "steps": 300, "batch": 8, "rank": 16, "student": "qwen2.5-coder-0.5b-instruct"}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    train = subparsers.add_parser("train", help="fine-tune a small student SLM (synthetic data, LoRA, GGUF)",
                                  description="Generate labelled data from the intent catalog (the built-in one "
                                  "or the pack --intents DIR names), fine-tune a LoRA adapter on a student model, "
                                  "and export it as a GGUF adapter that `--slm <run>/adapter` loads. Give the "
                                  "same --intents to every step.")
    steps = train.add_subparsers(title="steps", metavar="STEP", required=True)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--run", type=Path, metavar="DIR", help="run folder (default: $CARVOICE_HOME/train/STUDENT)")
    shared.add_argument("--student", help=f"catalog SLM to fine-tune (default {DEFAULTS['student']})")
    shared.add_argument("--quick", action="store_true",
                        help=f"a tiny run in minutes: {QUICK['size']} examples, {QUICK['steps']} steps, "
                        f"{QUICK['student']}")
    shared.add_argument("--seed", type=int, default=7)
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--size", type=int, help=f"examples to generate (default {DEFAULTS['size']})")
    data.add_argument("--teacher", metavar="SLM", help="a teacher SLM (catalog name or .gguf) to check the labels")
    data.add_argument("--teacher-policy", choices=("agree", "teacher"), default="agree",
                      help="agree: keep the examples the teacher agrees with; teacher: take the teacher's labels")
    data.add_argument("--heard", type=_share, default=0.0, metavar="SHARE",
                      help="share (0..1) of the examples said by the configured voice over cabin noise and "
                      "written as the speech-to-text model hears them, labels kept (default 0: none)")
    data.add_argument("--written", type=Path, action="append", default=[], metavar="PATH",
                      help="add the labelled sentences of this file or folder (the eval sets' format, e.g. "
                           "carvoice/train/written); repeatable")
    data.add_argument("--written-repeat", type=int, default=1, metavar="N",
                      help="put each written sentence N times into the set (default 1)")
    data.add_argument("--kind", dest="kinds", type=_kind_weight, action="append", default=[], metavar="KIND=WEIGHT",
                      help="draw a kind of example more or less often (repeatable), e.g. multi=0.2 (the kinds and "
                      "their default weights: KIND_WEIGHTS in carvoice/train/dataset.py)")
    fitting = argparse.ArgumentParser(add_help=False)
    fitting.add_argument("--steps", type=int, help=f"optimiser steps (default {DEFAULTS['steps']})")
    fitting.add_argument("--epochs", type=float, help="passes over the training set (instead of --steps)")
    fitting.add_argument("--batch", type=int, help=f"examples per step (default {DEFAULTS['batch']})")
    fitting.add_argument("--rank", type=int, help=f"LoRA rank (default {DEFAULTS['rank']})")
    fitting.add_argument("--learning-rate", type=float, default=4e-4)
    fitting.add_argument("--targets", choices=("attention", "all"), default="attention",
                         help="projections the adapter changes: attention (smallest) or all (adds feed-forward)")
    fitting.add_argument("--device", default="auto", help="auto (a CUDA GPU when torch sees one), cpu or cuda")
    fitting.add_argument("--minutes", type=float, help="time box: fit the steps into this many minutes")
    fitting.add_argument("--from", dest="start_from", type=Path, metavar="ADAPTER",
                         help="go on training an adapter: a GGUF LoRA file or a folder with adapter.gguf (a "
                              "shipped adapter such as carvoice/models/adapters/qwen2.5-coder-0.5b-carvoice)")
    fitting.add_argument("--resume", action="store_true",
                         help="go on from where the last fit of this run stopped (adapter and optimiser state)")
    export = argparse.ArgumentParser(add_help=False)
    export.add_argument("--metrics", type=Path, metavar="FILE",
                        help="`carvoice bench nlu --json` output of the adapter, for its model card")
    for name, parents, text in (("data", [data], "generate the training set"),
                                ("fit", [fitting], "train the LoRA adapter"),
                                ("export", [export], "write the GGUF adapter, its recipe and model card"),
                                ("all", [data, fitting, export], "data, fit and export in one go")):
        step = steps.add_parser(name, parents=[common, shared, *parents], help=text)
        step.set_defaults(handler=run_step, step=name)


def _kind_weight(text: str) -> tuple[str, float]:
    """--kind's value, KIND=WEIGHT, refused by argparse (a usage line) when it is not one; the kind and the
    weight are checked by GenerationOptions."""
    kind, _, weight = text.partition("=")
    try:
        value = float(weight)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give KIND=WEIGHT, e.g. multi=0.2") from None
    return kind, value


def _share(text: str) -> float:
    """--heard's value, refused by argparse (a usage line, no traceback) unless it is a share from 0 to 1."""
    from carvoice.train.heard import HearingOptions

    try:
        return HearingOptions(share=float(text)).share
    except (ValueError, CarvoiceError) as error:
        raise argparse.ArgumentTypeError(f"a share from 0 to 1, such as 0.3, not {text!r}") from error


def _option(args: argparse.Namespace, name: str):
    value = getattr(args, name, None)
    return value if value is not None else (QUICK if args.quick else DEFAULTS)[name]


def run_step(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant.startup import resolve_model
    from carvoice.models import Role
    from carvoice.pack import IntentPack
    from carvoice.train.run import RunFolder

    student = _option(args, "student")
    base = resolve_model(settings, Role.SLM, student)
    run = RunFolder(args.run or settings.home / "train" / student)
    pack = IntentPack.at(settings.intents_dir)
    if args.step in ("data", "all"):
        _data(args, settings, run, pack)
    if args.step in ("fit", "all"):
        _fit(args, settings, run, pack, base.path)
    if args.step in ("export", "all"):
        from carvoice.train.run import export_adapter

        folder = export_adapter(run, student, base.path, f"{student}-carvoice", pack, _metrics(args.metrics))
        intents = "" if pack.is_builtin else f" --intents {pack.folder}"
        print(f"exported {folder}; try it: carvoice bench nlu --slm {folder}{intents} --limit 50")
    return 0


def _metrics(path: Path | None) -> dict[str, float]:
    """The numeric fields of the first row of `carvoice bench nlu --json` output."""
    if path is None:
        return {}
    try:
        row = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    except (OSError, IndexError, ValueError) as exc:
        raise CarvoiceError(f"{path}: not the JSON output of `carvoice bench nlu --json` ({exc})") from exc
    return {key: value for key, value in row.items() if isinstance(value, (int, float))}


def _data(args, settings: Settings, run, pack) -> None:
    from carvoice.train.dataset import GenerationOptions
    from carvoice.train.run import make_data

    options = GenerationOptions(size=_option(args, "size"), seed=args.seed,
                                written_repeat=args.written_repeat).weighted(dict(args.kinds))
    teacher = None
    if args.teacher:
        from carvoice.models import Role
        from carvoice.assistant.startup import load_understander, resolve_model
        from carvoice.train.teacher import relabel

        path = resolve_model(settings, Role.SLM, args.teacher).path
        teacher = partial(relabel, teacher=load_understander(settings, path, pack.catalog()),
                          policy=args.teacher_policy)
    hearing = None
    if args.heard:
        from carvoice.train.heard import Hearing, HearingOptions, load_ear

        hearing = Hearing(HearingOptions(share=args.heard, seed=args.seed), load_ear(settings))
    make_data(run, options, pack, print, teacher, hearing, args.written)


def _imported(adapter: Path | None, folder: Path) -> Path | None:
    """A GGUF LoRA given with --from, as the peft folder `fit` starts from."""
    if adapter is None:
        return None
    from carvoice.train.export import import_lora

    gguf_file = adapter / "adapter.gguf" if adapter.is_dir() else adapter
    if not gguf_file.is_file():
        raise CarvoiceError(f"{adapter}: no GGUF LoRA adapter here (a .gguf file, or a folder with adapter.gguf)")
    return import_lora(gguf_file, folder)


def _fit(args, settings: Settings, run, pack, base_gguf: Path) -> None:
    from carvoice.train.fit import FitOptions
    from carvoice.train.run import fit_adapter

    rank = _option(args, "rank")
    options = FitOptions(base_gguf=base_gguf, steps=_option(args, "steps"), epochs=args.epochs,
                         batch_size=_option(args, "batch"), learning_rate=args.learning_rate, rank=rank,
                         alpha=2 * rank, targets=args.targets, max_minutes=args.minutes, seed=args.seed,
                         threads=settings.threads, device=args.device, resume=args.resume,
                         start_from=_imported(args.start_from, run.path / "peft-start"))
    result = fit_adapter(run, options, pack, print)
    print(f"fitted {result.steps} steps in {result.wall_s / 60:.1f} min; final loss {result.final_loss:.3f}")
