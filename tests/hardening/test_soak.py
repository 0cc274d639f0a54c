"""The soak harness: turns interleaved, memory and latency windows measured, every problem reported.
The full-size run (`carvoice bench soak`) is in docs/robustness.md; here the SLM is a scripted double so the
harness itself is tested in a second, with two real spoken turns."""

from __future__ import annotations

import argparse

import pytest
from vehicle_sim import Vehicle

from carvoice.audio.decode import load_audio
from carvoice.bench.soak import LatencyWindows, SoakError, SoakPlan, SoakReport, interleave, run_soak
from carvoice.cli.soak import register
from carvoice.nlu.understand import Understander
from carvoice.pipeline import Pipeline, Stages

from .conftest import SAMPLES, ScriptedSlm


def test_audio_turns_are_spread_evenly_among_the_text_turns():
    kinds = interleave(10, 3)
    assert kinds.count("audio") == 3 and kinds.count("text") == 10
    positions = [i for i, kind in enumerate(kinds) if kind == "audio"]
    assert positions == [2, 6, 10]
    assert interleave(0, 4) == ["audio"] * 4 and interleave(3, 0) == ["text"] * 3


def test_a_short_soak_measures_every_turn(understander, stt):
    scripted = Understander(ScriptedSlm('set_volume(level=12); play_genre(genre="jazz")\n'), understander.catalog)
    pipeline = Pipeline(Stages(understander=scripted, stt=stt), Vehicle(seed=3))
    seen = []
    report = run_soak(pipeline, SoakPlan(text_turns=40, audio_turns=2, warmup_turns=5, max_slowdown=50),
                      ["turn it up", "play jazz"], [load_audio(SAMPLES / "clim-01.wav")],
                      on_turn=lambda number, record: seen.append(number))
    assert seen == list(range(1, 43))
    assert report.invariant_checks == 42 and report.invariant_failures == [] and report.failed_turns == []
    assert 0 < report.rss_start_mb <= report.rss_peak_mb and report.rss_end_mb <= report.rss_peak_mb
    assert {w.kind: w.turns for w in report.latency} == {"text": 40, "audio": 2}
    assert pipeline.vehicle.get("media.volume") == 12
    assert report.problems == [], report.problems


def test_a_failed_turn_is_a_soak_problem(understander):
    scripted = Understander(ScriptedSlm("set_volume(level=12)\n"), understander.catalog)
    pipeline = Pipeline(Stages(understander=scripted), Vehicle(seed=3))
    report = run_soak(pipeline, SoakPlan(text_turns=3, audio_turns=1, max_slowdown=50), ["louder"],
                      [load_audio(SAMPLES / "clim-01.wav")])  # no speech-to-text loaded: the audio turn fails
    assert len(report.failed_turns) == 1 and "no speech-to-text model is loaded" in report.failed_turns[0]
    assert any("1 turn(s) ended in an error" in problem for problem in report.problems)


def _report(**changes) -> SoakReport:
    window = LatencyWindows(kind="text", turns=100, window=10, first_p50_s=0.5, first_p95_s=1.0, last_p50_s=0.5,
                            last_p95_s=1.2)
    fields = dict(text_turns=100, audio_turns=0, rss_start_mb=900, rss_warm_mb=1000, rss_end_mb=1010,
                  rss_peak_mb=1020, latency=[window], invariant_checks=100, invariant_failures=[], failed_turns=[],
                  max_growth_mb=64, max_slowdown=1.5, wall_s=60)
    return SoakReport(**{**fields, **changes})


def test_growth_slowdown_and_broken_invariants_are_each_reported():
    assert _report().problems == []
    assert "grew 80.0 MB" in _report(rss_end_mb=1080).problems[0]
    slow = LatencyWindows(kind="audio", turns=20, window=2, first_p50_s=1, first_p95_s=1, last_p50_s=2, last_p95_s=2)
    assert "audio turns: p95 latency went from 1.000 s to 2.000 s (x2.00" in _report(latency=[slow]).problems[0]
    assert "invariant check(s) failed" in _report(invariant_failures=["turn 3: x"]).problems[0]


@pytest.mark.parametrize("plan", [dict(text_turns=0, audio_turns=0), dict(text_turns=-1),
                                  dict(max_slowdown=0.5), dict(max_growth_mb=0)])
def test_a_senseless_plan_is_refused(plan):
    with pytest.raises(SoakError):
        SoakPlan(**plan)


def test_the_soak_command_registers_under_bench():
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(), argparse.ArgumentParser(add_help=False))
    args = parser.parse_args(["soak", "--text-turns", "5", "--audio-turns", "0", "--json"])
    assert (args.text_turns, args.audio_turns, args.json, args.quick) == (5, 0, True, False)
    assert parser.parse_args(["soak"]).text_turns == SoakPlan().text_turns
    with pytest.raises(SystemExit):
        parser.parse_args(["soak", "--audio-turns", "-1"])
