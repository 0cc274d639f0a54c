"""The phrasebook: well-formed templates, seeded choice, and clear errors for a missing case or field."""

from __future__ import annotations

import random
import string

import pytest

from carvoice.dialog.phrases import PHRASES, Phrasebook, UnknownPhraseError


@pytest.mark.parametrize("key", PHRASES)
def test_templates_are_simple_sentences_with_named_fields(key) -> None:
    for template in PHRASES[key]:
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
