"""Numbers as people say them, both ways: the one place that knows the words for numbers.

    number_to_words(450)                                  # "four hundred fifty"
    number_to_words(72, hyphen=True)                      # "seventy-two"
    number_to_words(105, and_after_hundred=True)          # "one hundred and five"
    read_number("seventy two and a half degrees".split(), 0)   # (72.5, 5)
    read_number("one oh four point seven".split(), 0)          # (104.7, 5)
    ordinal_words(21)                                     # "twenty first"
"""

from __future__ import annotations

ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"), (100, "hundred"))
_ORDINAL_ENDINGS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                    "nine": "ninth", "twelve": "twelfth"}
PUNCTUATION = ".,!?;:"
"""What a word may carry after it in a transcript; a number ends there ("twenty, two degrees" is two)."""
# word -> value when reading; "oh" is a zero only among digits ("nineteen point oh five")
_ONE_VALUES = {word: value for value, word in enumerate(ONES)} | {"oh": 0}
_TEN_VALUES = {word: value * 10 for value, word in enumerate(TENS) if word}


def number_to_words(number: int, *, hyphen: bool = False, and_after_hundred: bool = False) -> str:
    """A whole number >= 0 in words: "seventy two" (or "seventy-two"), "one hundred five" (or "... and five")."""
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (("-" if hyphen else " ") + ONES[ones] if ones else "")
    for scale, name in SCALES:
        if number >= scale:
            count, rest = divmod(number, scale)
            joiner = " and " if and_after_hundred and scale == 100 else " "
            more = number_to_words(rest, hyphen=hyphen, and_after_hundred=and_after_hundred) if rest else ""
            return f"{number_to_words(count, hyphen=hyphen)} {name}" + (joiner + more if rest else "")
    raise AssertionError("unreachable: every number >= 100 has a scale")


def ordinal_words(number: int) -> str:
    words = number_to_words(number).split()
    last = words[-1]
    if last in _ORDINAL_ENDINGS:
        words[-1] = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " ".join(words)


def digit_words(digits: str) -> str:
    """"05" -> "zero five": the digits after a decimal point, one word each."""
    return " ".join(ONES[int(digit)] for digit in digits)


def read_number(words: list[str], start: int) -> tuple[float, int]:
    """The number spoken from words[start] ("seventy two", "nineteen point five", "seventy two and a half",
    "one hundred and five"), and how many words it took (0 if none). Words may carry trailing punctuation."""
    whole, used = _read_whole(words, start)
    if not used:
        return 0, 0
    rest = [_clean(w) for w in words[start + used:start + used + 3]]
    if rest[:3] == ["and", "a", "half"]:
        return whole + 0.5, used + 3
    if rest[:1] == ["point"]:
        digits, more = _read_digits(words, start + used + 1)
        if more:
            return float(f"{whole}.{digits}"), used + 1 + more
    return whole, used


def _read_whole(words: list[str], start: int) -> tuple[int, int]:
    if start >= len(words):
        return 0, 0
    first = _clean(words[start])
    if "-" in first:
        tens, _, unit = first.partition("-")
        if tens in _TEN_VALUES and _ONE_VALUES.get(unit, 10) < 10:
            return _TEN_VALUES[tens] + _ONE_VALUES[unit], 1
        return 0, 0
    last = start + 1 >= len(words) or _ends_clause(words[start])
    following = "" if last else _clean(words[start + 1])
    if first in _TEN_VALUES:
        if 0 < _ONE_VALUES.get(following, 0) < 10:
            return _TEN_VALUES[first] + _ONE_VALUES[following], 2
        return _TEN_VALUES[first], 1
    if first in _ONE_VALUES and first != "oh":
        if following == "oh" and 0 < _ONE_VALUES[first] < 10:
            digits, more = _read_digits(words, start + 1, most=3)
            if more > 1:  # "one oh four" is 104, said digit by digit as frequencies and house numbers are
                return int(f"{_ONE_VALUES[first]}{digits}"), 1 + more
        if following == "hundred":
            skip = 3 if start + 2 < len(words) and _clean(words[start + 2]) == "and" else 2
            rest, more = _read_whole(words, start + skip)
            return (_ONE_VALUES[first] * 100 + rest, skip + more) if more else (_ONE_VALUES[first] * 100, 2)
        return _ONE_VALUES[first], 1
    return 0, 0


def _read_digits(words: list[str], start: int, most: int = 12) -> tuple[str, int]:
    """Digits said one word each from words[start], up to `most` of them and to the first punctuation."""
    digits = ""
    while len(digits) < most and start + len(digits) < len(words):
        word = words[start + len(digits)]
        if _ONE_VALUES.get(_clean(word), 10) >= 10:
            break
        digits += str(_ONE_VALUES[_clean(word)])
        if _ends_clause(word):
            break
    return digits, len(digits)


def _clean(word: str) -> str:
    return word.lower().strip(PUNCTUATION)


def _ends_clause(word: str) -> bool:
    return word != word.rstrip(PUNCTUATION)
