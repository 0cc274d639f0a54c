"""A word heard one letter wrong inside a multi-word vocabulary phrase is mended; nothing else is touched."""

import pytest

from carvoice.stt import load_vocabulary, mend_phrases

VOCABULARY = load_vocabulary()


@pytest.mark.parametrize(("heard", "mended"), [
    ("Turn on my seat, Keater.", "Turn on my seat, heater."),
    ("open the rear widow", "open the rear window"),
    ("play Marina Male", "play Marina Vale"),
])
def test_a_phrase_heard_one_letter_wrong_is_mended(heard, mended):
    assert mend_phrases(heard, VOCABULARY) == mended


@pytest.mark.parametrize("heard", ["the theater is open", "seat heater on", "heater", "Keater", "a rear view"])
def test_everything_else_is_left_alone(heard):
    assert mend_phrases(heard, VOCABULARY) == heard
