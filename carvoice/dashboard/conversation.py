"""The conversation log: per turn, what was heard, what was understood, what the car did or refused, and the
reply. A turn's entry fills in as its events arrive.

    log = ConversationLog(id="log")
    log.units = state.settings      # the car's display units, for the figures in what it did
    log.show(record)                # a TurnRecord: adds its entry, or updates it

Each step the car took is one line: its mark (✓ only when the car did it; see change_words.py) and its words.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from carvoice.dashboard.change_words import describe_step
from carvoice.turn import TurnRecord
from vehicle_sim.state import Settings

SOURCE_MARKS = {"text": "⌨", "audio": "♫", "microphone": "🎤"}


def describe_intents(record: TurnRecord) -> str:
    if record.understanding is None:
        return ""
    calls = [f"{call.name}" + "".join(f" {name}={value}" for name, value in call.slots.items())
             for call in record.understanding.intents]
    return " · ".join(calls) or "(nothing)"


class TurnEntry(Static):
    """One turn; `record` is replaced by each newer copy of the turn. `units` are the car's display units."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"turn-entry--{part}" for part in ("heard", "understood", "done", "refused", "reply", "error", "pending")
    }

    record: reactive[TurnRecord | None] = reactive(None, layout=True)

    def __init__(self, record: TurnRecord, units: Settings) -> None:
        super().__init__()
        self.units = units
        self.set_reactive(TurnEntry.record, record)

    def render(self) -> Table:
        """Marks in a narrow column, text in a wide one, so long lines wrap under their own text."""
        record = self.record
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True, style="dim")
        grid.add_column(ratio=1)
        heard = record.heard if record.transcript is not None or record.source == "text" else "…"
        grid.add_row(f"{record.turn_id} {SOURCE_MARKS[record.source]}", self._styled(heard or "(nothing heard)",
                                                                                     "heard"))
        if record.understanding is not None:
            grid.add_row("≡", self._styled(describe_intents(record), "understood"))
        for outcome in record.dialog.outcomes if record.dialog else []:
            step = describe_step(outcome, self.units)
            grid.add_row(step.result.mark, self._styled(step.words, step.result.style_part))
        if record.error:
            grid.add_row("!", self._styled(record.error, "error"))
        if record.reply:
            grid.add_row("◂", self._styled(record.reply, "reply"))
        elif record.dialog is None and record.error is None:
            grid.add_row("", self._styled("thinking…", "pending"))
        return grid

    def _styled(self, text: str, part: str) -> Text:
        return Text(text, style=self.get_component_rich_style(f"turn-entry--{part}"))


class ConversationLog(VerticalScroll):
    """The turns, newest at the bottom, plus short notes from the dashboard itself. Figures are shown in
    `units`, the car's display units as last seen."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.units = Settings()

    def show(self, record: TurnRecord) -> None:
        entry = self._entries().get(record.turn_id)
        if entry is None:
            self.mount(TurnEntry(record, self.units))
        else:
            entry.record = record
        self.scroll_end(animate=False)

    def note(self, message: str) -> None:
        self.mount(Static(Text(message), classes="note"))
        self.scroll_end(animate=False)

    def clear(self) -> None:
        self.remove_children()

    def _entries(self) -> dict[int, TurnEntry]:
        return {entry.record.turn_id: entry for entry in self.query_children(TurnEntry)}
