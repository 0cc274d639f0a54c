"""Does a transcript stop mid-sentence? Smart endpointing must not end a turn on "set the temperature to".

The test is about English, not about the catalog: a command cannot end on an article, a preposition that
needs an object, a conjunction or a filler, and speech recognisers mark trailing-off speech with "..." or a
comma. Words that can end a command ("turn it on", "turn that off", "turn it up") are not listed.
"""

from __future__ import annotations

import re

HANGING_WORDS = frozenset({
    "a", "an", "the", "some", "my", "your", "our", "their", "his", "her", "its",
    "to", "at", "for", "of", "by", "with", "from", "into", "onto", "towards", "toward", "near", "than",
    "and", "or", "but", "then", "so", "because", "if", "plus", "point",
    "uh", "um", "er", "erm", "uhm", "hmm", "ah",
})
_WORDS = re.compile(r"[a-z0-9']+")


def sounds_unfinished(transcript: str) -> bool:
    """True when the words stop where a spoken command cannot end (or nothing was said)."""
    text = transcript.strip().lower()
    if not text or text.endswith(("...", "…", ",", "-")):
        return True
    if text.endswith("?"):  # a question the recogniser heard through to its end
        return False
    words = _WORDS.findall(text)
    return not words or words[-1] in HANGING_WORDS
