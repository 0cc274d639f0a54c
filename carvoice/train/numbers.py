"""Numbers as a driver says them in the training data: digits or words ("twenty one", "nineteen point five",
"seventy two and a half"). The NLU stage turns words back into digits (carvoice/nlu/normalize.py), so both
forms are trained; the words themselves come from carvoice/text/numbers.py."""

from __future__ import annotations

import random

from carvoice.text.numbers import digit_words, number_to_words


def say_number(value: float, rng: random.Random, words_share: float = 0.5) -> str:
    """`value` in digits or, with probability `words_share`, in words (halves sometimes "and a half")."""
    if rng.random() >= words_share or abs(value) >= 200:
        return f"{value:g}"
    whole, fraction = divmod(abs(value), 1)
    words = number_to_words(int(whole), hyphen=rng.random() < 0.3, and_after_hundred=True)
    text = ("minus " if value < 0 else "") + words
    if fraction == 0:
        return text
    if round(fraction, 3) == 0.5 and rng.random() < 0.5:
        return f"{text} and a half"
    return f"{text} point {digit_words(f'{fraction:.3f}'[2:].rstrip('0'))}"
