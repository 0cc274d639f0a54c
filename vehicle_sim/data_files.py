"""Reading shipped data files into pydantic models, with errors that name the file and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from vehicle_sim.errors import DataFileError

DATA_DIR = Path(__file__).with_name("data")

M = TypeVar("M", bound=BaseModel)


def _read(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(f"{path}: cannot be read ({error.strerror})") from error
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DataFileError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {error}") from error


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem: `field.path: message`."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or '(top level)'}: {problem['msg']}"
        for problem in error.errors()
    )


def load_model(path: Path, model: type[M]) -> M:
    """Parse `path` (JSON or YAML) as `model`; any problem raises DataFileError naming file and field."""
    try:
        return model.model_validate(_read(path))
    except ValidationError as error:
        raise DataFileError(f"{path}: {describe_validation_error(error)}") from error
