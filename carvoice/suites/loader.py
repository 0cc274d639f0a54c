"""Read suite files: YAML, then the schema, then the checks that need the car and the intent catalog.

Every problem is reported with the file and line it is on, all at once:

    suite.yaml:14: steps[3].expect.state['climate.driver.setpoint']: climate.driver has no 'setpoint'; ...
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from carvoice.errors import CarvoiceError
from carvoice.nlu.catalog import IntentCatalog, load_intent_catalog
from carvoice.shipped import shipped_dir
from carvoice.yaml_lines import LineMap, dotted, line_map
from carvoice.suites.schema import Step, Suite
from carvoice.suites.validate import Problem, semantic_problems

SAMPLES_DIR = shipped_dir("audio_samples")
"""The repository's spoken commands (wav/) and suites (suites/)."""
WAV_DIR = SAMPLES_DIR / "wav"
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
_YAML_BOOLEAN_HINT = " (YAML reads unquoted on/off/yes/no as true/false: quote the word)"


class SuiteFileError(CarvoiceError):
    def __init__(self, path: Path, problems: Sequence[tuple[int, str, str]]) -> None:
        self.problems = list(problems)
        lines = [f"{path}:{line}: {where}: {message}" for line, where, message in problems]
        super().__init__(f"{len(lines)} problem(s) in suite file {path}:\n" + "\n".join(lines))


@dataclass(frozen=True)
class LoadedSuite:
    path: Path
    suite: Suite

    @property
    def name(self) -> str:
        return self.suite.name

    def audio_path(self, step: Step) -> Path:
        return self.path_of(step.audio or "")

    def path_of(self, ref: str) -> Path:
        """The file of an audio id or path of this suite."""
        path = audio_path(ref, self.path.parent)
        if path is None:  # it was there when the suite was loaded
            raise CarvoiceError(f"{self.path}: the audio file for {ref!r} has gone")
        return path


def load_suites(paths: Iterable[Path], catalog: IntentCatalog | None = None) -> list[LoadedSuite]:
    """Every suite, or one error listing the problems of all the bad files."""
    catalog = catalog or load_intent_catalog()
    loaded, errors = [], []
    for path in paths:
        try:
            loaded.append(load_suite(path, catalog))
        except SuiteFileError as error:
            errors.append(str(error))
    if errors:
        raise CarvoiceError("\n".join(errors))
    return loaded


def load_suite(path: Path, catalog: IntentCatalog | None = None) -> LoadedSuite:
    text = _read(path)
    try:
        lines = line_map(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SuiteFileError(path, [(mark.line + 1 if mark else 1, "(yaml)", str(error).replace("\n", " "))])
    try:
        suite = Suite.model_validate(data)
    except ValidationError as error:
        raise SuiteFileError(path, _schema_problems(error, lines)) from None
    found = [*_duplicate_keys(lines),
             *semantic_problems(suite, catalog or load_intent_catalog(), lambda ref: audio_path(ref, path.parent))]
    if found:
        raise SuiteFileError(path, [(lines.line_of(p.path), dotted(p.path), p.message) for p in found])
    return LoadedSuite(path, suite)


def audio_path(ref: str, suite_dir: Path) -> Path | None:
    """A path (with a suffix) is taken from the suite's folder; a bare id is looked up in the suite's `wav/`
    folder, then in the spoken test set, `audio_samples/wav/`."""
    if ref.lower().endswith(AUDIO_SUFFIXES):
        candidates = [suite_dir / ref]
    else:
        candidates = [suite_dir / "wav" / f"{ref}.wav", WAV_DIR / f"{ref}.wav"]
    return next((c for c in candidates if c.is_file()), None)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteFileError(path, [(1, "(file)", f"cannot read it: {error}")]) from None


def _schema_problems(error: ValidationError, lines: LineMap) -> list[tuple[int, str, str]]:
    problems = []
    for item in error.errors():
        path = tuple(part for part in item["loc"] if not _is_type_tag(part))
        message = item["msg"].removeprefix("Value error, ")
        if isinstance(item.get("input"), bool) or any(isinstance(part, bool) for part in path):
            message += _YAML_BOOLEAN_HINT
        problems.append((lines.line_of(path), dotted(path), message))
    return problems


def _is_type_tag(part: str | int) -> bool:
    """pydantic puts union members and key checks in `loc` ("list[Call]", "[key]"): not YAML paths."""
    return isinstance(part, str) and ("[" in part or "(" in part)


def _duplicate_keys(lines: LineMap) -> list[Problem]:
    return [Problem(path, "this key is given twice; YAML keeps only the last") for path in lines.duplicate_keys]
