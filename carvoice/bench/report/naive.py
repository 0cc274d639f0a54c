"""Baseline (a): the default SLM called the obvious way, through llama-cpp-python's `create_completion`.

Same model, same prompt text, same normalised utterance as carvoice, but the whole prompt is evaluated
every time (no KV-cache prefix) and decoding is free (no call grammar): the answer is parsed afterwards
with `parse_calls`, and one that does not parse, or names intents and slots the catalog does not have,
counts as wrong. Each call costs the full prompt, tens of seconds on a laptop CPU.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from carvoice.bench.nlu import previous_understanding
from carvoice.bench.report.baselines import Matcher
from carvoice.nlu.evalset import EvalCase
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.prompt import build_prefix, build_turn
from carvoice.nlu.syntax import SyntaxRejected, parse_calls
from carvoice.nlu.catalog import Call
from carvoice.nlu.understand import Understander

MAX_OUTPUT_TOKENS = 64


@contextmanager
def naive_matcher(understander: Understander) -> Iterator[Matcher]:
    """A matcher on the understander's own llama.cpp model; its cached prefix is put back afterwards."""
    llm = understander.slm.llm
    prefix = build_prefix(understander.catalog, understander.prompt_style)  # the student's own short prompt too

    def match(case: EvalCase) -> Sequence[Call] | None:
        previous = previous_understanding(case)
        context = previous.as_exchange() if previous is not None else None
        prompt = prefix + build_turn(normalize_transcript(case.text), context)
        llm.reset()  # llama-cpp-python reuses a matching prefix already in the KV cache; naive means no reuse
        output = llm.create_completion(prompt, max_tokens=MAX_OUTPUT_TOKENS, temperature=0.0, stop=["\n"])
        return _calls(output["choices"][0]["text"], understander)

    try:
        yield match
    finally:
        understander.slm.set_prefix(prefix)


def _calls(text: str, understander: Understander) -> list[Call] | None:
    try:
        calls = parse_calls(text)
    except (SyntaxRejected, ValueError, TypeError):  # literal_eval refuses names and expressions
        return None
    known = understander.catalog.by_name
    usable = calls and all(c.name in known and not known[c.name].slot_problems(c.slots) for c in calls)
    return calls if usable else None
