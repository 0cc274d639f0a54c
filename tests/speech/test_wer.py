"""WER on normalised text: formatting is not a recognition error, a wrong word is."""

from __future__ import annotations

import pytest

from carvoice.text.numbers import number_to_words
from carvoice.text.wer import normalise, word_error_rate


@pytest.mark.parametrize(("spoken", "written"), [
    ("Set the temperature to twenty two degrees.", "set the temperature to 22°"),
    ("Navigate to four hundred and fifty Oak Road", "Navigate to 450 Oak Road."),
    ("Tune the radio to ninety eight point one", "Tune the radio to 98.1"),
    ("Book a table for two at seven thirty", "Book a table for 2 at 7:30."),
    ("What's my E T A?", "What's my ETA"),
    ("Um, turn the heat up, okay?", "Turn the heat up. OK?"),
    ("the twenty first floor", "The 21st floor"),
    ("twenty-two percent", "22%"),
    ("one thousand two hundred metres", "1,200 metres"),
])
def test_spoken_and_written_forms_normalise_alike(spoken: str, written: str) -> None:
    assert normalise(spoken) == normalise(written)


def test_apostrophes_inside_words_are_kept_and_quotes_dropped() -> None:
    assert normalise("Play 'Dreams', it's great") == "play dreams it's great"


@pytest.mark.parametrize(("number", "words"), [
    (0, "zero"), (13, "thirteen"), (40, "forty"), (72, "seventy two"), (100, "one hundred"),
    (450, "four hundred fifty"), (2024, "two thousand twenty four"), (1_000_000, "one million"),
])
def test_numbers_in_words(number: int, words: str) -> None:
    assert number_to_words(number) == words


def test_wer_counts_real_errors_over_all_reference_words() -> None:
    references = ["turn on the defrost", "play some jazz"]
    hypotheses = ["turn on the frost", "play some jazz please"]

    assert word_error_rate(references, hypotheses) == pytest.approx(2 / 7)


def test_wer_needs_paired_lists() -> None:
    with pytest.raises(ValueError, match="as many"):
        word_error_rate(["a"], [])
