"""The run's summary and its JSON and JUnit reports, from hand-made step results."""

import xml.etree.ElementTree as ET
from pathlib import Path

from carvoice.suites import LoadedSuite, StepResult, Suite, SuiteResult, json_report, summarise, write_junit
from carvoice.suites.checks import Check
from carvoice.suites.schema import Step
from carvoice.turn import Span, TurnRecord


def step_result(index: int, checks: list[Check], xfail: str | None = None, latency: float = 1.0,
                transcript: str | None = None) -> StepResult:
    step = Step.model_validate({"audio": "clim-01", "transcript": transcript} if transcript else {"text": "hi"})
    record = TurnRecord(turn_id=index + 1, source="text", input="hi", started_at=10.0, first_audio_at=10.0 + latency,
                        spans={"nlu": Span(start=10.0, end=10.0 + latency / 2)})
    return StepResult(index, step, record, checks, xfail)


def results() -> list[SuiteResult]:
    suite = LoadedSuite(Path("suite.yaml"), Suite.model_validate({"name": "demo", "steps": [{"text": "hi"}]}))
    return [SuiteResult(suite, [
        step_result(0, [Check("intents", True)], latency=1.0, transcript="hello there"),
        step_result(1, [Check("intents", False, "expected undo(), got nothing")], latency=2.0),
        step_result(2, [Check("state", False, "wrong")], xfail="known", latency=3.0),
        step_result(3, [Check("latency", False, "9.00s, budget 1s", enforced=False)], latency=9.0),
    ])]


def test_the_summary_counts_statuses_accuracy_and_latency_percentiles():
    summary = summarise(results())
    assert (summary.steps, summary.passed, summary.failed, summary.xfailed, summary.xpassed) == (4, 2, 1, 1, 0)
    assert summary.suites_failed == 1 and summary.over_budget == 1
    assert summary.pass_rate == 2 / 3
    assert summary.intent_accuracy == 0.5
    assert summary.wer == 1.0  # heard "hi" for "hello there": one substitution, one deletion
    assert summary.latency["end_to_first_audio"].p50_s == 2.5
    assert summary.latency["nlu"].count == 4 and "stt" not in summary.latency


def test_the_json_report_holds_every_step_with_its_turn():
    report = json_report(results())
    steps = report["suites"][0]["steps"]
    assert [s["status"] for s in steps] == ["pass", "fail", "xfail", "pass"]
    assert steps[1]["checks"] == [{"name": "intents", "passed": False, "enforced": True,
                                   "detail": "expected undo(), got nothing"}]
    assert steps[0]["turn"]["latency_s"]["end_to_first_audio"] == 1.0
    assert report["summary"]["failed"] == 1


def test_junit_marks_failures_and_known_failures(tmp_path):
    path = tmp_path / "report.xml"
    write_junit(results(), path)
    suite = ET.parse(path).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "1")
    cases = suite.findall("testcase")
    assert "expected undo()" in cases[1].find("failure").get("message")
    assert cases[2].find("skipped").get("message") == "failed as expected: known"
    assert cases[0].find("failure") is None and "9.00s" in cases[3].find("system-out").text
