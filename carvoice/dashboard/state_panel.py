"""The base of the vehicle panels: labelled rows of values read from the car's state, where the values the
assistant just changed stand out for a few seconds.

    class FanPanel(StatePanel):
        def rows(self, state):
            return [Row("Air", (Piece(f"fan {state.climate.fan_speed}", ("climate.fan_*",)),))]

    panel.show(state, changed_paths=["climate.fan_speed"])     # the fan's value is highlighted

A row's values flow onto more lines when the panel is narrow; a value is never cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from vehicle_sim.paths import matches
from vehicle_sim.state import VehicleState

HIGHLIGHT_S = 3.0
GAP = "  "


def flow(pieces: Sequence[Text], width: int, gap: str = GAP) -> Text:
    """The pieces side by side, `gap` apart, starting a new line where the next one would not fit; a piece is
    only broken (at its spaces, when drawn) if it is wider than a whole line."""
    joined = Text()
    used = 0
    for piece in pieces:
        if used and used + len(gap) + piece.cell_len > width:
            joined.append("\n")
            used = 0
        elif used:
            joined.append(gap)
            used += len(gap)
        joined.append_text(piece)
        used += piece.cell_len
    return joined


@dataclass(frozen=True)
class Piece:
    """One value on a row, and the state paths (globs) it shows: a change to any of them highlights it."""

    text: str | Text
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    label: str
    pieces: tuple[Piece, ...]


class StatePanel(Static):
    """Subclasses say what to show with `rows(state)`; `show` hands them a new state and what just changed."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"state-panel--label", "state-panel--changed"}

    state: reactive[VehicleState | None] = reactive(None, layout=True)
    changed: reactive[frozenset[str]] = reactive(frozenset())

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fade_timer: Timer | None = None

    def rows(self, state: VehicleState) -> list[Row]:
        raise NotImplementedError

    def show(self, state: VehicleState, changed_paths: Iterable[str] = ()) -> None:
        self.state = state
        changed = frozenset(changed_paths)
        if changed:
            self.changed = changed
            if self._fade_timer is not None:
                self._fade_timer.stop()
            self._fade_timer = self.set_timer(HIGHLIGHT_S, self._fade)

    def is_highlighted(self, piece: Piece) -> bool:
        return any(matches(path, pattern) for path in self.changed for pattern in piece.paths)

    def _fade(self) -> None:
        self.changed = frozenset()

    def render(self) -> Table | Text:
        if self.state is None:
            return Text("waiting for the car…", style="dim")
        rows = self.rows(self.state)
        label_width = max(len(row.label) for row in rows)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style=self.get_component_rich_style("state-panel--label"), no_wrap=True, min_width=label_width)
        grid.add_column(ratio=1)
        for row in rows:
            grid.add_row(row.label, flow(self._styled(row.pieces), self.size.width - label_width - 1))
        return grid

    def _styled(self, pieces: Iterable[Piece]) -> list[Text]:
        changed_style = self.get_component_rich_style("state-panel--changed")
        styled = []
        for piece in pieces:
            text = Text(piece.text) if isinstance(piece.text, str) else piece.text.copy()
            if self.is_highlighted(piece):
                text.stylize(changed_style)
            styled.append(text)
        return styled
