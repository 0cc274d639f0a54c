"""The labelled NLU evaluation set: utterances with the intents and slots the SLM should produce.

The set lives in `intents/eval/*.yaml`, one file per domain. A file has `cases` (single utterances) and may have
`dialogs` (short conversations whose earlier gold turns are the context of later ones). Loading flattens both into
`EvalCase`s and checks every label against the intent catalog, so `carvoice bench nlu` scores against the same
slots the model is prompted with. The labelling conventions are in `intents/eval/README.md`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from carvoice.errors import CarvoiceError
from carvoice.nlu.catalog import INTENTS_DIR, OUT_OF_SCOPE, Call, IntentCatalog, load_intent_catalog
from carvoice.validation import describe_errors
from carvoice.yaml_lines import line_map

EVAL_DIR = INTENTS_DIR / "eval"
BLIND_DIR = INTENTS_DIR / "eval_blind"  # written blind from the capability list only; never trained on
EVAL_SETS = {"own": EVAL_DIR, "blind": BLIND_DIR}  # the labelled sets bench nlu reports side by side

# The phrasing phenomena a case exercises; the bench reports accuracy per tag.
TAGS: dict[str, str] = {
    "plain": "a direct command in ordinary words",
    "indirect": "a need or feeling instead of a command ('I'm freezing')",
    "polite": "please, could you, would you mind",
    "filler": "uh, um, like, you know",
    "word_order": "unusual order of the words ('the AC, turn it on')",
    "number_words": "numbers spelled out ('twenty-two', 'seventy two and a half')",
    "strong": "an intensifier that changes the step ('much warmer', 'way down')",
    "terse": "a few words, no verb ('AC on')",
    "colloquial": "slang or casual phrasing ('crank it', 'kill the fan')",
    "question": "asked as a question",
    "asr": "a speech recogniser slip: lower case, no punctuation, split or merged words",
    "homophone": "a word heard as one that sounds alike ('fourteen' / 'forty', 'seat' / 'sheet')",
    "misheard_name": "a name the user or recogniser got wrong",
    "multi": "more than one intent in one utterance",
    "follow_up": "only understandable from the earlier turns of its dialog",
    "correction": "the user corrects the previous turn",
    "injection": "tries to change the assistant's rules",
    "near_domain": "sounds like a car command but the assistant cannot do it",
    "weather": "weather or forecast",
    "joke": "jokes, stories, games",
    "smart_home": "devices at home",
    "phone": "calls, texts, email, contacts",
    "shopping": "buying or ordering things",
    "knowledge": "general knowledge, news, sport, maths",
    "chitchat": "small talk with the assistant",
    "gibberish": "noise, half sentences, words that mean nothing",
    "unsafe": "asks for something unsafe or silly for the car",
    "timer": "timers, alarms, reminders",
    "time": "the time or the date",
    "calendar": "calendar, appointments, meetings",
    "tv": "tv, films, streaming",
    "car_lacks": "a car function this car does not have (gears, lights, wipers, drive modes, ...)",
    "non_native": "non-native English",
    "british": "British wording (petrol, windscreen, motorway)",
    "rambling": "a long way round to the request",
    "impatient": "curt or impatient",
}

_PUNCTUATION = re.compile(r"[^\w\s]")


class EvalSetError(CarvoiceError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelledUtterance(_Strict):
    """One entry of a file: what the user said and the intents the SLM should find, in order."""

    text: str = Field(min_length=1)
    intents: list[Call] = Field(min_length=1)
    tags: list[str] = []

    @field_validator("tags")
    @classmethod
    def _tags_known(cls, tags: list[str]) -> list[str]:
        unknown = [tag for tag in tags if tag not in TAGS]
        if unknown:
            raise ValueError(f"unknown tags {unknown}; known tags: {', '.join(TAGS)}")
        return tags


class EvalCase(LabelledUtterance):
    """A case to score. A dialog turn carries the earlier gold turns of its dialog as `context`."""

    dialog_id: str | None = None
    turn: int = Field(0, ge=0, description="position in its dialog, 0 for the first turn and single cases")
    context: list[EvalCase] = []

    @property
    def is_out_of_scope(self) -> bool:
        return [intent.name for intent in self.intents] == [OUT_OF_SCOPE]

    @property
    def asks_out_of_scope(self) -> bool:
        """Whether the case asks for something the car cannot do, alone or beside requests it can."""
        return any(intent.name == OUT_OF_SCOPE for intent in self.intents)

    @property
    def is_multi_intent(self) -> bool:
        return len(self.intents) > 1


class _DialogEntry(_Strict):
    id: str = Field(min_length=1)
    turns: list[dict[str, Any]] = Field(min_length=2)


class _EvalFile(_Strict):
    cases: list[dict[str, Any]] = []
    dialogs: list[dict[str, Any]] = []


def load_eval_set(folder: Path = EVAL_DIR, catalog: IntentCatalog | None = None) -> list[EvalCase]:
    """Every case of every `*.yaml` and `*.jsonl` in `folder` (or of the one file `folder` names), dialogs
    flattened, each label checked against the catalog. A JSONL line is one case: {"text", "intents", "tags"}."""
    files = [folder] if folder.is_file() else eval_files(folder)
    if not files:
        raise EvalSetError(f"no eval set files (*.yaml, *.jsonl) in {folder}")
    catalog = catalog or load_intent_catalog()
    return [case for path in files for case in _load_file(path, catalog)]


def eval_files(folder: Path) -> list[Path]:
    """The evaluation set files of a folder: its `*.yaml` and `*.jsonl`."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.jsonl")])


def load_eval_sets(names: Iterable[str] = EVAL_SETS, catalog: IntentCatalog | None = None) -> dict[str, list[EvalCase]]:
    """The named evaluation sets of EVAL_SETS, each loaded and checked."""
    return {name: load_eval_set(EVAL_SETS[name], catalog) for name in names}


def normalise_text(text: str) -> str:
    """Lower case, no punctuation, single spaces: how two utterances are compared for sameness."""
    return " ".join(_PUNCTUATION.sub("", text.lower()).split())


def overlap_with_prompt_examples(cases: list[EvalCase], catalog: IntentCatalog) -> list[str]:
    """The eval texts that are, once normalised, also an example shown to the model in its prompt."""
    examples = {normalise_text(example.text) for intent in catalog.intents for example in intent.examples}
    examples |= {normalise_text(example.text) for example in catalog.multi_examples}
    return [case.text for case in cases if normalise_text(case.text) in examples]


def _load_file(path: Path, catalog: IntentCatalog) -> list[EvalCase]:
    data, where = _read_jsonl(path) if path.suffix == ".jsonl" else _read_yaml(path)
    try:
        content = _EvalFile.model_validate(data)
    except ValidationError as exc:
        raise EvalSetError(f"{path}: invalid eval set file:\n{describe_errors(data, exc)}") from exc
    cases = [EvalCase(**_utterance(where(("cases", index)), entry, catalog).model_dump())
             for index, entry in enumerate(content.cases)]
    for index, entry in enumerate(content.dialogs):
        cases += _dialog_cases(lambda turn, i=index: where(("dialogs", i, "turns", turn)), entry, catalog)
    return cases


Where = Callable[[tuple[str | int, ...]], str]  # a place in a file -> "file:line", for error messages


def _read_yaml(path: Path) -> tuple[Any, Where]:
    try:
        text = path.read_text(encoding="utf-8")
        data, lines = yaml.safe_load(text), line_map(text)
    except (OSError, yaml.YAMLError) as exc:
        raise EvalSetError(f"{path}: cannot read eval set file: {exc}") from exc
    if not isinstance(data, dict):
        raise EvalSetError(f"{path}: an eval set file is a mapping with `cases` and/or `dialogs`")
    return data, lambda place: f"{path}:{lines.line_of(place)}"


def _read_jsonl(path: Path) -> tuple[dict[str, list[Any]], Where]:
    """The cases of a JSON-lines file, one object per non-empty line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalSetError(f"{path}:1: cannot read eval set file: {exc}") from exc
    cases, numbers = [], []
    for number, line in enumerate(lines, start=1):
        try:
            cases += [json.loads(line)] if line.strip() else []
        except json.JSONDecodeError as exc:
            raise EvalSetError(f"{path}:{number}: not a JSON object: {exc.msg}") from exc
        numbers += [number] if line.strip() else []
    return {"cases": cases}, lambda place: f"{path}:{numbers[place[1]] if len(place) > 1 else 1}"


def _dialog_cases(where: Callable[[int], str], entry: dict[str, Any], catalog: IntentCatalog) -> list[EvalCase]:
    try:
        dialog = _DialogEntry.model_validate(entry)
    except ValidationError as exc:
        raise EvalSetError(f"{where(0)}: dialog {entry.get('id')!r}:\n{describe_errors(entry, exc)}") from exc
    cases: list[EvalCase] = []
    for turn, raw_turn in enumerate(dialog.turns):
        utterance = _utterance(where(turn), raw_turn, catalog)
        cases.append(EvalCase(**utterance.model_dump(), dialog_id=dialog.id, turn=turn, context=list(cases)))
    return cases


def _utterance(where: str, entry: dict[str, Any], catalog: IntentCatalog) -> LabelledUtterance:
    text = entry.get("text") if isinstance(entry, dict) else entry
    try:
        utterance = LabelledUtterance.model_validate(entry)
    except ValidationError as exc:
        raise EvalSetError(f"{where}: case {text!r}:\n{describe_errors(entry, exc)}") from exc
    problems = [problem for intent in utterance.intents for problem in _label_problems(intent, catalog)]
    if problems:
        raise EvalSetError(f"{where}: case {text!r}: {'; '.join(problems)}")
    return utterance


def _label_problems(expected: Call, catalog: IntentCatalog) -> list[str]:
    intent = catalog.by_name.get(expected.name)
    if intent is None:
        return [f"intent {expected.name!r} is not in the intent catalog"]
    return [f"{expected.name}: {problem}" for problem in intent.slot_problems(expected.slots)]
