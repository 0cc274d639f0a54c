"""End to end on the real small models, replayed live: each term of the latency is there and they add up."""

import pytest

from carvoice.assistant.assistant import Assistant
from carvoice.bench.report.e2e import ENDPOINTING, measure_end_to_end
from carvoice.bench.report.schema import E2E_STAGES
from carvoice.bench.samples import load_commands
from carvoice.pipeline import Stages


def test_turn_latency_is_the_endpointing_wait_plus_the_stages(understander, stt, tts):
    commands = load_commands()[:2]
    turns = measure_end_to_end(Assistant(Stages(understander, stt, tts)), commands)
    assert [turn.command for turn in turns] == [command.id for command in commands]
    for turn in turns:
        assert turn.error is None
        assert set(turn.stages) == set(E2E_STAGES)
        assert all(seconds >= 0 for seconds in turn.stages.values())
        assert sum(turn.stages.values()) == pytest.approx(turn.latency_s)
        # the silence heard before the guess started is part of the wait: the speaker had stopped by then
        assert turn.stages["endpointing_wait"] >= ENDPOINTING.smart.probe_after_s
