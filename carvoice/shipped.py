"""Where the data carvoice ships beside its code lives: the intent catalog and evaluation sets (`intents/`), the
spoken samples, suites and STT vocabulary (`audio_samples/`) and the example intent packs (`packs/`).

    shipped_dir("intents") / "climate.yaml"      # intents/climate.yaml in a checkout, else the installed copy

In a checkout they are the repository's top-level folders. An installed wheel carries them as package data
under `carvoice/_shipped/` (in the repository those are links to the top-level folders), so every command works
from any folder after `pip install .`.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The top-level folder `name` of a checkout when there is one, else the copy installed with the package."""
    checkout = PACKAGE_DIR.parent / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / "_shipped" / name
