"""The conversation log: per turn, what was heard, what was understood, what the car did or refused, and the
reply. A turn's entry fills in as its events arrive."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from carvoice.turn import TurnRecord
from vehicle_sim import Change, Outcome

SOURCE_MARKS = {"text": "⌨", "audio": "♫", "microphone": "🎤"}
STATUS_MARKS = {"done": "✓", "no_change": "=", "refused": "✗", "not_found": "?", "needs_confirmation": "…"}
MAX_CHANGES_SHOWN = 3


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return "—" if value is None else str(value)


def describe_outcome(outcome: Outcome) -> str:
    """`climate.ac off → on`, `media.now_playing.* (9 values)`, `set_sunroof: sunroof_unsafe_at_speed`, ..."""
    if outcome.status != "done" or not outcome.changes:
        return f"{outcome.action.kind}: {outcome.code or outcome.status.replace('_', ' ')}"
    groups: dict[str, list[Change]] = {}
    for change in outcome.changes:
        groups.setdefault(change.path.rpartition(".")[0], []).append(change)
    parts = [f"{c[0].path} {_value(c[0].before)} → {_value(c[0].after)}" if len(c) == 1
             else f"{parent}.* ({len(c)} values)" for parent, c in groups.items()]
    more = len(parts) - MAX_CHANGES_SHOWN
    return ", ".join(parts[:MAX_CHANGES_SHOWN]) + (f" (+{more} more)" if more > 0 else "")


def describe_intents(record: TurnRecord) -> str:
    if record.understanding is None:
        return ""
    calls = [f"{call.name}" + "".join(f" {name}={value}" for name, value in call.slots.items())
             for call in record.understanding.intents]
    return " · ".join(calls) or "(nothing)"


class TurnEntry(Static):
    """One turn; `record` is replaced by each newer copy of the turn."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"turn-entry--{part}" for part in ("heard", "understood", "done", "refused", "reply", "error", "pending")
    }

    record: reactive[TurnRecord | None] = reactive(None, layout=True)

    def __init__(self, record: TurnRecord) -> None:
        super().__init__()
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
            grid.add_row(STATUS_MARKS[outcome.status],
                         self._styled(describe_outcome(outcome), "done" if outcome.ok else "refused"))
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
    """The turns, newest at the bottom, plus short notes from the dashboard itself."""

    def show(self, record: TurnRecord) -> None:
        entry = self._entries().get(record.turn_id)
        if entry is None:
            self.mount(TurnEntry(record))
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
