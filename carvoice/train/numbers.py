"""Numbers as a driver says them: digits or words ("twenty one", "nineteen point five", "seventy two and a
half"). The NLU stage turns words back into digits (carvoice/nlu/normalize.py), so both forms are trained."""

from __future__ import annotations

import random

UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def say_number(value: float, rng: random.Random, words_share: float = 0.5) -> str:
    """`value` in digits or, with probability `words_share`, in words (halves sometimes "and a half")."""
    if rng.random() >= words_share or abs(value) >= 200:
        return f"{value:g}"
    whole, fraction = divmod(abs(value), 1)
    text = ("minus " if value < 0 else "") + whole_in_words(int(whole), hyphen=rng.random() < 0.3)
    if fraction == 0:
        return text
    if round(fraction, 3) == 0.5 and rng.random() < 0.5:
        return f"{text} and a half"
    digits = f"{fraction:.3f}"[2:].rstrip("0")
    return f"{text} point {' '.join(UNITS[int(d)] for d in digits)}"


def whole_in_words(number: int, hyphen: bool = False) -> str:
    if number < 20:
        return UNITS[number]
    if number < 100:
        tens, unit = divmod(number, 10)
        return TENS[tens] + ((("-" if hyphen else " ") + UNITS[unit]) if unit else "")
    hundreds, rest = divmod(number, 100)
    return f"{UNITS[hundreds]} hundred" + (f" and {whole_in_words(rest, hyphen)}" if rest else "")
