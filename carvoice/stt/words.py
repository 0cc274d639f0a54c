"""The text any speech-to-text model writes, tidied: words heard one letter wrong inside a phrase of the
car's vocabulary are mended, and a repetition loop is cut.

    mend_phrases("Turn on the seat, Keater.", ("seat heater",))   # -> "Turn on the seat, heater."
    drop_repetition("Turn on the AC. Turn on the AC. Turn on")     # -> "Turn on the AC."
"""

from __future__ import annotations

_PUNCTUATION = ".,!?;:\"'"


def mend_phrases(text: str, vocabulary: tuple[str, ...]) -> str:
    """A word heard one letter wrong inside a vocabulary phrase of several words, with the rest of the phrase
    right beside it ("seat, Keater" for "seat heater", "rear widow"), becomes the vocabulary's word. Single
    words are left alone: one letter away from a car word is often another real word."""
    words = text.split()
    plain = [word.strip(_PUNCTUATION).lower() for word in words]
    for phrase in (p.split() for p in vocabulary if " " in p.strip()):
        wanted = [word.lower() for word in phrase]
        for start in range(len(plain) - len(phrase) + 1):
            wrong = [i for i, word in enumerate(wanted) if plain[start + i] != word]
            if len(wrong) == 1 and len(wanted[wrong[0]]) >= 4 and _one_edit(plain[start + wrong[0]], wanted[wrong[0]]):
                at = start + wrong[0]
                words[at] = phrase[wrong[0]] + words[at][len(words[at].rstrip(_PUNCTUATION)):]
                plain[at] = wanted[wrong[0]]
    return " ".join(words)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by changing, adding or dropping one letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def drop_repetition(text: str) -> str:
    """Cut a repetition loop: "Turn on the AC. Turn on the AC. Turn on" -> "Turn on the AC."

    If the words repeat one leading group throughout (the last copy may be cut short), keep that group.
    """
    words = text.split()
    keys = [word.strip(_PUNCTUATION).lower() for word in words]
    for period in range(1, len(words) // 2 + 1):
        if all(keys[i] == keys[i % period] for i in range(period, len(words))):
            return " ".join(words[:period])
    return text
