"""`carvoice test SUITE.yaml ...`: scripted conversations through the real pipeline, checked step by step."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from carvoice.cli.output import PullDisplay, stdout_console
from carvoice.config import Settings
from carvoice.errors import CarvoiceError

if TYPE_CHECKING:
    from carvoice.assistant.assistant import Assistant
    from carvoice.audio.wake import WakeWord
    from carvoice.suites import LoadedSuite, StepResult, SuiteResult
    from carvoice.suites.schema import ModelChoice

STATUS_STYLE = {"pass": "[green]pass[/]", "fail": "[bold red]FAIL[/]", "xfail": "[yellow]xfail[/]",
                "xpass": "[magenta]XPASS[/]"}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    test = subparsers.add_parser("test", parents=[common], help="run scripted test suites (YAML)",
                                 description="Play each suite's steps (audio or text) through the assistant on "
                                 "its own simulated car and check transcripts, intents, car state and replies. "
                                 "Exit code 1 when any step fails.")
    test.add_argument("suites", nargs="+", type=Path, metavar="SUITE.yaml")
    test.add_argument("--strict-latency", action="store_true",
                      help="fail steps over their latency budget (by default the budget is only reported)")
    test.add_argument("--json", action="store_true",
                      help="print the full report as JSON on stdout (the live tables go to stderr)")
    test.add_argument("--out", type=Path, metavar="FILE", help="write the full report as JSON to FILE")
    test.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    test.set_defaults(handler=run_tests)


def run_tests(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.suites import json_report, load_suites, write_json, write_junit

    _refuse_reports_as_suites(args.suites)
    suites = load_suites(args.suites)  # every bad file reported before any model loads
    models = _AssistantLoader(settings, speech_in=any(s.audio for suite in suites for s in suite.suite.steps))
    console = Console(stderr=True) if args.json else stdout_console()
    results = [_run_one(suite, models, args.strict_latency, console) for suite in suites]
    _print_summary(results, console)
    if args.json:
        print(json.dumps(json_report(results), indent=2))
    if args.out is not None:
        write_json(results, args.out)
    if args.junit is not None:
        write_junit(results, args.junit)
    return 1 if any(result.failed for result in results) else 0


def _run_one(suite: LoadedSuite, models: _AssistantLoader, strict_latency: bool, console: Console) -> SuiteResult:
    from carvoice.suites import run_suite

    assistant = models.assistant_for(suite.suite.settings.models)
    wake = models.wake_word(suite.suite.settings.wake_word)
    table = _step_table()
    title = f"[bold]{escape(suite.name)}[/] ({suite.path})" + (f" [yellow]xfail: {escape(suite.suite.xfail)}[/]"
                                                                if suite.suite.xfail else "")
    console.print(title)
    with Live(table, console=console, auto_refresh=False) as live:
        def show(step: StepResult) -> None:
            table.add_row(*_row(step))
            live.refresh()
        result = run_suite(suite, assistant, strict_latency=strict_latency, on_step=show, wake=wake)
    console.print()
    return result


def _step_table() -> Table:
    table = Table()
    for header in ("#", "input", "heard", "understood", "reply", "e2e", "result"):
        table.add_column(header, overflow="fold")
    return table


def _row(step: StepResult) -> tuple[str, ...]:
    record = step.record
    intents = "; ".join(i.name for i in record.understanding.intents) if record.understanding else "-"
    latency = f"{record.latency_s:.2f}s" if record.latency_s is not None else "-"
    if step.over_budget:
        latency = f"[yellow]{latency}[/]"
    problems = [f"{c.name}: {c.detail}" for c in step.checks if not c.passed and (c.enforced or c.name != "latency")]
    result = STATUS_STYLE[step.status] + "".join(f"\n{escape(p)}" for p in problems)
    wake = step.check("wake")
    heard = record.transcript.text if record.transcript is not None else (
        "(typed)" if step.step.text is not None else f"({wake.detail if wake else 'nothing'})")
    return (str(step.index + 1), escape(step.step.label), escape(heard), escape(intents), escape(record.reply),
            latency, result)


def _print_summary(results: list[SuiteResult], console: Console) -> None:
    from carvoice.suites import summarise

    summary = summarise(results)
    table = Table(title="summary", show_header=True)
    for header in ("stage", "p50", "p95", "turns"):
        table.add_column(header)
    for stage, values in summary.latency.items():
        table.add_row(stage, f"{values.p50_s * 1000:.0f} ms", f"{values.p95_s * 1000:.0f} ms", str(values.count))
    console.print(table)
    verdict = "[bold red]FAILED[/]" if summary.failed else "[bold green]PASSED[/]"
    accuracy = "-" if summary.intent_accuracy is None else f"{summary.intent_accuracy:.0%}"
    wer = "-" if summary.wer is None else f"{summary.wer:.1%}"
    console.print(f"{verdict}: {summary.suites - summary.suites_failed} of {summary.suites} suites passed; steps: "
                  f"{summary.passed} passed, {summary.failed} failed, {summary.xfailed} xfailed, "
                  f"{summary.xpassed} xpassed of {summary.steps} steps (pass rate {summary.pass_rate:.0%}); "
                  f"intent accuracy {accuracy}, WER {wer}, {summary.over_budget} over latency budget")


def _refuse_reports_as_suites(paths: list[Path]) -> None:
    """`--json FILE` wrote a report before `--json` became a flag: FILE is now read as a suite."""
    reports = [str(path) for path in paths if path.suffix == ".json"]
    if reports:
        raise CarvoiceError(f"{', '.join(reports)}: not a suite (.yaml); `--json` now prints the report on stdout, "
                            "`--out FILE` writes it to a file")


class _AssistantLoader:
    """The models of each suite's model choice, loaded once and kept warm for the suites that share them."""

    def __init__(self, settings: Settings, *, speech_in: bool) -> None:
        self.settings = settings
        self.speech_in = speech_in
        self.loaded: dict[tuple[str, str, str], Assistant] = {}

    def assistant_for(self, choice: ModelChoice) -> Assistant:
        from carvoice.assistant.startup import load_assistant

        updates = {field: name for field, name in (("stt_model", choice.stt), ("slm_model", choice.slm),
                                                   ("tts_voice", choice.tts)) if name is not None}
        settings = self.settings.model_copy(update=updates)
        key = (settings.stt_model, settings.slm_model, settings.tts_voice)
        if key not in self.loaded:
            with PullDisplay() as display:
                self.loaded[key] = load_assistant(settings, speech_in=self.speech_in, progress=display)
            print(self.loaded[key].describe_models(), file=sys.stderr)
        return self.loaded[key]

    def wake_word(self, spec: str | None) -> WakeWord | None:
        """The suite's wake word (a catalog name or a .json path), loaded afresh for each suite; None: none."""
        from carvoice.assistant.wake_word import load_wake_word

        if spec is None:
            return None
        with PullDisplay() as display:
            return load_wake_word(self.settings, spec, progress=display)
