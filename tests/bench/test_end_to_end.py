"""End to end on the real small models, replayed live: each term of the latency is there and they add up."""

import pytest

from carvoice.assistant.assistant import Assistant
from carvoice.bench.report.e2e import ENDPOINTING, measure_end_to_end, stage_rows
from carvoice.bench.report.schema import E2E_STAGES, TurnTiming
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


def test_the_stage_table_gives_each_term_and_the_whole():
    stages = {"endpointing_wait": 0.1, "stt": 0.3, "nlu": 0.2, "vehicle": 0.0, "tts_first_chunk": 0.1}
    turns = [TurnTiming(command=f"c{i}", latency_s=0.7 * (i + 1), stages={k: v * (i + 1) for k, v in stages.items()})
             for i in range(3)] + [TurnTiming(command="lost", latency_s=None, stages={}, error="no speech")]
    rows = {row.stage: row for row in stage_rows(turns)}
    assert list(rows) == [*E2E_STAGES, "end to end"]
    assert rows["stt"].p50_s == pytest.approx(0.6) and rows["stt"].share == pytest.approx(0.3 / 0.7)
    assert rows["end to end"].p50_s == pytest.approx(1.4) and rows["end to end"].share == 1.0
    assert sum(rows[stage].share for stage in E2E_STAGES) == pytest.approx(1.0)
