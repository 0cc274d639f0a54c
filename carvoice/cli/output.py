"""Terminal output shared by the commands: tables on stdout, pull and work progress on stderr."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable

from rich.console import Console
from pydantic import BaseModel
from rich.markup import escape
from rich.table import Table
from rich.progress import (BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn, TransferSpeedColumn)

from carvoice.progress import Advance
from carvoice.models import CatalogModel

PIPE_WIDTH = 120


def stdout_console() -> Console:
    """A console for tables: the terminal's width, or a roomy fixed width when piped into a file or log."""
    console = Console()
    return console if console.is_terminal else Console(width=PIPE_WIDTH)


class _Bars:
    """Rich progress bars on stderr, drawn only on a terminal; a context manager."""

    def __init__(self, console: Console | None, *columns) -> None:
        self.console = console or Console(stderr=True)
        self.live = self.console.is_terminal
        self.progress = Progress(*columns, console=self.console)

    def __enter__(self):
        if self.live:
            self.progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.live:
            self.progress.stop()


class PullDisplay(_Bars):
    """A `PullProgress` for the terminal; use as a context manager around one or more pulls."""

    def __init__(self, console: Console | None = None) -> None:
        super().__init__(console, TextColumn("{task.fields[model]:<28}"), BarColumn(), DownloadColumn(),
                         TransferSpeedColumn(), TimeRemainingColumn(), TextColumn("{task.description}"))
        self.task = None
        self.model_name = ""

    def begin(self, model: CatalogModel) -> None:
        self.model_name = model.name
        if self.live:
            self.task = self.progress.add_task("", total=model.size, model=model.name)
        else:
            self.console.print(f"pulling {model.name} ({model.size / 1e6:.0f} MB)")

    def step(self, message: str) -> None:
        if self.live and self.task is not None:
            self.progress.update(self.task, description=message)
        else:
            print(f"  {self.model_name}: {message}", file=sys.stderr, flush=True)

    def advance(self, nbytes: int) -> None:
        if self.live and self.task is not None:
            self.progress.advance(self.task, nbytes)


class WorkProgress(_Bars):
    """Progress of long work on stderr, a `carvoice.progress.Tasks`: a bar per task on a terminal; elsewhere (a pipe,
    a CI log) a line when a task starts and at each quarter. Use as a context manager."""

    def __init__(self, console: Console | None = None) -> None:
        super().__init__(console, TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                         TimeElapsedColumn(), TimeRemainingColumn())

    def __call__(self, label: str, total: int) -> Advance:
        if self.live:
            task = self.progress.add_task(label, total=total)
            return lambda: self.progress.advance(task)
        self.note(f"{label}: 0/{total}")
        done = [0]

        def advance() -> None:
            done[0] += 1
            if done[0] * 4 // total > (done[0] - 1) * 4 // total:
                self.note(f"{label}: {done[0]}/{total}")
        return advance

    def note(self, message: str) -> None:
        """A line between the bars: what is being loaded or started."""
        self.console.print(message, highlight=False, markup=False)


def print_turn(record, console: Console | None = None) -> None:
    """One turn, readable: what was heard and understood, what the car did, the reply, and the latency."""
    console = console or stdout_console()
    console.print(f"[bold]» {escape(record.heard) or '(nothing heard)'}[/]")
    if record.understanding is not None:
        intents = "; ".join(f"{i.name}({', '.join(f'{k}={v!r}' for k, v in i.slots.items())})"
                            for i in record.understanding.intents)
        console.print(f"  understood  {escape(intents) or '-'}")
    changes = [c for o in (record.dialog.outcomes if record.dialog else []) for c in o.changes]
    if changes:
        console.print("  car         " + escape(_describe_changes(changes)))
    if record.error:
        console.print(f"  [red]error[/]       {escape(record.error)}")
    console.print(f"  reply       [green]{escape(record.reply) or '(silent)'}[/]")
    stages = " · ".join(f"{stage} {seconds:.2f}s" for stage, seconds in record.stage_seconds().items())
    latency = f" · end→first audio [bold]{record.latency_s:.2f}s[/]" if record.latency_s is not None else ""
    console.print(f"  latency     {stages}{latency}\n")


SHOWN_CHANGES = 4


def _describe_changes(changes) -> str:
    """The first few plain-valued changes (queues and lists would flood the line), and how many more there are."""
    plain = [c for c in changes if not isinstance(c.before, (list, dict)) and not isinstance(c.after, (list, dict))]
    shown = [f"{c.path} {c.before} → {c.after}" for c in plain[:SHOWN_CHANGES]]
    hidden = len(changes) - len(shown)
    return ", ".join(shown) + (f" (+{hidden} more)" if hidden else "")


def int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`."""
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = "int"  # how argparse names the type in "invalid int value"
    return parse


positive_int = int_at_least(1)


def float_in(low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number strictly between `low` and `high`."""
    def parse(text: str) -> float:
        value = float(text)
        if not low < value < high:
            raise argparse.ArgumentTypeError(f"must lie between {low:g} and {high:g}, got {value:g}")
        return value

    parse.__name__ = "float"
    return parse


class RowPrinter:
    """JSON lines as rows arrive, or one table at the end."""

    def __init__(self, as_json: bool, title: str, columns: dict[str, str], threads: int) -> None:
        """`threads`: the threads each model ran on, said with the machine under the table."""
        self.as_json = as_json
        self.title = title
        self.columns = columns
        self.threads = threads
        self.rows: list[BaseModel] = []

    def add(self, row: BaseModel) -> None:
        if self.as_json:
            print(json.dumps(row.model_dump()), flush=True)
        self.rows.append(row)

    def finish(self, caption: str) -> None:
        """The table with `caption` and the machine under it; with JSON rows, the machine goes to stderr."""
        if self.as_json:
            print(machine_line(self.threads), file=sys.stderr)
            return
        table = Table(title=self.title, caption=f"{caption}\n{machine_line(self.threads)}")
        values = [row.model_dump() for row in self.rows]
        cells = [[_cell(field, row[field]) for field in self.columns] for row in values]
        names = [line[0] for line in cells]
        for index, header in enumerate(self.columns.values()):  # the first column names the row: never cut
            table.add_column(header, min_width=max(map(len, names), default=0) if index == 0 else None)
        for line in cells:
            table.add_row(*line)
        console = stdout_console()
        if not console.is_terminal:  # a log or file: as wide as the table needs, never a cut figure
            console = Console(width=max(PIPE_WIDTH, Console(width=10_000).measure(table).maximum))
        console.print(table)


PERCENT_FIELDS = {"exact_match", "intent_accuracy", "slot_f1", "oos_precision", "oos_recall",
                  "multi_intent_accuracy", "ask_share", "ask_needed", "early_end_share", "agreement",
                  "false_cutoffs", "share", "false_rejects_clean", "false_rejects_10db", "false_rejects_5db"}
PLAIN_FIELDS = {"threshold", "top_score", "false_accepts_per_hour", "minutes"}
"""Numbers shown as they are (two decimals), not as a share or a duration."""


def _cell(field: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"  # nothing to measure, e.g. out-of-scope recall on a slice without out-of-scope cases
    if isinstance(value, float):
        if field.startswith("wer") or field in PERCENT_FIELDS:
            return f"{value:.1%}"
        if field.endswith("_mean"):
            return f"{value:.1f}"
        if field in PLAIN_FIELDS:
            return f"{value:.2f}"
        return f"{value:.3f}" if field == "real_time_factor" else f"{value * 1000:.0f} ms"
    return str(value)


def machine_line(threads: int) -> str:
    """Every benchmark's figures name the machine they come from: CPU, SIMD, threads, runtimes."""
    from carvoice.machine import engine_versions, this_machine

    return f"machine: {this_machine().describe(threads)}; {engine_versions()}"
