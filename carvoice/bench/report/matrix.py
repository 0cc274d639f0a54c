"""The model matrix: every installed SLM on the evaluation set, every installed STT model clean and in cabin
noise, each as one accuracy / latency point (the Pareto front is marked in pareto.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from carvoice.bench.nlu import run_nlu_bench
from carvoice.progress import Tasks, no_tasks
from carvoice.bench.report.schema import MatrixPoint
from carvoice.bench.samples import SpokenCommand
from carvoice.bench.stt import SttBenchRow, run_stt_bench, standard_variants
from carvoice.config import Settings
from carvoice.models import Role
from carvoice.nlu.evalset import EvalCase
from carvoice.nlu.understand import Understander
from carvoice.stt import SttOptions, load_vocabulary

SLM_DETAILS = ("intent_accuracy", "slot_f1", "oos_precision", "oos_recall", "multi_intent_accuracy",
               "unusable_answers", "prompt_tokens_mean", "output_tokens_mean", "load_s", "prefix_s")
STT_DETAILS = ("wer", "wer_piper", "wer_espeak", "real_time_factor", "empty_transcripts", "load_s")


def slm_points(specs: Sequence[str], understander_for: Callable[[str], Understander],
               cases: Sequence[EvalCase], blind_cases: Sequence[EvalCase] = (), tasks: Tasks = no_tasks
               ) -> list[MatrixPoint]:
    """Each SLM as the assistant runs it (constrained decoding, static prompt kept in the KV cache) on the own
    evaluation set (condition "cached") and on the blind one (condition "blind")."""
    points = []
    for spec in specs:
        for condition, chosen in (("cached", cases), ("blind", blind_cases)):
            if not chosen:
                continue
            understander = understander_for(spec)
            advance = tasks(f"{spec} {'own' if condition == 'cached' else condition}", len(chosen))
            summary = run_nlu_bench(understander, chosen, spec, on_result=lambda _: advance()).summary()
            points.append(MatrixPoint(
                kind="slm", model=spec, condition=condition, accuracy=summary["exact_match"],
                accuracy_name="exact match", latency_p50_s=summary["latency_p50_s"],
                latency_p95_s=summary["latency_p95_s"], count=summary["cases"],
                details={name: summary[name] for name in SLM_DETAILS},
            ))
    return points


def stt_points(settings: Settings, specs: Sequence[str], commands: Sequence[SpokenCommand],
               noise_levels: Sequence[str], tasks: Tasks = no_tasks) -> list[MatrixPoint]:
    from carvoice.assistant.startup import resolve_model

    rows: list[SttBenchRow] = []
    variants = standard_variants(SttOptions(threads=settings.threads, vocabulary=load_vocabulary()), False)
    for spec in specs:
        run_stt_bench(spec, resolve_model(settings, Role.STT, spec).path, variants, noise_levels, commands,
                      rows.append, tasks=tasks)
    return [_stt_point(row) for row in rows]


def _stt_point(row: SttBenchRow) -> MatrixPoint:
    values = row.model_dump()
    return MatrixPoint(
        kind="stt", model=row.model, condition=row.noise, accuracy=1 - row.wer, accuracy_name="1 - WER",
        latency_p50_s=row.p50_s, latency_p95_s=row.p95_s, count=row.commands,
        details={name: values[name] for name in STT_DETAILS},
    )
