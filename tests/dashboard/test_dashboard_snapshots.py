"""Snapshots of the main screen (pytest-textual-snapshot; `--snapshot-update` after a deliberate change).

The pipeline's clock steps a fixed amount per reading and the car does not drive on by itself, so the
latency numbers and the car's panels are the same on every run."""

from __future__ import annotations

from carvoice.dashboard import state_panel


def test_the_main_screen_at_100x30_once_the_models_are_ready(snap_compare, make_app, wait_until_ready):
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=wait_until_ready)


def test_the_main_screen_after_a_typed_command(snap_compare, make_app, wait_until_ready, wait_for_turns,
                                               monkeypatch):
    monkeypatch.setattr(state_panel, "HIGHLIGHT_S", 600.0)  # the changed value stays highlighted for the shot

    async def type_a_command(pilot) -> None:
        await wait_until_ready(pilot)
        await pilot.press(*"turn on the heated seat for the driver", "enter")
        await wait_for_turns(pilot, 1)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=type_a_command)
