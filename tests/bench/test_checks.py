"""A broken measurement fails the report; a slow machine never does."""

import math

from carvoice.bench.report.checks import find_problems
from carvoice.bench.report.schema import TurnTiming

from .conftest import STAGES, make_report


def test_a_sound_report_has_no_problems(report):
    assert find_problems(report) == []


def test_a_slow_machine_is_not_a_problem():
    assert find_problems(make_report(latency_s=30.0)) == []


def test_no_spoken_reply_at_all_is_broken():
    assert find_problems(make_report(turns=0)) == ["end to end: none of the 0 commands got a spoken reply"]


def test_a_missing_stage_is_broken():
    stages = {name: seconds for name, seconds in STAGES.items() if name != "nlu"}
    assert find_problems(make_report(stages=stages)) == ["end to end: stage nlu never ran"]


def test_the_configured_model_at_zero_accuracy_is_broken_but_another_model_may_be_poor(report):
    assert "near zero" in " ".join(find_problems(make_report(slm_accuracy=0.0)))
    other = report.matrix[0].model_copy(update={"model": "tiny-slm", "accuracy": 0.0})
    assert find_problems(report.model_copy(update={"matrix": [*report.matrix, other]})) == []


def test_nan_and_failed_turns_are_broken(report):
    nan_point = report.matrix[0].model_copy(update={"latency_p50_s": math.nan})
    failed = TurnTiming(command="c9", latency_s=0.5, stages=STAGES, error="nlu failed: boom")
    e2e = report.end_to_end.model_copy(update={"turns": [*report.end_to_end.turns, failed]})
    problems = find_problems(report.model_copy(update={"matrix": [nan_point, *report.matrix[1:]], "end_to_end": e2e}))
    assert problems == ["end to end: command c9 failed: nlu failed: boom",
                        "slm big-slm (cached): accuracy or latency is not a number"]
