"""The base of every error carvoice reports to a user.

The CLI prints a `CarvoiceError` as one clear message and a non-zero exit code, never a traceback.

    raise CarvoiceError(f"unknown model {name!r}." + did_you_mean(name, catalog_names))
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


class CarvoiceError(Exception):
    """A problem the user can understand and act on; the message says what happened and what to do."""


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' Did you mean 'x' or 'y'?' naming the known names closest to a mistyped one; empty when none is close.
    Close: similar as a whole (difflib), or holding the name's first word ('qwen' of 'qwen-typo', 'joe')."""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    first_word = re.split(r"[-_.\s/]", name.lower())[0]
    if not close and len(first_word) >= 3:
        close = [candidate for candidate in known if first_word in candidate.lower()][:3]
    return f" Did you mean {' or '.join(repr(candidate) for candidate in close)}?" if close else ""
