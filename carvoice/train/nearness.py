"""Near copies of evaluation texts. A training text that differs from an eval text only by a filler, an ASR
slip or a letter ("um whats the cabin temperature", "switch too celsius") would let the benchmark measure
memory rather than understanding, so the training set keeps out every text this close to an eval text.

    NearTexts(eval_texts).is_near("switch too celsius")   # True: "switch to celsius" is 97 % similar
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher

NEAR = 0.9  # difflib's ratio: 2 x matching characters / total characters of both texts


class NearTexts:
    """Texts to keep away from, indexed by word so that a query is compared only with texts sharing a word."""

    def __init__(self, texts: Iterable[str], threshold: float = NEAR) -> None:
        self.texts = sorted(set(texts))
        self.threshold = threshold
        self._by_word: dict[str, set[int]] = defaultdict(set)
        for number, text in enumerate(self.texts):
            for word in text.split():
                self._by_word[word].add(number)

    def is_near(self, text: str) -> bool:
        """At least `threshold` similar to one of the texts (the cheap upper bounds are checked first)."""
        least = self.threshold
        return any(m.real_quick_ratio() >= least and m.quick_ratio() >= least and m.ratio() >= least
                   for m in self._matchers(text))

    def _matchers(self, text: str) -> Iterator[SequenceMatcher]:
        for number in set().union(*(self._by_word.get(word, set()) for word in text.split())):
            yield SequenceMatcher(None, text, self.texts[number], autojunk=False)
