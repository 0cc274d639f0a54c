"""Distillation: a teacher model (any GGUF the NLU stage loads, e.g. the 1.5B default) labels the utterances.

Two policies: "agree" keeps only the examples whose constructed label the teacher reproduces (it filters
template labels a strong model finds wrong or ambiguous); "teacher" replaces every label with the teacher's
answer (for utterances without a trusted label), dropping those it could not answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from carvoice.nlu.scoring import exact_match
from carvoice.nlu.understand import Understander
from carvoice.train.dataset import TrainingExample

TeacherPolicy = Literal["agree", "teacher"]


@dataclass
class TeacherReport:
    asked: int = 0
    agreed: int = 0
    unusable: int = 0
    kept: int = 0
    seconds: float = 0.0

    @property
    def agreement(self) -> float:
        return self.agreed / self.asked if self.asked else float("nan")


def relabel(examples: list[TrainingExample], teacher: Understander, policy: TeacherPolicy = "agree",
            progress: Callable[[int, int], None] | None = None) -> tuple[list[TrainingExample], TeacherReport]:
    report = TeacherReport()
    started = time.perf_counter()
    kept = []
    for number, example in enumerate(examples, 1):
        understanding = teacher.understand(example.text, example.exchange)
        report.asked += 1
        agrees = understanding.understood and exact_match(understanding.intents, example.calls, teacher.catalog)
        report.agreed += agrees
        report.unusable += not understanding.understood
        if policy == "agree" and agrees:
            kept.append(example)
        elif policy == "teacher" and understanding.understood:
            calls = list(understanding.intents)
            kept.append(example.model_copy(update={"calls": calls, "source": "teacher"}))
        if progress is not None:
            progress(number, len(examples))
    report.kept = len(kept)
    report.seconds = time.perf_counter() - started
    return kept, report
