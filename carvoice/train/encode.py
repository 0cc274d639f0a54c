"""A training example as the student sees it at run time: the short prompt prefix, the turn (the previous
exchange and the normalised utterance), and the answer it must write. Built with the same functions as the
NLU stage (carvoice/nlu/prompt.py, normalize.py, syntax.py), so training and inference cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from carvoice.nlu.catalog import IntentCatalog
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.prompt import Exchange, PromptStyle, build_prefix, build_turn
from carvoice.nlu.syntax import END, format_calls
from carvoice.train.dataset import TrainingExample

STUDENT_PROMPT: PromptStyle = "short"


@dataclass(frozen=True)
class PromptParts:
    """Tokenized separately, as llama.cpp does: the prefix once (cached), the turn, then the answer."""

    prefix: str
    turn: str
    answer: str


def prompt_parts(example: TrainingExample, catalog: IntentCatalog, style: PromptStyle = STUDENT_PROMPT
                 ) -> PromptParts:
    previous = example.exchange
    if previous is not None:
        previous = Exchange(normalize_transcript(previous.text), previous.calls)
    return PromptParts(
        prefix=build_prefix(catalog, style),
        turn=build_turn(normalize_transcript(example.text), previous),
        answer=format_calls(example.calls) + END,
    )
