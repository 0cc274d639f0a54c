"""`carvoice bench nlu`: how well and how fast an SLM understands the labelled evaluation set.

    report = run_nlu_bench(understander, spread(load_eval_set(), 60), "qwen2.5-coder-0.5b-carvoice")
    print(report.summary()["exact_match"])

Every case runs on its own (a dialog turn carries its gold earlier turns), so a run can be split into shards
that `judge_case` answers anywhere and `nlu_report` puts back together (`carvoice.bench.cluster`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from carvoice.bench.stats import percentile
from carvoice.nlu.catalog import IntentCatalog
from carvoice.nlu.evalset import EvalCase
from carvoice.nlu.scoring import exact_match, slot_triples
from carvoice.nlu.slm import SlmTimeout
from carvoice.nlu.understand import Understander, Understanding

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class CaseResult:
    case: EvalCase
    understanding: Understanding
    exact: bool
    intents_right: bool


@dataclass
class NluReport:
    model: str
    catalog: IntentCatalog
    results: list[CaseResult]
    load_s: float
    prefix_s: float
    prefix_restored: bool
    per_tag: dict[str, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.results)

    def share(self, predicate: Callable[[CaseResult], bool], among: Callable[[CaseResult], bool] = bool) -> float:
        chosen = [r for r in self.results if among(r)]
        return sum(map(predicate, chosen)) / len(chosen) if chosen else float("nan")

    def row(self, mode: str, eval_set: str = "own") -> NluRow:
        return NluRow(mode=mode, eval_set=eval_set,
                      **{k: v for k, v in self.summary().items() if k in NluRow.model_fields})

    def confusions(self) -> Counter[tuple[str, str]]:
        """How often each expected reading (intent names) was understood as another one."""
        return Counter((_names(r.case.intents), _names(r.understanding.intents) or "(nothing usable)")
                       for r in self.results if not r.intents_right)

    def misses(self) -> list[dict]:
        """Every case not read exactly right: what was said (and before it), what was wanted, what was read after
        the checks around the model, and what the model wrote."""
        return [{"text": r.case.text, "context": [turn.text for turn in r.case.context],
                 "expected": [asdict(call) for call in r.case.intents],
                 "understood": [asdict(call) for call in r.understanding.intents],
                 "raw_output": r.understanding.raw_output,
                 "intents_right": r.intents_right, "asked": r.understanding.unsure}
                for r in self.results if not r.exact]

    def summary(self) -> dict[str, float | str | int | bool]:
        latencies = [r.understanding.total_s for r in self.results]
        slot_p, slot_r, slot_f1 = self._slot_scores()
        return {
            "model": self.model, "cases": self.count,
            "exact_match": self.share(lambda r: r.exact),
            "intent_accuracy": self.share(lambda r: r.intents_right),
            "slot_precision": slot_p, "slot_recall": slot_r, "slot_f1": slot_f1,
            "oos_precision": self.share(lambda r: r.case.asks_out_of_scope, among=_predicted_out_of_scope),
            "oos_recall": self.share(_predicted_out_of_scope, among=lambda r: r.case.asks_out_of_scope),
            "multi_intent_accuracy": self.share(lambda r: r.exact, among=lambda r: r.case.is_multi_intent),
            "unusable_answers": sum(not r.understanding.understood for r in self.results),
            "ask_share": self.share(lambda r: r.understanding.unsure),
            "ask_needed": self.share(lambda r: not r.exact, among=lambda r: r.understanding.unsure),
            "errors_asked": self.share(lambda r: r.understanding.unsure, among=lambda r: not r.exact),
            "latency_p50_s": percentile(latencies, 50), "latency_p95_s": percentile(latencies, 95),
            "prompt_tokens_mean": _mean(r.understanding.prompt_tokens for r in self.results),
            "output_tokens_mean": _mean(r.understanding.output_tokens for r in self.results),
            "load_s": self.load_s, "prefix_s": self.prefix_s, "prefix_restored": self.prefix_restored,
        }

    def _slot_scores(self) -> tuple[float, float, float]:
        hits = predicted = expected = 0
        for result in self.results:
            got = Counter(slot_triples(result.understanding.intents, self.catalog))
            want = Counter(slot_triples(result.case.intents, self.catalog))
            hits += sum((got & want).values())
            predicted += sum(got.values())
            expected += sum(want.values())
        precision = hits / predicted if predicted else float("nan")
        recall = hits / expected if expected else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


class NluRow(BaseModel):
    """One line of `carvoice bench nlu`."""

    model: str
    mode: str
    eval_set: str
    cases: int
    exact_match: float
    intent_accuracy: float
    slot_f1: float
    oos_precision: float
    oos_recall: float
    multi_intent_accuracy: float
    ask_share: float
    ask_needed: float
    latency_p50_s: float
    latency_p95_s: float
    prompt_tokens_mean: float
    output_tokens_mean: float


T = TypeVar("T")


def spread(cases: Sequence[T], limit: int | None) -> list[T]:
    """`limit` cases taken evenly across the set (so every domain file is represented), or all of them."""
    if limit is None or limit >= len(cases):
        return list(cases)
    step = len(cases) / limit
    return [cases[int(i * step)] for i in range(limit)]


@dataclass(frozen=True)
class NluRun:
    """One language model measured on one or more sets, here or on a cluster."""

    spec: str  # the model as --slm takes it: a catalog name, a .gguf path or a hub id
    reuse_prefix: bool  # False: the naive baseline, the whole prompt evaluated every turn
    sets: dict[str, list[EvalCase]]  # set name -> its cases, in order

    @property
    def mode(self) -> str:
        return "cached" if self.reuse_prefix else "naive"

    def label(self, set_name: str) -> str:
        """What the progress bar of one set says."""
        return f"{self.spec} {set_name}{'' if self.reuse_prefix else ' naive'}"


@dataclass(frozen=True)
class ModelStart:
    """How the model came up where the cases ran: seconds to load it and to evaluate (or restore) its prompt."""

    load_s: float
    prefix_s: float
    prefix_restored: bool

    @classmethod
    def of(cls, understander: Understander) -> ModelStart:
        slm = understander.slm
        return cls(slm.load_s, slm.prefix_s, slm.prefix_restored)


def run_nlu_bench(understander: Understander, cases: Sequence[EvalCase], model_name: str,
                  on_result: Callable[[CaseResult], None] | None = None) -> NluReport:
    results = []
    for case in cases:
        results.append(judge_case(understander, case))
        if on_result is not None:
            on_result(results[-1])
    return nlu_report(model_name, understander.catalog, results, ModelStart.of(understander))


def judge_case(understander: Understander, case: EvalCase) -> CaseResult:
    """One case understood, with its dialog's gold earlier turn as context, and scored. A turn past the NLU
    deadline (a slow or busy machine) is a miss, as it is in the car, and the run goes on."""
    try:
        understanding = understander.understand(case.text, previous_understanding(case))
    except SlmTimeout as timeout:
        logger.warning("%r: %s", case.text, timeout)
        understanding = Understanding(text=case.text, intents=[], raw_output="", understood=False)
    return CaseResult(
        case=case, understanding=understanding,
        exact=exact_match(understanding.intents, case.intents, understander.catalog),
        intents_right=[i.name for i in understanding.intents] == [i.name for i in case.intents],
    )


def nlu_report(model_name: str, catalog: IntentCatalog, results: list[CaseResult], start: ModelStart) -> NluReport:
    """The report of `results`, in the order of their cases."""
    report = NluReport(model_name, catalog, results, start.load_s, start.prefix_s, start.prefix_restored)
    report.per_tag = _accuracy_per_tag(results)
    return report


def _predicted_out_of_scope(result: CaseResult) -> bool:
    """Out of scope is scored by the same question on both sides: does the utterance ask for something the car
    cannot do, alone or beside requests it can. (Until 2026-12-04 a labelled case counted only when all of it was
    out of scope, so a right "I can't do that part" beside a request the car did counted as a false alarm.)"""
    return result.understanding.out_of_scope


def previous_understanding(case: EvalCase) -> Understanding | None:
    """Dialog turns are scored with the gold previous turn as context, so one miss does not cascade."""
    if not case.context:
        return None
    previous = case.context[-1]
    return Understanding.given(previous.text, list(previous.intents))


def _accuracy_per_tag(results: list[CaseResult]) -> dict[str, float]:
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for result in results:
        for tag in result.case.tags:
            totals[tag] += 1
            right[tag] += result.exact
    return {tag: right[tag] / totals[tag] for tag in sorted(totals)}


def _names(intents) -> str:
    return " + ".join(intent.name for intent in intents)


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")
