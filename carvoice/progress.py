"""How long work reports progress without knowing the terminal: a `Tasks` function starts a counted task and
returns the function to call after each item. `carvoice.cli.output.WorkProgress` draws them; `no_tasks` drops them.

    advance = tasks("qwen2.5-coder-0.5b-carvoice own", 572)
    for case in cases:
        ...
        advance()
"""

from __future__ import annotations

from collections.abc import Callable

Advance = Callable[[], None]
Tasks = Callable[[str, int], Advance]


def no_tasks(label: str, total: int) -> Advance:
    return lambda: None
