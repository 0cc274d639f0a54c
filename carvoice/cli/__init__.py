"""The `carvoice` command: one sub-command module per area, each registering its own sub-commands.

A command module exposes `register(subparsers, common)`: it adds argparse sub-parsers (built with
`parents=[common]` so every command takes the settings flags) and sets `handler=fn` where
`fn(args, settings) -> int` returns the exit code. Modules import heavy libraries inside handlers only,
so `carvoice --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from pathlib import Path

from carvoice import __version__
from carvoice.config import load_settings
from carvoice.errors import CarvoiceError

COMMAND_MODULES = (
    "carvoice.cli.models",
    "carvoice.cli.config",
    "carvoice.cli.intents",
    "carvoice.cli.assistant",
    "carvoice.cli.train",
    "carvoice.cli.speech",
    "carvoice.cli.bench",
    "carvoice.cli.dashboard",
    "carvoice.cli.suites",
)

# flag -> Settings field; every command accepts these, and they outrank the config file and environment.
SETTINGS_FLAGS = {
    "--home": ("home", Path, "model store and cache folder ($CARVOICE_HOME)"),
    "--stt": ("stt_model", str, "speech-to-text model: catalog name, a whisper (CTranslate2) or Moonshine folder, or hub id"),
    "--slm": ("slm_model", str, "language model: catalog name or .gguf path"),
    "--tts": ("tts_voice", str, "piper voice: catalog name or .onnx path"),
    "--wake-word": ("wake_word", str, "listen only after this wake word: okay_nabu, hey_jarvis, alexa, hey_mycroft, "
                    "a microWakeWord .json path, or none"),
    "--intents": ("intents_dir", Path, "intent pack folder (intent catalog *.yaml, optional eval/ and vocabulary.yaml); "
                  "default: the car's built-in intents"),
    "--threads": ("threads", int, "CPU threads per model"),
    "--input-device": ("input_device", str, "microphone (name or index, see `carvoice devices`)"),
    "--output-device": ("output_device", str, "speaker (name or index)"),
    "--temperature-unit": ("temperature_unit", str, "celsius or fahrenheit"),
    "--distance-unit": ("distance_unit", str, "km or mi"),
}


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="show the libraries' own logs, warnings and progress bars")
    group = common.add_argument_group("settings (override the config file and CARVOICE_* environment)")
    group.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="TOML config file")
    for flag, (dest, kind, text) in SETTINGS_FLAGS.items():
        group.add_argument(flag, dest=dest, type=kind, default=argparse.SUPPRESS, help=text)
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="carvoice",
        description="Offline in-car voice assistant simulator: speech in, on-board language model, simulated car, "
        "speech out.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"carvoice {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers, common)
    return parser


def quiet_libraries() -> None:
    """Keep the terminal for carvoice's own output: no tqdm bars or deprecation notes from torch, transformers,
    peft or huggingface_hub (they flood `train`); their errors still surface as carvoice errors."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    warnings.filterwarnings("ignore", category=Warning, module=r"(torch|transformers|peft|huggingface_hub|gguf)\b")
    warnings.filterwarnings("ignore", category=FutureWarning)


def settings_overrides(args: argparse.Namespace) -> dict:
    return {dest: getattr(args, dest) for dest, *_ in SETTINGS_FLAGS.values() if hasattr(args, dest)}


def main(argv: list[str] | None = None) -> int:
    if "--verbose" not in (sys.argv[1:] if argv is None else argv):
        quiet_libraries()  # before the command modules import tqdm, which reads its settings once
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        settings = load_settings(getattr(args, "config", None), settings_overrides(args))
        return args.handler(args, settings)
    except CarvoiceError as exc:
        print(f"carvoice: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("carvoice: interrupted", file=sys.stderr)
        return 130
