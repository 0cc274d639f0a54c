"""Distillation policies: keep what the teacher agrees with, or take the teacher's labels."""

from __future__ import annotations

from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.understand import Understanding
from carvoice.train.dataset import TrainingExample
from carvoice.train.teacher import relabel


class ScriptedTeacher:
    """Answers from a table, as a teacher model would (None: an answer the NLU stage could not use)."""

    def __init__(self, answers: dict[str, list[Call] | None]) -> None:
        self.catalog = load_intent_catalog()
        self.answers = answers
        self.asked: list[tuple[str, object]] = []

    def understand(self, text: str, previous=None) -> Understanding:
        self.asked.append((text, previous))
        intents = self.answers[text]
        return Understanding(text=text, intents=intents or [], raw_output="", understood=intents is not None)


def _example(text: str, name: str, **slots) -> TrainingExample:
    return TrainingExample(text=text, calls=[Call(name=name, slots=slots)], kind="single")


EXAMPLES = [_example("fan to two", "set_fan", speed=2), _example("bit warmer", "adjust_temperature", delta=1),
            _example("gibberish", "out_of_scope")]
TEACHER = {"fan to two": [Call(name="set_fan", slots={"speed": 2.0})],
           "bit warmer": [Call(name="adjust_temperature", slots={"delta": 2})],
           "gibberish": None}


def test_agree_keeps_only_the_labels_the_teacher_reproduces():
    kept, report = relabel(EXAMPLES, ScriptedTeacher(TEACHER), "agree")
    assert [e.text for e in kept] == ["fan to two"]  # 2.0 and 2 are the same speed
    assert (report.asked, report.agreed, report.unusable, report.kept) == (3, 1, 1, 1)


def test_teacher_policy_takes_the_teachers_answers_and_drops_unusable_ones():
    kept, report = relabel(EXAMPLES, ScriptedTeacher(TEACHER), "teacher")
    assert [(e.text, e.calls[0].slots, e.source) for e in kept] == [
        ("fan to two", {"speed": 2.0}, "teacher"), ("bit warmer", {"delta": 2}, "teacher")]
    assert report.agreement == 1 / 3
