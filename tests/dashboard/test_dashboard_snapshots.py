"""Snapshots of the main screen (pytest-textual-snapshot; `--snapshot-update` after a deliberate change).

The pipeline's clock steps a fixed amount per reading and the car does not drive on by itself, so the
latency numbers and the car's panels are the same on every run."""

from __future__ import annotations

import pytest

from carvoice.dashboard import state_panel

COMMANDS = ("what's the eta", "go to central station", "set the fan to 3", "turn on the heated seat for the driver")
"""A question the car cannot answer yet (no route), a route, a fan level from auto, and a seat."""


def test_the_main_screen_at_100x30_once_the_models_are_ready(snap_compare, make_app, wait_until_ready):
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=wait_until_ready)


@pytest.mark.parametrize("size", [(100, 30), (120, 36)], ids=["100x30", "120x36"])
def test_the_main_screen_after_typed_commands(snap_compare, make_app, wait_until_ready, wait_for_turns, monkeypatch,
                                              size):
    monkeypatch.setattr(state_panel, "HIGHLIGHT_S", 600.0)  # the changed values stay highlighted for the shot

    async def type_the_commands(pilot) -> None:
        await wait_until_ready(pilot)
        for finished, command in enumerate(COMMANDS, start=1):
            await pilot.press(*command, "enter")
            await wait_for_turns(pilot, finished)

    assert snap_compare(make_app(), terminal_size=size, run_before=type_the_commands)
