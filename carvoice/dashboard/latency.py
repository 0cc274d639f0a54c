"""Where the time goes: the last turn stage by stage as bars, p50 / p95 over the session, a sparkline of the
headline figure (end of speech -> first reply audio) per turn, and the models with their load times.

    panel = LatencyPanel(scale=LatencyScale(target_ms=800))   # a full bar is 800 ms, on every turn
    panel.add_turn(record)                                     # a finished TurnRecord
    bar(250, 1000, cells=8)                                    # '██      │': a quarter of the target

Every figure is in milliseconds and every bar is drawn against the same target, so a bar's length means the
same thing on every turn; the target is marked at the bars' end, and a stage past it ends in an arrow.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from carvoice.assistant.assistant import LoadedModel
from carvoice.dashboard.state_panel import flow
from carvoice.turn import TurnRecord

FIGURE_WIDTH = len("12345 ms")
FIXED_COLUMNS_WIDTH = len("TTS 1st audio") + 3 * FIGURE_WIDTH + 4 + 1 + 1
"""The stage names, three figures, the gaps between the five columns, the target's mark and one cell to spare."""
EIGHTHS = " ▏▎▍▌▋▊▉"
LEVELS = "▁▂▃▄▅▆▇█"
TARGET_MARK = "│"
PAST_TARGET_MARK = "▶"


@dataclass(frozen=True)
class LatencyScale:
    """One scale for every bar and every turn, so that lengths compare."""

    target_ms: float = 1000.0
    """What a full bar stands for; its end is marked. 1 s, the end-to-end budget a driver notices."""
    max_cells: int = 20
    """The most cells a full bar takes, however wide the panel."""
    min_cells: int = 4
    """The fewest cells a full bar takes on a narrow panel."""


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


def bar(value_ms: float, target_ms: float, cells: int) -> str:
    """A bar in eighths of a cell, `cells` wide at `target_ms`, then the target's mark (an arrow when the value
    is past it)."""
    eighths = round(cells * 8 * min(max(value_ms / target_ms, 0.0), 1.0))
    full, part = divmod(eighths, 8)
    filled = ("█" * full + (EIGHTHS[part] if part else "")).ljust(cells)
    return filled + (PAST_TARGET_MARK if value_ms > target_ms else TARGET_MARK)


def trend(values_ms: list[float], cells: int, target_ms: float) -> str:
    """The last `cells` values, one block each, from nothing to a full block at the target."""
    shown = values_ms[-cells:] if cells > 0 else []
    return "".join(LEVELS[min(max(int(value / target_ms * len(LEVELS)), 0), len(LEVELS) - 1)] for value in shown)


def milliseconds(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f} ms"


def scale_header(target_ms: float, cells: int) -> str:
    """The bar column's heading: the target's figure, ending over its mark."""
    label = next((text for text in (f"target {target_ms:.0f} ms", f"{target_ms:.0f} ms", f"{target_ms / 1000:g} s")
                  if len(text) <= cells), "")
    return label.rjust(cells) + TARGET_MARK


class StageTable(Static):
    """The last turn as bars on the fixed `scale`, beside the session's p50 and p95; the bars take the width left
    over, up to the scale's most cells."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"stage-table--bar", "stage-table--headline"}

    def __init__(self, scale: LatencyScale, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scale = scale
        self.history = LatencyHistory()

    def show(self, history: LatencyHistory) -> None:
        self.history = history
        self.refresh()

    def render(self) -> Table:
        history, scale = self.history, self.scale
        last = history.turns[-1] if history.turns else TurnLatency()
        cells = min(max(self.size.width - FIXED_COLUMNS_WIDTH, scale.min_cells), scale.max_cells)
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="dim")
        table.add_column("stage", no_wrap=True)
        table.add_column(scale_header(scale.target_ms, cells), no_wrap=True, min_width=cells + 1)
        for column in ("last", "p50", "p95"):
            table.add_column(column, justify="right", no_wrap=True, min_width=FIGURE_WIDTH - 1)
        for name in METRICS:
            value = getattr(last, name)
            style = self.get_component_rich_style("stage-table--headline" if name == HEADLINE else "stage-table--bar")
            table.add_row(LABELS[name], Text(bar((value or 0.0) * 1000, scale.target_ms, cells), style=style),
                          milliseconds(value), milliseconds(history.percentile(name, 50)),
                          milliseconds(history.percentile(name, 95)))
        return table


class TrendLine(Static):
    """One block per turn on the fixed scale (a full block at the target), newest on the right, then the newest
    value."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"trend-line--blocks"}

    def __init__(self, scale: LatencyScale, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scale = scale
        self.values: list[float] = []

    def show(self, values: list[float]) -> None:
        self.values = values
        self.refresh()

    def render(self) -> Text:
        values = self.values
        latest = f" {milliseconds(values[-1] if values else None)}"
        blocks = trend([value * 1000 for value in values], max(self.size.width - len(latest), 0), self.scale.target_ms)
        return Text.assemble((blocks, self.get_component_rich_style("trend-line--blocks")), latest)


class ModelList(Static):
    """Each model with its load time, and the total; flowed onto as many lines as the width needs."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.models: list[LoadedModel] | None = None
        self.total_s = 0.0

    def show(self, models: list[LoadedModel], total_s: float) -> None:
        self.models, self.total_s = models, total_s
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.models is None:
            return Text("models loading…", style="dim")
        pieces = [Text.assemble((f"{model.role} ", "dim"), f"{model.name} {model.load_s:.1f} s")
                  for model in self.models]
        return flow([*pieces, Text.assemble(("ready in ", "dim"), f"{self.total_s:.1f} s")], self.size.width)


class LatencyPanel(Vertical):
    def __init__(self, scale: LatencyScale = LatencyScale(), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scale = scale
        self.history = LatencyHistory()
        self.border_title = "Latency"

    def compose(self) -> ComposeResult:
        yield StageTable(self.scale, id="stage-table")
        with Horizontal(id="trend"):
            yield Label("end → audio per turn", id="trend-label")
            yield TrendLine(self.scale, id="trend-line")
        yield ModelList(id="models")

    def add_turn(self, record: TurnRecord) -> None:
        self.history.add(TurnLatency.of(record))
        self.query_one(StageTable).show(self.history)
        self.query_one(TrendLine).show(self.history.series(HEADLINE))

    def show_models(self, models: list[LoadedModel], total_s: float) -> None:
        self.query_one(ModelList).show(models, total_s)
