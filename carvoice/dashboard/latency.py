"""Where the time goes: the last turn stage by stage as bars, p50 / p95 over the session, a sparkline of the
headline figure (end of speech -> first reply audio) per turn, and the models with their load times."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from carvoice.startup import LoadedModel
from carvoice.turn import TurnRecord

BAR_CELLS = 20
MIN_BAR_CELLS = 4
FIXED_COLUMNS_WIDTH = 13 + 3 * 5 + 4 * 2 + 1
"""The stage names, three 5-character numbers, the gaps between the five columns, and one cell to spare."""
EIGHTHS = " ▏▎▍▌▋▊▉"
LEVELS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class TurnLatency:
    """Seconds per stage of one turn; None where the turn had no such stage (typed text has no STT)."""

    stt: float | None = None
    nlu: float | None = None
    vehicle: float | None = None
    tts_first_audio: float | None = None
    end_to_first_audio: float | None = None

    @classmethod
    def of(cls, record: TurnRecord) -> TurnLatency:
        seconds = record.stage_seconds()
        tts = record.spans.get("tts")
        first_audio = None if tts is None or record.first_audio_at is None else record.first_audio_at - tts.start
        return cls(stt=seconds.get("stt"), nlu=seconds.get("nlu"), vehicle=seconds.get("vehicle"),
                   tts_first_audio=first_audio, end_to_first_audio=record.latency_s)


LABELS = {"stt": "STT", "nlu": "NLU", "vehicle": "vehicle", "tts_first_audio": "TTS 1st audio",
          "end_to_first_audio": "end → audio"}
METRICS = tuple(f.name for f in fields(TurnLatency))
HEADLINE = "end_to_first_audio"


class LatencyHistory:
    def __init__(self) -> None:
        self.turns: list[TurnLatency] = []

    def add(self, latency: TurnLatency) -> None:
        self.turns.append(latency)

    def series(self, metric: str) -> list[float]:
        return [value for turn in self.turns if (value := getattr(turn, metric)) is not None]

    def percentile(self, metric: str, q: float) -> float | None:
        values = self.series(metric)
        return float(np.percentile(values, q)) if values else None


def bar(value: float, maximum: float, cells: int = BAR_CELLS) -> str:
    """A horizontal bar in eighths of a cell, `cells` wide at `maximum`."""
    eighths = round(cells * 8 * min(value / maximum, 1.0)) if maximum > 0 else 0
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(cells)


def trend(values: list[float], cells: int) -> str:
    """The last `cells` values, one block each, scaled from zero to the largest shown."""
    shown = values[-cells:] if cells > 0 else []
    top = max(shown, default=0.0)
    return "".join(LEVELS[min(int(v / top * len(LEVELS)), len(LEVELS) - 1)] if top > 0 else LEVELS[0] for v in shown)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class StageTable(Static):
    """The last turn as bars, beside the session's p50 and p95; the bars take the width left over."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"stage-table--bar", "stage-table--headline"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history = LatencyHistory()

    def show(self, history: LatencyHistory) -> None:
        self.history = history
        self.refresh()

    def render(self) -> Table:
        history = self.history
        last = history.turns[-1] if history.turns else TurnLatency()
        longest = max((v for name in METRICS if (v := getattr(last, name)) is not None), default=0.0)
        cells = min(max(self.size.width - FIXED_COLUMNS_WIDTH, MIN_BAR_CELLS), BAR_CELLS)
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="dim")
        table.add_column("stage", no_wrap=True)
        table.add_column("", no_wrap=True, min_width=cells)
        for column in ("last", "p50", "p95"):
            table.add_column(column, justify="right", no_wrap=True, min_width=5)
        for name in METRICS:
            value = getattr(last, name)
            style = self.get_component_rich_style("stage-table--headline" if name == HEADLINE else "stage-table--bar")
            table.add_row(LABELS[name], Text(bar(value or 0.0, longest, cells), style=style),
                          _seconds(value), _seconds(history.percentile(name, 50)),
                          _seconds(history.percentile(name, 95)))
        return table


class TrendLine(Static):
    """One block per turn, newest on the right, then the newest value."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"trend-line--blocks"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.values: list[float] = []

    def show(self, values: list[float]) -> None:
        self.values = values
        self.refresh()

    def render(self) -> Text:
        values = self.values
        latest = f" {values[-1]:.2f} s" if values else " —"
        blocks = trend(values, max(self.size.width - len(latest), 0))
        return Text.assemble((blocks, self.get_component_rich_style("trend-line--blocks")), latest)


class ModelList(Static):
    def show(self, models: list[LoadedModel], total_s: float) -> None:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        grid.add_column(justify="right", no_wrap=True)
        for model in models:
            grid.add_row(model.role, model.name, f"{model.load_s:.1f} s")
        grid.add_row("", Text("ready in", style="dim"), f"{total_s:.1f} s")
        self.update(grid)


class LatencyPanel(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history = LatencyHistory()
        self.border_title = "Latency"

    def compose(self) -> ComposeResult:
        yield StageTable(id="stage-table")
        with Horizontal(id="trend"):
            yield Label("end → audio per turn", id="trend-label")
            yield TrendLine(id="trend-line")
        yield ModelList("models loading…", id="models")

    def add_turn(self, record: TurnRecord) -> None:
        self.history.add(TurnLatency.of(record))
        self.query_one(StageTable).show(self.history)
        self.query_one(TrendLine).show(self.history.series(HEADLINE))

    def show_models(self, models: list[LoadedModel], total_s: float) -> None:
        self.query_one(ModelList).show(models, total_s)
