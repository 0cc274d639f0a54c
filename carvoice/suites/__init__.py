"""Scripted audio test runs: suite files (`audio_samples/suites/*.yaml`) played through the real pipeline,
each step checked against its expected transcript, intents, vehicle state, reply and latency budget.

    suites = load_suites([Path("audio_samples/suites/smoke.yaml")])
    results = [run_suite(suite, stages) for suite in suites]
    summarise(results).pass_rate
"""

from carvoice.suites.loader import LoadedSuite, SuiteFileError, load_suite, load_suites
from carvoice.suites.report import RunSummary, json_report, summarise, write_json, write_junit
from carvoice.suites.runner import StepResult, SuiteResult, run_suite
from carvoice.suites.schema import Suite

__all__ = [
    "LoadedSuite", "RunSummary", "StepResult", "Suite", "SuiteFileError", "SuiteResult", "json_report",
    "load_suite", "load_suites", "run_suite", "summarise", "write_json", "write_junit",
]
