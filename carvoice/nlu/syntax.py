"""The SLM's output language, as a character-level automaton built from the intent catalog.

The model answers with Python-style calls, one per request, in order, separated by "; " and ended by a
newline:  `set_ac(on=True); play_genre(genre="jazz")`. Only catalog intents, their slots (each at most
once, required ones present) and values of the slot's type are accepted, so whatever the model emits under
this constraint parses and names real intents, slots and enum values.

`CallSyntax.advance(state, text)` feeds characters; it returns None as soon as the text leaves the language.
At most MAX_CALLS calls are accepted, so a model that starts repeating itself is cut short.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Any

from carvoice.nlu.catalog import Call, Intent, IntentCatalog, Slot

MAX_TEXT_VALUE = 60
MAX_NUMBER_CHARS = 8
MAX_CALLS = 4
CALL_SEPARATOR = "; "
END = "\n"
DIGITS = "0123456789"


@dataclass(frozen=True)
class State:
    """Where in the output the text so far ends."""

    phase: str = "name"  # name | args | slot | value | after_value | after_call | separator | done
    buffer: str = ""  # the name, slot or value read so far
    intent: str | None = None
    slot: str | None = None
    used: frozenset[str] = frozenset()
    quoted: bool = False
    calls: int = 0  # calls completed before this one


class SyntaxRejected(Exception):
    pass


class CallSyntax:
    def __init__(self, catalog: IntentCatalog) -> None:
        self.intents: dict[str, Intent] = catalog.by_name

    # -- feeding text ---------------------------------------------------------------------------------------

    def advance(self, state: State, text: str) -> State | None:
        for char in text:
            state = self._step(state, char)
            if state is None:
                return None
        return state

    def _step(self, state: State, char: str) -> State | None:
        handler = getattr(self, f"_in_{state.phase}")
        return handler(state, char)

    def _in_name(self, state: State, char: str) -> State | None:
        if char == "(" and state.buffer in self.intents:
            return State(phase="args", intent=state.buffer, calls=state.calls)
        name = state.buffer + char
        return replace(state, buffer=name) if any(n.startswith(name) for n in self.intents) else None

    def _in_args(self, state: State, char: str) -> State | None:
        if char == " " and state.buffer == ",":
            return replace(state, buffer=", ")
        if char == ")":
            return self._close_call(state)
        return self._in_slot(replace(state, phase="slot", buffer=""), char)

    def _in_slot(self, state: State, char: str) -> State | None:
        free = self.intents[state.intent].free_slots(state.used)
        if char == "=" and state.buffer in free:
            return replace(state, phase="value", slot=state.buffer, buffer="", quoted=False)
        name = state.buffer + char
        return replace(state, buffer=name) if any(s.startswith(name) for s in free) else None

    def _in_value(self, state: State, char: str) -> State | None:
        slot = self.intents[state.intent].slot_by_name[state.slot]
        if state.quoted:
            return self._in_quoted(state, slot, char)
        if not state.buffer and char == '"' and (slot.type in ("enum", "text") or slot.words):
            return replace(state, quoted=True)
        if slot.type == "boolean":
            return self._in_boolean(state, char)
        if slot.type in ("number", "integer"):
            return self._in_number(state, slot, char)
        return None

    def _in_boolean(self, state: State, char: str) -> State | None:
        if char in ",)" and state.buffer in ("True", "False"):
            return self._finish_value(state, char)
        value = state.buffer + char
        return replace(state, buffer=value) if any(w.startswith(value) for w in ("True", "False")) else None

    def _in_number(self, state: State, slot: Slot, char: str) -> State | None:
        value = state.buffer
        if char in ",)" and value and value[-1] in DIGITS:
            return self._finish_value(state, char)
        if len(value) >= MAX_NUMBER_CHARS:
            return None
        accepted = (char in DIGITS and value not in ("0", "-0")
                    or (char == "-" and not value)
                    or (char == "." and slot.type == "number" and value[-1:].isdigit() and "." not in value
                        and len(value) + 1 < MAX_NUMBER_CHARS))
        return replace(state, buffer=value + char) if accepted else None

    def _in_quoted(self, state: State, slot: Slot, char: str) -> State | None:
        choices = slot.values or slot.words
        if char == '"':
            closed = state.buffer in choices if choices else bool(state.buffer.strip())
            return replace(state, phase="after_value", used=state.used | {state.slot}, buffer="") if closed else None
        value = state.buffer + char
        if choices:
            return replace(state, buffer=value) if any(c.startswith(value) for c in choices) else None
        starts_well = char.isalnum() or (char == " " and not state.buffer) if not state.buffer.strip() else True
        printable = char.isprintable() and char not in '\\";' and starts_well  # ; separates calls
        return replace(state, buffer=value) if printable and len(value) <= MAX_TEXT_VALUE else None

    def _finish_value(self, state: State, char: str) -> State | None:
        done = replace(state, phase="after_value", used=state.used | {state.slot}, buffer="")
        return self._in_after_value(done, char)

    def _in_after_value(self, state: State, char: str) -> State | None:
        if char == ",":
            free = self.intents[state.intent].free_slots(state.used)
            return replace(state, phase="args", buffer=",") if free else None
        if char == ")":
            return self._close_call(state)
        return None

    def _close_call(self, state: State) -> State | None:
        if state.buffer in (",", ", ") or not self.intents[state.intent].is_complete(state.used):
            return None
        return State(phase="after_call", calls=state.calls + 1)

    def _in_after_call(self, state: State, char: str) -> State | None:
        if char == END:
            return State(phase="done", calls=state.calls)
        if char == CALL_SEPARATOR[0] and state.calls < MAX_CALLS:
            return replace(state, phase="separator", buffer=char)
        return None

    def _in_separator(self, state: State, char: str) -> State | None:
        expected = CALL_SEPARATOR[len(state.buffer)] if len(state.buffer) < len(CALL_SEPARATOR) else None
        if char == expected:
            buffer = state.buffer + char
            return State(phase="name", calls=state.calls) if buffer == CALL_SEPARATOR else replace(state, buffer=buffer)
        return None

    def _in_done(self, state: State, char: str) -> State | None:
        return None

    def can_end(self, state: State) -> bool:
        return state.phase in ("after_call", "done")


def parse_calls(text: str) -> list[Call]:
    """The calls in an output the syntax accepted (Python syntax, so `ast` reads it)."""
    body = text.strip()
    if not body:
        return []
    try:
        tree = ast.parse(body.replace(CALL_SEPARATOR, "\n"))
    except SyntaxError as exc:
        raise SyntaxRejected(f"not a list of calls: {body!r}") from exc
    calls = []
    for statement in tree.body:
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
                and isinstance(statement.value.func, ast.Name)):
            raise SyntaxRejected(f"not a call: {ast.unparse(statement)!r}")
        calls.append(Call(statement.value.func.id, _slots(statement.value)))
    return calls


def _slots(call: ast.Call) -> dict[str, Any]:
    """Keyword arguments with literal values; anything else (positional or ** arguments, expressions) is
    rejected, as the syntax never produces it."""
    if call.args or any(kw.arg is None for kw in call.keywords):
        raise SyntaxRejected(f"only name=value arguments are accepted: {ast.unparse(call)!r}")
    try:
        return {kw.arg: _tidy(ast.literal_eval(kw.value)) for kw in call.keywords}
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise SyntaxRejected(f"argument values must be literals: {ast.unparse(call)!r}") from exc


def _tidy(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def format_calls(calls: list[Call]) -> str:
    """The exact text the model is taught to write for these calls (used for prompt examples)."""
    return CALL_SEPARATOR.join(f"{c.name}({', '.join(f'{k}={_literal(v)}' for k, v in c.slots.items())})"
                               for c in calls)


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', "'") + '"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)
