"""`carvoice config`: the effective settings and where each value came from."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from carvoice.cli import settings_overrides
from carvoice.cli.output import stdout_console
from carvoice.config import Settings, describe_sources, find_config_file


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    config = subparsers.add_parser("config", parents=[common], help="print the effective settings",
                                   description="Settings come from defaults < TOML config file < CARVOICE_* "
                                   "environment < command-line flags.")
    config.add_argument("--json", action="store_true", help="print the settings as one JSON object")
    config.set_defaults(handler=show_config)


def show_config(args: argparse.Namespace, settings: Settings) -> int:
    if args.json:
        print(settings.model_dump_json())
        return 0
    config_file = getattr(args, "config", None)
    sources = describe_sources(config_file, settings_overrides(args))
    found = find_config_file(config_file)
    table = Table(title=f"carvoice settings  (config file: {found or 'none'})")
    for column in ("setting", "value", "from"):
        table.add_column(column)
    for name, value in settings.model_dump(mode="json").items():
        table.add_row(name, json.dumps(value) if not isinstance(value, str) else value, sources[name])
    stdout_console().print(table)
    return 0
