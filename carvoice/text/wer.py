"""Word error rate on normalised text, so that formatting choices are not counted as recognition errors.

    word_error_rate(["Set the temperature to twenty two degrees"], ["Set the temperature to 22°."])  # 0.0

Whisper writes "Set the temperature to 22°." where the speaker said "twenty two degrees"; both normalise
to "set the temperature to twenty two degrees". Normalisation: lower case; digits, decimals, ordinals and
clock times spelled out; "-" and most punctuation removed (apostrophes inside words kept); "and" inside
numbers dropped ("four hundred and fifty" = "450"); spelled-out letters joined ("E T A" = "ETA");
hesitation fillers (um, uh, ...) dropped; a few spelling variants unified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jiwer

from carvoice.text.numbers import digit_words, number_to_words, ordinal_words

_FILLERS = {"um", "uh", "umm", "uhm", "er", "erm", "ah", "hmm", "mm"}
_SPELLINGS = {"ok": "okay", "alright": "all right", "mr": "mister", "mrs": "missus", "dr": "doctor"}
_SYMBOLS = {"°c": " degrees", "°f": " degrees", "°": " degrees", "%": " percent", "&": " and ", "+": " plus "}


def normalise(text: str) -> str:
    text = text.lower()
    for symbol, words in _SYMBOLS.items():
        text = text.replace(symbol, words)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000
    text = re.sub(r"\b(\d{1,2}):(\d{2})\b", lambda m: _clock_time(int(m[1]), int(m[2])), text)
    text = re.sub(r"\b(\d+)\.(\d+)\b", lambda m: _decimal(int(m[1]), m[2]), text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: ordinal_words(int(m[1])), text)
    text = re.sub(r"\d+", lambda m: f" {number_to_words(int(m[0]))} ", text)
    text = re.sub(r"[^\w\s']|(?<!\w)'|'(?!\w)|_", " ", text)
    text = re.sub(r"\b(hundred|thousand|million|billion) and\b", r"\1", text)
    words = [_SPELLINGS.get(word, word) for word in text.split() if word not in _FILLERS]
    return " ".join(_join_spelled_letters(words))


def word_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Corpus WER (total edits / total reference words) after `normalise`."""
    if len(references) != len(hypotheses) or not references:
        raise ValueError("word_error_rate needs as many hypotheses as references, and at least one")
    output = jiwer.process_words([normalise(r) for r in references], [normalise(h) for h in hypotheses])
    return output.wer


def _decimal(whole: int, digits: str) -> str:
    return f"{number_to_words(whole)} point {digit_words(digits)}"


def _clock_time(hours: int, minutes: int) -> str:
    if minutes == 0:
        return f"{number_to_words(hours)} o'clock"
    minute_words = number_to_words(minutes) if minutes >= 10 else f"oh {number_to_words(minutes)}"
    return f"{number_to_words(hours)} {minute_words}"


def _join_spelled_letters(words: list[str]) -> list[str]:
    """["e", "t", "a"] -> ["eta"]: a run of two or more single letters is one spelled-out word."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        joined.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if word:
            joined.append(word)
    return joined
