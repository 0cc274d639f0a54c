"""`carvoice bench all`: every measurement in one run, gathered into one `BenchReport`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from carvoice.assistant.startup import installed_specs, load_understander, resolve_model
from carvoice.bench.nlu import spread
from carvoice.bench.report import environment
from carvoice.bench.report.baselines import carvoice_matcher, compare_on_cases
from carvoice.bench.report.checks import find_problems
from carvoice.bench.report.e2e import describe_endpointing
from carvoice.bench.report.fresh_process import run_fresh
from carvoice.bench.report.hassil_matcher import hassil_matcher, overlapping_cases
from carvoice.bench.report.matrix import slm_points, stt_points
from carvoice.bench.report.naive import naive_matcher
from carvoice.bench.report.pareto import mark_pareto
from carvoice.bench.report.schema import BaselineComparison, BenchReport, RunInfo
from carvoice.bench.samples import load_commands
from carvoice.bench.tts import REPLIES, TtsBenchRow, run_tts_bench
from carvoice.bench.wake import WakeBenchOptions, measure_wake
from carvoice.config import Settings
from carvoice.machine import this_machine, versions
from carvoice.models import Role
from carvoice.nlu.catalog import load_intent_catalog
from carvoice.nlu.evalset import EvalCase, load_eval_sets
from carvoice.nlu.understand import Understander
from carvoice.progress import Tasks, no_tasks


@dataclass(frozen=True)
class ReportOptions:
    """How much of each set to run (None: all of it) and which models (None: every installed one)."""

    quick: bool = False
    e2e_commands: int | None = None
    slm_cases: int | None = None
    stt_commands: int | None = None
    naive_cases: int = 8
    hassil_cases: int | None = None
    tts_replies: int | None = None
    noise_levels: tuple[str, ...] = ("clean", "10db", "5db")
    wake: WakeBenchOptions = WakeBenchOptions()
    slm_models: tuple[str, ...] | None = None
    stt_models: tuple[str, ...] | None = None

    @classmethod
    def quick_run(cls, naive_cases: int = 2) -> ReportOptions:
        """A few minutes on a laptop CPU: small evenly spread slices of every set, every model still in."""
        return cls(quick=True, e2e_commands=8, slm_cases=12, stt_commands=6, naive_cases=naive_cases,
                   hassil_cases=16, tts_replies=3, wake=WakeBenchOptions.quick())


Progress = Callable[[str], None]


def run_report(settings: Settings, options: ReportOptions,
               preloaded: Mapping[str, Understander] | None = None,
               progress: Progress = lambda message: None, tasks: Tasks = no_tasks) -> BenchReport:
    """Run everything; `preloaded` maps SLM specs to understanders already warm (the tests' own); `progress` hears
    each phase, `tasks` counts the items within them."""
    started = datetime.now(timezone.utc)
    catalog = load_intent_catalog()
    eval_sets = load_eval_sets(catalog=catalog)
    cases, blind_cases = eval_sets["own"], eval_sets["blind"]
    understanders = dict(preloaded or {})

    def understander_for(spec: str) -> Understander:
        if spec not in understanders:
            understanders[spec] = load_understander(settings, resolve_model(settings, Role.SLM, spec).path, catalog)
        return understanders[spec]

    commands = load_commands()
    e2e_commands, stt_commands = spread(commands, options.e2e_commands), spread(commands, options.stt_commands)
    slm_cases, replies = spread(cases, options.slm_cases), REPLIES[: options.tts_replies]
    blind_slm_cases = spread(blind_cases, options.slm_cases)
    progress("end to end, in a fresh process: cold start, then the spoken commands")
    end_to_end = run_fresh(settings, e2e_commands)
    slm_specs = list(options.slm_models or installed_specs(settings, Role.SLM))
    stt_specs = list(options.stt_models or installed_specs(settings, Role.STT))
    used = [(Role.SLM, spec) for spec in slm_specs] + [(Role.STT, spec) for spec in stt_specs]
    progress(f"understanding: {', '.join(slm_specs)}")
    points = slm_points(slm_specs, understander_for, slm_cases, blind_slm_cases, tasks)
    progress(f"speech-to-text: {', '.join(stt_specs)} at {', '.join(options.noise_levels)}")
    points += stt_points(settings, stt_specs, stt_commands, options.noise_levels, tasks)
    progress("baselines: the SLM called naively, Home Assistant's hassil")
    baselines = _baselines(understander_for(settings.slm_model), cases, options)
    progress("the wake word: false rejects, false accepts per hour, delay, CPU")
    wake = measure_wake(settings, options.wake, tasks=tasks, note=progress)
    progress("text-to-speech")
    sizes = {"e2e_commands": len(e2e_commands), "slm_cases": len(slm_cases), "blind_slm_cases": len(blind_slm_cases),
             "stt_commands": len(stt_commands), "tts_replies": len(replies)}
    report = BenchReport(
        run=_run_info(settings, options, started, sizes, used),
        end_to_end=end_to_end, matrix=mark_pareto(points), tts=_tts_rows(settings, replies), baselines=baselines,
        wake=wake,
    )
    return with_problems(report)


def with_problems(report: BenchReport) -> BenchReport:
    return report.model_copy(update={"problems": find_problems(report)})


def _baselines(understander: Understander, cases: list[EvalCase], options: ReportOptions) -> list[BaselineComparison]:
    catalog = understander.catalog
    ours = carvoice_matcher(understander)
    with naive_matcher(understander) as naive:
        naive_run = compare_on_cases(
            "naive SLM", "the same SLM and prompt through create_completion: whole prompt every time, no grammar",
            spread(cases, options.naive_cases), catalog, ours, naive)
    hassil_run = compare_on_cases(
        "hassil", "Home Assistant's hassil with the home-assistant-intents English sentences, on the utterances "
        "whose intent it also has", spread(overlapping_cases(cases), options.hassil_cases), catalog, ours,
        hassil_matcher())
    return [naive_run, hassil_run]


def _tts_rows(settings: Settings, replies: Sequence[str]) -> list[TtsBenchRow]:
    rows: list[TtsBenchRow] = []
    path = resolve_model(settings, Role.TTS).path
    run_tts_bench(settings.tts_voice, path, rows.append, replies)
    return rows


def _run_info(settings: Settings, options: ReportOptions, started: datetime, sizes: dict[str, int],
              specs: list[tuple[Role, str]]) -> RunInfo:
    specs = [*specs, (Role.TTS, settings.tts_voice)]
    models = [environment.model_info(resolve_model(settings, role, spec)) for role, spec in specs]
    return RunInfo(
        date=started.isoformat(timespec="seconds"), quick=options.quick, machine=this_machine(),
        versions=versions(),
        settings={"stt_model": settings.stt_model, "slm_model": settings.slm_model, "tts_voice": settings.tts_voice,
                  "threads": settings.threads, "noise_levels": ", ".join(options.noise_levels),
                  "endpointing": describe_endpointing()},
        sizes=sizes, models=models,
    )
