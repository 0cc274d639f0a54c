"""Clean a transcript before understanding: spoken numbers become digits, common speech-recognition
slips and spellings of car words become one form. The model then sees "set it to 72.5", not
"set it to seventy two and a half", which is both shorter and less ambiguous.
"""

from __future__ import annotations

import re
import unicodedata

from carvoice.text.numbers import PUNCTUATION, read_number

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
        value, used = read_number(words, i)
        if used and not _lonely_one(words, i, used):
            out.append(_format(value) + _trailing_punctuation(words[i + used - 1]))
            i += used
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _trailing_punctuation(word: str) -> str:
    return word[len(word.rstrip(PUNCTUATION)):]


def _lonely_one(words: list[str], start: int, used: int) -> bool:
    """'one' alone is usually a pronoun ("the other one", "this one"), not a number."""
    return used == 1 and words[start].lower().strip(PUNCTUATION) == "one"


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
