"""The phrasebook: well-formed templates, seeded choice, and clear errors for a missing case or field."""

from __future__ import annotations

import dataclasses
import random
import string
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from carvoice.dialog import wording
from carvoice.dialog.phrases import PHRASES, Phrasebook, UnknownPhraseError
from carvoice.dialog.wording import base, media, undo
from carvoice.dialog.wording.base import Area, Phrases

# Templates said outside any `Phrases` or area.
LOOSE = {"refused": base.REFUSED, "question": base.QUESTION, "not found": base.NOT_FOUND,
         "suggest one": base.SUGGEST_ONE, "suggest closest": base.SUGGEST_CLOSEST, "suggest many": base.SUGGEST_MANY,
         "no station on frequency": media.NO_STATION_ON_FREQUENCY, "restored": undo.RESTORED,
         "undone": undo.UNDONE, **{f"code {code}": templates for code, templates in base.CODE_PHRASES.items()}}


def _phrases_in(name: str, value: Any) -> Iterator[tuple[str, Phrases]]:
    """The `Phrases` a module-level value holds: itself, the cases of a `Switch` or `Openings`, a table's values."""
    if isinstance(value, Phrases):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _phrases_in(f"{name}[{key}]", item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, (type, Area)):
        for part in dataclasses.fields(value):
            yield from _phrases_in(f"{name}.{part.name}", getattr(value, part.name))


def _templates_of(module: ModuleType) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every case a wording module says: its phrases, its area's codes, and its actions' own codes and questions."""
    for value_name, value in vars(module).items():
        for name, phrases in _phrases_in(f"{module.__name__}.{value_name}", value):
            yield from ((f"{name}.{part.name}", getattr(phrases, part.name)) for part in dataclasses.fields(phrases))
    area = getattr(module, "AREA", Area())
    yield from ((f"{module.__name__} code {code}", templates) for code, templates in area.codes.items())
    for action_type, said in area.wordings.items():
        yield from ((f"{action_type.__name__} code {code}", templates) for code, templates in said.codes.items())
        yield f"{action_type.__name__} question", said.question


WORDING_MODULES = (base, *(getattr(wording, area) for area in wording.AREAS))
TEMPLATES = {**PHRASES, **LOOSE, **{case: templates for module in WORDING_MODULES
                                    for case, templates in _templates_of(module)}}


@pytest.mark.parametrize("case", TEMPLATES)
def test_templates_are_simple_sentences_with_named_fields(case) -> None:
    for template in TEMPLATES[case]:
        fields = [parsed[1] for parsed in string.Formatter().parse(template) if parsed[1] is not None]
        assert all(field.isidentifier() for field in fields), template
        assert template[-1] in ".?" or template.endswith("{explanation}"), template  # explanations end themselves


def test_choice_follows_the_seed() -> None:
    def draws(seed: int) -> list[str]:
        book = Phrasebook(random.Random(seed))
        return [book.say("not_understood") for _ in range(8)]

    assert draws(1) == draws(1)
    assert len(set(draws(1))) > 1


def test_the_reply_starts_with_a_capital() -> None:
    book = Phrasebook(random.Random(0), {"case": ("{name} is here.",)})
    assert book.say("case", name="jazz") == "Jazz is here."


def test_an_unknown_case_or_field_is_a_clear_error() -> None:
    book = Phrasebook(random.Random(0), {"case": ("{name} is here.",)})
    with pytest.raises(UnknownPhraseError, match="no reply templates for 'other'"):
        book.say("other")
    with pytest.raises(UnknownPhraseError, match="needs the field 'name'"):
        book.say("case")
