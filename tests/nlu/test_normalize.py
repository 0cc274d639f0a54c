"""Transcript clean-up before understanding: spoken numbers to digits, speech-recogniser slips."""

import pytest

from carvoice.nlu.normalize import normalize_transcript


@pytest.mark.parametrize(("spoken", "clean"), [
    ("set it to seventy two and a half", "set it to 72.5"),
    ("tune to ninety eight point one", "tune to 98.1"),
    ("twenty-two degrees please", "22 degrees please"),
    ("Set the temperature to twenty two.", "Set the temperature to 22."),
    ("volume one hundred and five", "volume 105"),
    ("set it to five hundred degrees", "set it to 500 degrees"),
    ("skip two songs", "skip 2 songs"),
    ("ninety two point five FM", "92.5 FM"),
    ("go to one oh four point seven FM", "go to 104.7 FM"),
    ("radio one oh one", "radio 101"),
    ("nineteen point oh five", "19.05"),
    ("set it to five oh", "set it to 5 oh"),
    ("passenger twenty, two degrees warmer", "passenger 20, 2 degrees warmer"),
    ("fan to three, oh, four", "fan to 3, oh, 4"),
    ("ninety eight point one, five", "98.1, 5"),
])
def test_spoken_numbers_become_digits(spoken, clean):
    assert normalize_transcript(spoken) == clean


@pytest.mark.parametrize("text", ["no, the other one", "this one please", "one more time"])
def test_a_lone_one_stays_a_word(text):
    assert normalize_transcript(text) == text


@pytest.mark.parametrize(("heard", "clean"), [
    ("turn on the air con", "turn on the A/C"),
    ("switch the a c on", "switch the A/C on"),
    ("AC off", "A/C off"),
    ("defrosted the windscreen", "defrost the windscreen"),
    ("open the sun roof", "open the sunroof"),
    ("72 farenheit", "72 fahrenheit"),
    ("play from blue tooth", "play from Bluetooth"),
])
def test_recogniser_slips_and_spellings_are_unified(heard, clean):
    assert normalize_transcript(heard) == clean


def test_whitespace_and_typographic_apostrophes_are_tidied():
    assert normalize_transcript("  take me to   Luigi\u2019s Trattoria ") == "take me to Luigi's Trattoria"


def test_empty_stays_empty():
    assert normalize_transcript("   ") == ""
