"""`carvoice intents`: the intents of the configured intent pack, and `intents check DIR` to validate a pack.

    carvoice intents                         # the built-in car's intents
    carvoice intents --intents packs/comfort # another pack's, and which of them this car runs
    carvoice intents check packs/comfort     # every problem as file:line, exit 1 if any
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from carvoice.cli.output import stdout_console
from carvoice.config import Settings


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    intents = subparsers.add_parser("intents", parents=[common], help="list the intents the assistant understands",
                                    description="List the intents of the intent pack (--intents DIR, default the "
                                    "car's built-in intents): slots, and whether the simulated car runs them.")
    intents.add_argument("--json", action="store_true", help="one JSON object per intent")
    intents.set_defaults(handler=list_intents)
    actions = intents.add_subparsers(title="actions", metavar="ACTION")
    check = actions.add_parser("check", parents=[common], help="validate an intent pack folder",
                               description="Validate an intent pack: its catalog files, evaluation cases and "
                               "vocabulary, every problem with its file and line.")
    check.add_argument("folder", type=Path, nargs="?", help="the pack folder (default: --intents, or built-in)")
    check.set_defaults(handler=check_intents)


def list_intents(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.pack import IntentPack, runs_on

    pack = IntentPack.at(settings.intents_dir)
    rows = [{"domain": domain.domain, "intent": intent.name, "slots": [slot.name for slot in intent.slots],
             "runs_on": runs_on(intent)}
            for domain in pack.catalog().domains for intent in domain.intents]
    if args.json:
        print("\n".join(json.dumps(row) for row in rows))
        return 0
    table = Table(title=f"intents of the {pack.name} pack ({pack.folder})")
    for column in ("domain", "intent", "slots", "runs on"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["domain"], row["intent"], escape(", ".join(row["slots"])), row["runs_on"])
    stdout_console().print(table)
    return 0


def check_intents(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.pack import IntentPack, check_pack

    pack = IntentPack.at(args.folder or settings.intents_dir)
    problems, summary = check_pack(pack)
    for problem in problems:
        print(problem)
    for line in summary:
        print(f"{pack.folder}: {line}")
    print(f"{pack.folder}: {len(problems)} problem(s)" if problems else f"{pack.folder}: ok")
    return 1 if problems else 0
