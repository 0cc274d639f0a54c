"""Clean a transcript before understanding: spoken numbers become digits, common speech-recognition
slips and spellings of car words become one form. The model then sees "set it to 72.5", not
"set it to seventy two and a half", which is both shorter and less ambiguous.
"""

from __future__ import annotations

import re
import unicodedata

UNITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}

# phrase (lower case, whole words) -> replacement; longest phrases are matched first
SPOKEN_FORMS = {
    "air con": "A/C", "aircon": "A/C", "air conditioner": "A/C", "air conditioning": "A/C", "a c": "A/C",
    "ac": "A/C", "a/c": "A/C", "defrosted": "defrost", "de frost": "defrost", "demister": "defrost",
    "defroster": "defrost", "de-icer": "defrost", "deicer": "defrost", "de icer": "defrost", "de-ice": "defrost",
    "de ice": "defrost", "deice": "defrost", "demist": "defrost", "de-mist": "defrost", "defog": "defrost",
    "de-fog": "defrost", "defogger": "defrost",
    "sun roof": "sunroof", "wind screen": "windscreen", "wind shield": "windshield",
    "farenheit": "fahrenheit", "fahrenheight": "fahrenheit", "celcius": "celsius", "centigrade": "celsius",
    "per cent": "percent", "blue tooth": "Bluetooth", "u s b": "USB", "f m": "FM", "a m": "AM", "d a b": "DAB",
}
_SPOKEN_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(SPOKEN_FORMS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"\b\d+(?:\.\d+)?e[+-]?\d{1,3}\b", re.IGNORECASE)  # "1e3" is a thousand, not 1 or 3
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\S")


def normalize_transcript(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width and other compatibility forms become plain letters
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")  # zero-width and direction marks
    text = text.encode("utf-8", errors="replace").decode("utf-8")  # a lone surrogate cannot reach the model
    text = " ".join(text.replace("\u2019", "'").split())
    text = _SCIENTIFIC.sub(lambda m: _format(float(m.group(0))), text)
    text = _SPOKEN_PATTERN.sub(lambda m: SPOKEN_FORMS[m.group(0).lower()], text)
    return _numbers_to_digits(text)


def _numbers_to_digits(text: str) -> str:
    tokens = re.split(r"(\s+)", text)
    words = [t for t in tokens if t and not t.isspace()]
    out: list[str] = []
    i = 0
    while i < len(words):
        value, used = _read_number(words, i)
        if used and not _lonely_one(words, i, used):
            out.append(_format(value) + _trailing_punctuation(words[i + used - 1]))
            i += used
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _clean(word: str) -> str:
    return word.lower().strip(".,!?;:")


def _trailing_punctuation(word: str) -> str:
    return word[len(word.rstrip(".,!?;:")):]


def _read_number(words: list[str], start: int) -> tuple[float, int]:
    """The number spoken from words[start], and how many words it took (0 if none)."""
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
        if tens in TENS and unit in UNITS and UNITS[unit] < 10:
            return TENS[tens] + UNITS[unit], 1
        return 0, 0
    if first in TENS:
        if start + 1 < len(words) and _clean(words[start + 1]) in UNITS and 0 < UNITS[_clean(words[start + 1])] < 10:
            return TENS[first] + UNITS[_clean(words[start + 1])], 2
        return TENS[first], 1
    if first in UNITS and first != "oh":
        if start + 1 < len(words) and _clean(words[start + 1]) == "hundred":
            skip = 3 if start + 2 < len(words) and _clean(words[start + 2]) == "and" else 2
            rest, more = _read_whole(words, start + skip)
            return (UNITS[first] * 100 + rest, skip + more) if more else (UNITS[first] * 100, 2)
        return UNITS[first], 1
    return 0, 0


def _read_digits(words: list[str], start: int) -> tuple[str, int]:
    digits = ""
    while start + len(digits) < len(words) and _clean(words[start + len(digits)]) in UNITS \
            and UNITS[_clean(words[start + len(digits)])] < 10:
        digits += str(UNITS[_clean(words[start + len(digits)])])
    return digits, len(digits)


def _lonely_one(words: list[str], start: int, used: int) -> bool:
    """'one' alone is usually a pronoun ("the other one", "this one"), not a number."""
    return used == 1 and _clean(words[start]) == "one"


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
