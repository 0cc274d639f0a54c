"""An intent pack: a folder that says what the assistant understands. Its `*.yaml` files are the intent catalog;
beside them, optionally, labelled evaluation cases (`eval/`, `eval_blind/`), the speech recogniser's vocabulary
(`vocabulary.yaml`) and training templates for a student (`phrases.yaml`).

    pack = IntentPack.at(Path("packs/comfort"))      # or IntentPack.builtin(): the car's own, intents/
    pack.catalog().intents, pack.eval_sets, pack.vocabulary_file, pack.phrasebook_file

`--intents DIR` (setting `intents_dir`) picks the pack; `carvoice intents check DIR` validates one. The car runs
the intents whose `action` is one of its action kinds; the others are understood and reported, not executed
(`dialog.actions.executable_by_car`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from carvoice.dialog.actions import car_mismatches, executable_by_car
from carvoice.errors import CarvoiceError
from carvoice.nlu.catalog import (DIALOG_INTENTS, INTENTS_DIR, Intent, IntentCatalog, IntentCatalogError, catalog_files,
                                  load_intent_catalog, read_domain_file)
from carvoice.nlu.evalset import EVAL_SETS, eval_files, load_eval_set
from carvoice.stt.base import VOCABULARY_FILE, load_vocabulary


class IntentPackError(CarvoiceError):
    pass


@dataclass(frozen=True)
class IntentPack:
    folder: Path  # the catalog's *.yaml files, and the pack's optional extras beside them

    @classmethod
    def builtin(cls) -> IntentPack:
        return cls(INTENTS_DIR)

    @classmethod
    def at(cls, folder: Path | None) -> IntentPack:
        """The pack in `folder`, or the built-in one for None."""
        if folder is None:
            return cls.builtin()
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise IntentPackError(f"{folder}: no such intent pack folder (a folder of intent catalog *.yaml files)")
        return cls(folder.resolve())

    @property
    def is_builtin(self) -> bool:
        return self.folder.resolve() == INTENTS_DIR.resolve()

    @property
    def name(self) -> str:
        return "built-in" if self.is_builtin else self.folder.name

    def catalog(self) -> IntentCatalog:
        return _catalog(self.folder)

    @property
    def eval_sets(self) -> dict[str, Path]:
        """The pack's labelled evaluation sets that exist, by set name (own, blind)."""
        folders = {name: self.folder / builtin.name for name, builtin in EVAL_SETS.items()}  # eval/, eval_blind/
        return {name: folder for name, folder in folders.items() if folder.is_dir()}

    @property
    def vocabulary_file(self) -> Path:
        """The pack's STT vocabulary; a pack without one uses the car's (its world's names are the same)."""
        own = self.folder / "vocabulary.yaml"
        return own if own.is_file() else VOCABULARY_FILE

    @property
    def phrasebook_file(self) -> Path | None:
        own = self.folder / "phrases.yaml"
        return own if own.is_file() else None


RunsOn = Literal["car", "dialog", "understood only"]


def runs_on(intent: Intent) -> RunsOn:
    """Who answers an intent: the simulated car, the dialog itself (yes, no, help ...), or nobody (understood,
    not executed by this car)."""
    if executable_by_car(intent):
        return "car"
    return "dialog" if intent.name in DIALOG_INTENTS else "understood only"


def check_pack(pack: IntentPack) -> tuple[list[str], list[str]]:
    """Every problem of a pack, file by file (`file:line: ...`), and a summary of what it holds when it has none."""
    files = catalog_files(pack.folder)
    problems = [] if files else [f"{pack.folder}: no intent catalog files (*.yaml)"]
    problems += [str(problem) for path in files
                 if isinstance(problem := _problem(read_domain_file, path), CarvoiceError)]
    if problems:
        return problems, []
    try:
        catalog = load_intent_catalog(pack.folder)
    except IntentCatalogError as exc:
        return [str(exc)], []
    problems = car_mismatches(catalog)
    case_counts = {}
    for name, folder in pack.eval_sets.items():
        problems += [] if eval_files(folder) else [f"{folder}: no evaluation cases (*.yaml, *.jsonl)"]
        counts = [_problem(lambda file: len(load_eval_set(file, catalog)), path) for path in eval_files(folder)]
        problems += [str(count) for count in counts if isinstance(count, CarvoiceError)]
        case_counts[name] = sum(count for count in counts if isinstance(count, int))
    if pack.vocabulary_file != VOCABULARY_FILE:
        vocabulary = _problem(load_vocabulary, pack.vocabulary_file)
        problems += [str(vocabulary)] if isinstance(vocabulary, CarvoiceError) else []
    return problems, [] if problems else _summary(pack, catalog, case_counts)


def _problem(load: Callable[[Path], object], path: Path) -> object:
    """What `load` gives for `path`, or the CarvoiceError it raised."""
    try:
        return load(path)
    except CarvoiceError as exc:
        return exc


def _summary(pack: IntentPack, catalog: IntentCatalog, case_counts: dict[str, int]) -> list[str]:
    answered = Counter(runs_on(intent) for intent in catalog.intents)
    lines = [f"{len(catalog.intents)} intents in {len(catalog.domains)} files: {answered['car']} run by the simulated "
             f"car, {answered['dialog']} answered by the dialog, "
             f"{answered['understood only']} understood only (not executed by this car)"]
    lines += [f"eval set {name}: {count} cases" for name, count in case_counts.items()]
    lines += [f"vocabulary: {pack.vocabulary_file}"]
    lines += [f"phrasebook: {pack.phrasebook_file}"] if pack.phrasebook_file else []
    return lines


@lru_cache(maxsize=8)
def _catalog(folder: Path) -> IntentCatalog:
    return load_intent_catalog(folder)
