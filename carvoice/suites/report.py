"""The run's summary (pass rate, intent accuracy, WER, latency percentiles per stage) and its reports:
a JSON document and JUnit XML (one testsuite per suite, one testcase per step) for CI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from carvoice.text.wer import word_error_rate
from carvoice.suites.runner import StepResult, SuiteResult
from carvoice.turn import STAGES

LATENCY_KEYS = (*STAGES, "end_to_first_audio")


class Percentiles(BaseModel):
    p50_s: float
    p95_s: float
    count: int


class RunSummary(BaseModel):
    suites: int
    suites_failed: int
    steps: int
    passed: int
    failed: int
    xfailed: int
    xpassed: int
    over_budget: int
    pass_rate: float
    """Passed steps over the steps expected to pass (known failures, xfail/xpass, left out)."""
    intent_accuracy: float | None
    wer: float | None
    latency: dict[str, Percentiles]


def summarise(results: Sequence[SuiteResult]) -> RunSummary:
    steps = [step for result in results for step in result.steps]
    counts = Counter(step.status for step in steps)
    expected_to_pass = counts["pass"] + counts["fail"]
    with_intents = [step for step in steps if step.check("intents") is not None]
    with_transcript = [step for step in steps if step.step.transcript is not None]
    return RunSummary(
        suites=len(results), suites_failed=sum(result.failed for result in results), steps=len(steps),
        passed=counts["pass"], failed=counts["fail"], xfailed=counts["xfail"], xpassed=counts["xpass"],
        over_budget=sum(step.over_budget for step in steps),
        pass_rate=counts["pass"] / expected_to_pass if expected_to_pass else 1.0,
        intent_accuracy=(sum(step.check("intents").passed for step in with_intents) / len(with_intents)
                         if with_intents else None),
        wer=(word_error_rate([s.step.transcript for s in with_transcript], [s.record.heard for s in with_transcript])
             if with_transcript else None),
        latency=_latency_percentiles(steps),
    )


def _latency_percentiles(steps: Sequence[StepResult]) -> dict[str, Percentiles]:
    samples: dict[str, list[float]] = {key: [] for key in LATENCY_KEYS}
    for step in steps:
        for stage, seconds in step.record.stage_seconds().items():
            samples.setdefault(stage, []).append(seconds)
        if step.record.latency_s is not None:
            samples["end_to_first_audio"].append(step.record.latency_s)
    return {key: Percentiles(p50_s=float(np.percentile(values, 50)), p95_s=float(np.percentile(values, 95)),
                             count=len(values))
            for key, values in samples.items() if values}


def json_report(results: Sequence[SuiteResult]) -> dict[str, Any]:
    return {
        "summary": summarise(results).model_dump(),
        "suites": [{"name": r.suite.name, "file": str(r.suite.path), "failed": r.failed,
                    "xfail": r.suite.suite.xfail, "steps": [_step_json(step) for step in r.steps]}
                   for r in results],
    }


def _step_json(step: StepResult) -> dict[str, Any]:
    return {
        "step": step.index, "status": step.status, "xfail": step.xfail_reason, "wer": step.wer,
        "checks": [{"name": c.name, "passed": c.passed, "enforced": c.enforced, "detail": c.detail}
                   for c in step.checks],
        "turn": step.record.summary(),
    }


def write_json(results: Sequence[SuiteResult], path: Path) -> None:
    path.write_text(json.dumps(json_report(results), indent=2) + "\n", encoding="utf-8")


def write_junit(results: Sequence[SuiteResult], path: Path) -> None:
    root = ET.Element("testsuites", name="carvoice test")
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.suite.name, file=str(result.suite.path),
                              tests=str(len(result.steps)),
                              failures=str(sum(s.status == "fail" for s in result.steps)),
                              skipped=str(sum(s.status in ("xfail", "xpass") for s in result.steps)))
        for step in result.steps:
            _junit_case(suite, result.suite.name, step)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _junit_case(parent: ET.Element, suite_name: str, step: StepResult) -> None:
    seconds = sum(step.record.stage_seconds().values())
    case = ET.SubElement(parent, "testcase", classname=suite_name, name=f"step {step.index + 1}: {step.step.label}",
                         time=f"{seconds:.3f}")
    failed = [check for check in step.checks if check.failed]
    if step.status == "fail":
        failure = ET.SubElement(case, "failure", message="; ".join(f"{c.name}: {c.detail}" for c in failed))
        failure.text = json.dumps(step.record.summary(), indent=2)
    elif step.status in ("xfail", "xpass"):
        outcome = "failed as expected" if step.status == "xfail" else "passed although marked xfail"
        ET.SubElement(case, "skipped", message=f"{outcome}: {step.xfail_reason}")
    notes = [f"{c.name}: {c.detail}" for c in step.checks if not c.passed and not c.enforced]
    if notes:
        ET.SubElement(case, "system-out").text = "\n".join(notes)
