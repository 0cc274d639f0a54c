"""carvoice side by side with what a user would otherwise pick, on the same utterances.

A `Matcher` turns an evaluation case into intents, or None when it has no usable answer (a baseline that
matched nothing, or wrote something that does not parse). Both sides are timed here, the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from carvoice.bench.nlu import previous_understanding
from carvoice.bench.report.schema import BaselineComparison, Percentiles
from carvoice.nlu.catalog import IntentCatalog
from carvoice.nlu.evalset import EvalCase
from carvoice.nlu.scoring import IntentLike, exact_match
from carvoice.nlu.understand import Understander

Matcher = Callable[[EvalCase], Sequence[IntentLike] | None]


def carvoice_matcher(understander: Understander) -> Matcher:
    def match(case: EvalCase) -> Sequence[IntentLike] | None:
        understanding = understander.understand(case.text, previous_understanding(case))
        return understanding.intents if understanding.understood else None
    return match


def compare_on_cases(name: str, description: str, cases: Sequence[EvalCase], catalog: IntentCatalog,
                     carvoice: Matcher, baseline: Matcher) -> BaselineComparison:
    ours = _score(cases, catalog, carvoice)
    theirs = _score(cases, catalog, baseline)
    return BaselineComparison(
        name=name, description=description, cases=len(cases),
        carvoice_accuracy=ours.accuracy, baseline_accuracy=theirs.accuracy,
        carvoice_latency_p50_s=ours.latency_p50_s, baseline_latency_p50_s=theirs.latency_p50_s,
        unusable_answers=theirs.unusable,
    )


class _Score:
    def __init__(self, right: list[bool], seconds: list[float], unusable: int) -> None:
        self.accuracy = sum(right) / len(right) if right else float("nan")
        self.latency_p50_s = Percentiles.of(seconds).p50
        self.unusable = unusable


def _score(cases: Sequence[EvalCase], catalog: IntentCatalog, matcher: Matcher) -> _Score:
    right, seconds, unusable = [], [], 0
    for case in cases:
        started = time.perf_counter()
        intents = matcher(case)
        seconds.append(time.perf_counter() - started)
        unusable += intents is None
        right.append(intents is not None and exact_match(intents, case.intents, catalog))
    return _Score(right, seconds, unusable)
