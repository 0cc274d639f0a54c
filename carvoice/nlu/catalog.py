"""The intent catalog: what the assistant understands, loaded from `intents/*.yaml` and validated.

The catalog is the single source for the SLM's prompt, its output grammar, the validation of what the
model says, and `carvoice intents`. Slot names are the fields of the vehicle_sim action an intent maps to.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.dataclasses import dataclass

from carvoice.errors import CarvoiceError
from carvoice.shipped import shipped_dir
from carvoice.validation import RegularExpression, located_errors

INTENTS_DIR = shipped_dir("intents")
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
OUT_OF_SCOPE = "out_of_scope"  # the intent for everything the car cannot do
PACK_EXTRAS = ("vocabulary.yaml", "phrases.yaml")  # beside the catalog files of an intent pack (carvoice/pack.py)
DIALOG_INTENTS = ("yes", "no", "cancel", "help", OUT_OF_SCOPE)  # answered by the dialog itself, never by a car


class IntentCatalogError(CarvoiceError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Call:
    """An intent by name with its slot values: the one intent-call type. The model answers with calls; the
    prompt examples, evaluation sets, suites and training data are labelled with them; the dialog acts on them.

        Call("set_temperature", {"zone": "passenger", "value": 20})
        Call(name="out_of_scope")
    """

    name: Annotated[str, Field(min_length=1)]
    slots: dict[str, Any] = field(default_factory=dict)

    @field_validator("name", mode="before")
    @classmethod
    def _name_not_yaml_boolean(cls, name: Any) -> Any:
        if isinstance(name, bool):
            raise ValueError('YAML read yes/no as a boolean: write the intent name in quotes ("yes", "no")')
        return name

    @field_validator("slots", mode="before")
    @classmethod
    def _slot_names_not_yaml_booleans(cls, slots: Any) -> Any:
        if isinstance(slots, dict) and any(isinstance(name, bool) for name in slots):
            raise ValueError('YAML read a slot name on/off as a boolean: write it in quotes ("on")')
        return slots


class Slot(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    type: Literal["enum", "number", "integer", "boolean", "text"]
    description: str = ""
    required: bool = False
    values: list[str] = Field(default=[], description="enum: the allowed values")
    words: list[str] = Field(default=[], description="number/integer: words allowed instead of a number")
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    spoken_range: str | None = Field(default=None, description="how to say the range, if not 'min to max'")
    range_by: dict[str, dict[str, tuple[float, float]]] = Field(
        default={}, description="the range while another slot has a given value, as {slot: {value: [min, max]}} "
                                "(a temperature's in each unit); min and max otherwise")

    @model_validator(mode="after")
    def _type_fits(self) -> Slot:
        if (self.type == "enum") != bool(self.values):
            raise ValueError("an enum slot needs `values`, and only enum slots have them")
        if self.words and self.type not in ("number", "integer"):
            raise ValueError("only number and integer slots take `words`")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def accepts(self, value: Any) -> bool:
        """Whether `value` has this slot's type (ranges are the car's to judge, so they are not checked here)."""
        if self.type == "enum":
            return value in self.values
        if self.type == "boolean":
            return isinstance(value, bool)
        if self.type == "text":
            return isinstance(value, str) and bool(value.strip())
        if isinstance(value, str):
            return value in self.words
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return self.type == "number" or float(value).is_integer()

    def in_range(self, value: Any, others: dict[str, Any]) -> bool:
        """Whether a number is within this slot's range, given the `others` slots of the same call."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return True
        low, high = next((ranges[others[name]] for name, ranges in self.range_by.items()
                          if others.get(name) in ranges), (self.min, self.max))
        return (low is None or value >= low) and (high is None or value <= high)

    def range_words(self) -> str:
        return self.spoken_range or f"{self.min:g} to {self.max:g}"


class Example(_Strict):
    text: str
    slots: dict[str, Any] = {}


class Intent(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    description: str
    action: str | None = Field(None, description="the vehicle_sim action kind; none for dialog-only intents")
    slots: list[Slot] = []
    one_of: list[list[str]] = Field(default=[], description="groups of slots of which exactly one is given")
    at_most_one_of: list[list[str]] = Field(default=[], description="groups of slots of which one or none is given")
    examples: list[Example] = []
    said_with: RegularExpression | None = Field(
        None, description="words (a regular expression, case-insensitive) of which the utterance must hold some for "
                          "this intent to be read from it: a small model reads 'drop the rear windows' as the rear "
                          "demister; none: any words")

    @model_validator(mode="after")
    def _examples_use_real_slots(self) -> Intent:
        names = [s.name for s in self.slots]
        if len(set(names)) != len(names):
            raise ValueError(f"slot names repeat: {names}")
        unknown = [n for group in self.exclusive_groups for n in group if n not in names]
        if unknown:
            raise ValueError(f"one_of or at_most_one_of names unknown slots {unknown}")
        for example in self.examples:
            problems = self.slot_problems(example.slots)
            if problems:
                raise ValueError(f"example {example.text!r}: {'; '.join(problems)}")
            if not self.said_in(example.text):
                raise ValueError(f"example {example.text!r} has none of the words of said_with")
        return self

    def said_in(self, text: str) -> bool:
        """Whether `text` has the words this intent needs (`said_with`); any text when it needs none."""
        return self.said_with is None or re.search(self.said_with, text, re.IGNORECASE) is not None

    @cached_property
    def slot_by_name(self) -> dict[str, Slot]:
        return {slot.name: slot for slot in self.slots}

    @property
    def exclusive_groups(self) -> list[list[str]]:
        """The groups of slots of which at most one is given: one_of and at_most_one_of together."""
        return self.one_of + self.at_most_one_of

    def free_slots(self, used: set[str] | frozenset[str]) -> list[str]:
        """The slots that may still be given after `used`: not given yet, nor excluded by a one_of or
        at_most_one_of group."""
        taken = {n for group in self.exclusive_groups if used & set(group) for n in group}
        return [name for name in self.slot_by_name if name not in used and name not in taken]

    def is_complete(self, used: set[str] | frozenset[str]) -> bool:
        """Required slots present, and one slot of each one_of group."""
        required = all(s.name in used for s in self.slots if s.required)
        return required and all(len(used & set(group)) == 1 for group in self.one_of)

    def out_of_range(self, slots: dict[str, Any]) -> list[tuple[Slot, float]]:
        """The number slots given a value outside their range, with that value."""
        return [(slot, value) for name, value in slots.items()
                if (slot := self.slot_by_name.get(name)) is not None and not slot.in_range(value, slots)]

    def slot_problems(self, slots: dict[str, Any]) -> list[str]:
        """What is wrong with these slot values for this intent; empty when they are fine."""
        problems = [f"unknown slot {name!r}" for name in slots if name not in self.slot_by_name]
        problems += [f"missing slot {s.name!r}" for s in self.slots if s.required and s.name not in slots]
        problems += [f"give exactly one of {', '.join(group)}" for group in self.one_of
                     if len(set(slots) & set(group)) != 1]
        problems += [f"give at most one of {', '.join(group)}" for group in self.at_most_one_of
                     if len(set(slots) & set(group)) > 1]
        problems += [f"slot {name!r} cannot be {value!r}" for name, value in slots.items()
                     if name in self.slot_by_name and not self.slot_by_name[name].accepts(value)]
        return problems


class MultiExample(_Strict):
    """A prompt example with several intents in one utterance."""

    text: str
    intents: list[Call] = Field(min_length=2)


class UnsupportedFunction(_Strict):
    """A car function, device or service this car cannot control by voice (a "known unknown"): a clause that
    names it is out of scope, whatever the model made of it (carvoice/nlu/scope.py)."""

    name: str = Field(pattern=NAME_PATTERN)
    say: str = Field(description="what cannot be done, after \"This car can't\"")
    cues: list[RegularExpression] = Field(min_length=1, description="regular expressions over the words of one "
                                                                     "clause")


class DomainFile(_Strict):
    domain: str = Field(pattern=NAME_PATTERN)
    intents: list[Intent] = []
    multi_examples: list[MultiExample] = []
    unsupported: list[UnsupportedFunction] = []

    @model_validator(mode="after")
    def _not_empty(self) -> DomainFile:
        if not self.intents and not self.unsupported:
            raise ValueError("a catalog file needs `intents` or `unsupported` entries")
        return self


class IntentCatalog(BaseModel):
    domains: list[DomainFile]

    @model_validator(mode="after")
    def _names_unique(self) -> IntentCatalog:
        names = [intent.name for intent in self.intents]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"intent names repeat across files: {repeated}")
        for example in self.multi_examples:
            for call in example.intents:
                intent = self.by_name.get(call.name)
                problems = [f"unknown intent {call.name!r}"] if intent is None else intent.slot_problems(call.slots)
                if problems:
                    raise ValueError(f"multi-intent example {example.text!r}: {'; '.join(problems)}")
        return self

    @property
    def intents(self) -> list[Intent]:
        return [intent for domain in self.domains for intent in domain.intents]

    @property
    def multi_examples(self) -> list[MultiExample]:
        return [example for domain in self.domains for example in domain.multi_examples]

    @property
    def unsupported(self) -> list[UnsupportedFunction]:
        return [function for domain in self.domains for function in domain.unsupported]

    @cached_property
    def by_name(self) -> dict[str, Intent]:
        return {intent.name: intent for intent in self.intents}

    def domain_of(self, intent_name: str) -> str:
        return next(d.domain for d in self.domains if any(i.name == intent_name for i in d.intents))


def catalog_files(folder: Path) -> list[Path]:
    """The catalog files of a folder: its `*.yaml`, except an intent pack's vocabulary and phrasebook."""
    return sorted(path for path in folder.glob("*.yaml") if path.name not in PACK_EXTRAS)


def load_intent_catalog(folder: Path = INTENTS_DIR) -> IntentCatalog:
    """Read every catalog file in `folder`; a broken file fails with its name and the failing field."""
    files = catalog_files(folder)
    if not files:
        raise IntentCatalogError(f"no intent catalog files (*.yaml) in {folder}")
    domains = [read_domain_file(path) for path in files]
    try:
        return IntentCatalog(domains=domains)
    except ValidationError as exc:
        raise IntentCatalogError(f"{folder}: {exc.errors()[0]['msg']}") from exc


def read_domain_file(path: Path) -> DomainFile:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise IntentCatalogError(f"{path}: cannot read intent catalog file: {exc}") from exc
    try:
        return DomainFile.model_validate(data)
    except ValidationError as exc:
        raise IntentCatalogError(f"invalid intent catalog file:\n{located_errors(path, text, data, exc)}") from exc
